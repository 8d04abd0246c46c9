import Foundation
import PublicaCore
import PublicaPipeline
import PublicaTestSupport
import Testing

/// A pipeline source reads `.xlsx` with its `sheet`, `header_row`, `range` and `merged` keys.
struct XLSXSourceTests {
    @Test func aPipelineReadsASheetOfAWorkbook() throws {
        let folder = try PipelineFolder(
            data: "",
            pipeline: """
                version: 1
                name: universities
                sources:
                  graduate: {path: book.xlsx, format: xlsx, sheet: 대학원, header_row: auto, merged: fill}
                outputs:
                  - {path: out/graduate.ndjson}
                """)
        try FileManager.default.copyItem(
            atPath: Fixtures.url("xlsx/kedi-higher-ed-address-2020.xlsx").path,
            toPath: folder.directory.path("book.xlsx"))
        #expect(try folder.run() == .success)
        let lines = try folder.output("graduate.ndjson").split(separator: "\n")
        #expect(lines.count == 1429)
        #expect(lines.first?.contains(#""우편번호":"06591""#) == true)
    }

    @Test func aRangeByExtension() throws {
        let folder = try PipelineFolder(
            data: "",
            pipeline: """
                version: 1
                name: window
                sources:
                  table: {path: book.xlsx, range: "A6:C8"}
                outputs:
                  - {path: out/table.ndjson}
                """)
        try FileManager.default.copyItem(
            atPath: Fixtures.url("xlsx/kedi-higher-ed-address-2020.xlsx").path,
            toPath: folder.directory.path("book.xlsx"))
        #expect(try folder.run() == .success)
        let lines = try folder.output("table.ndjson").split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first == #"{"연도":"2020","학교종류":"전문대학(4년제)","시도":"서울"}"#)
    }
}
