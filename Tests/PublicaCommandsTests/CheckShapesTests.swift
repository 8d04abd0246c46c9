import Foundation
import PublicaTestSupport
import Testing

/// `publica check` reads every source's header and prepares every step: a step naming a field the
/// data does not have is a pipeline-file problem at the step's line, before any run.
struct CheckShapesTests {
    @Test func anUnknownFieldInAStepIsFoundByCheckAtItsLine() throws {
        let directory = try TemporaryDirectory()
        try "행정구역,2018년_계_0~4세\n강원도 (4200000000),\"50,000\"\n".write(
            toFile: directory.path("wide.csv"), atomically: false, encoding: .utf8)
        let pipeline = """
            version: 1
            sources:
              wide: {path: wide.csv}
            steps:
              - unpivot: {keep: [행정구역], key: 항목, value: 인구}
              - split: {field: 항목s, into: [연도, 성별, 연령], separator: "_"}
            outputs:
              - {path: out/long/long.csv}
            """
        try pipeline.write(toFile: directory.path("long.yaml"), atomically: false, encoding: .utf8)
        let report = directory.path("report.txt")
        let checked = try runPublicaBinary(["check", directory.path("long.yaml")], standardOutput: report)
        let printed = try String(contentsOfFile: report, encoding: .utf8)
        #expect(checked.code == 64)
        #expect(printed.contains("long.yaml:6:5: error: split: no field '항목s'"))
        #expect(printed.contains("did you mean '항목'?"))
        // Fixed, check passes and says what it found; nothing was run.
        try pipeline.replacingOccurrences(of: "항목s", with: "항목").write(
            toFile: directory.path("long.yaml"), atomically: false, encoding: .utf8)
        #expect(try runPublicaBinary(["check", directory.path("long.yaml")], standardOutput: report).code == 0)
        #expect(try String(contentsOfFile: report, encoding: .utf8).contains("ok (1 sources, 2 steps, 1 outputs)"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("out")))
    }
}
