import Foundation
import PublicaCore
import PublicaTestSupport
import Testing

@testable import PublicaIngest

/// `header_row: auto`, `delimiter: auto` and `trim`: exports read as they come from the portals.
struct CSVSnifferTests {
    static let weather = "korean-csv/weather-portal-export.csv"
    static let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../..").standardized.path

    @Test func theWeatherPortalExportReadsCleanlyWithAutoHeaderAndTrim() throws {
        var options = CSVReadOptions()
        options.findsHeaderRow = true
        options.trim = .both
        let (names, rows, rejected, reader) = try readAll(Fixtures.url(Self.weather).path, options)
        #expect(names == ["지점", "지점명", "일시", "평균기온(°C)", "최저기온(°C)", "최고기온(°C)"])
        #expect(rejected.isEmpty)
        #expect(rows.count == 7)
        #expect(rows.first == ["108", "서울", "2023-01-01", "-0.8", "-5.8", "4.6"])
        #expect(rows.last == ["108", "서울", "2023-01-07", "2.1", "-0.6", "6.2"])
        #expect(reader.options.headerRow == 10)
        #expect(reader.stats.skippedLines == 9)
        #expect(reader.stats.blankLines == 2)  // the tab-only lines after the data
        #expect(reader.notes == ["header_row auto: the header is line 10 (6 fields); lines 1-9 skipped"])
    }

    @Test func withoutTrimTheTabsStayAndTheTabOnlyLinesAreRagged() throws {
        var options = CSVReadOptions()
        options.findsHeaderRow = true
        let (_, rows, rejected, _) = try readAll(Fixtures.url(Self.weather).path, options)
        #expect(rows.first?.first == "\t108")
        #expect(rejected.count == 2)
    }

    @Test func theKOSISTitleLineIsSkippedByAuto() throws {
        var options = CSVReadOptions()
        options.findsHeaderRow = true
        let (names, rows, rejected, reader) = try readAll(
            Self.project + "/SampleData/kosis-airline-titled.csv", options)
        #expect(names == ["시점", "항공사별(1)", "도착출발별(1)", "운항 (편)", "여객 (명)", "화물 (톤)"])
        #expect(rejected.isEmpty)
        #expect(rows.first == ["2005.01", "아시아나항공", "도착", "6613", "791439", "28012"])
        #expect(reader.options.headerRow == 2)
    }

    @Test func aFileWithoutTitleLinesKeepsLineOne() throws {
        let directory = try TemporaryDirectory()
        let path = try write("a,b\n1,2\n3,4\n", named: "plain.csv", in: directory)
        var options = CSVReadOptions()
        options.findsHeaderRow = true
        let (names, rows, _, reader) = try readAll(path, options)
        #expect(names == ["a", "b"] && rows == [["1", "2"], ["3", "4"]])
        #expect(reader.options.headerRow == 1)
    }

    @Test func aFileAutoCannotDecideStopsNamingHeaderRow() throws {
        let directory = try TemporaryDirectory()
        let path = try write("a\nb,c\nd,e,f\ng,h,i,j\nk,l,m,n,o\np,q,r,s,t,u\n", named: "odd.csv", in: directory)
        var options = CSVReadOptions()
        options.findsHeaderRow = true
        #expect {
            _ = try CSVReader(path: path, options: options)
        } throws: { error in
            let error = error as? PublicaError
            return error?.kind == .data && error?.message.contains("--header-row N") == true
                && error?.location?.line == 1
        }
    }

    @Test(arguments: [
        ("name;value;note\nx;1,5;a\ny;2,5;b\n", ";"), ("a|b|c\n1|2|3\n4|5|6\n", "|"), ("a\tb\n1\t2\n", "\t"),
        ("a,b\n\"1;2\",3\n", ",")
    ])
    func theDelimiterIsSniffed(text: String, delimiter: String) throws {
        let directory = try TemporaryDirectory()
        let path = try write(text, named: "sniffed.csv", in: directory)
        var options = CSVReadOptions()
        options.sniffsDelimiter = true
        let (names, rows, rejected, reader) = try readAll(path, options)
        #expect(reader.options.dialect.delimiter == delimiter.utf8.first)
        #expect(names.count >= 2 && rejected.isEmpty)
        #expect(rows.allSatisfy { $0.count == names.count })
        #expect(reader.notes.count == 1 && reader.notes[0].hasPrefix("delimiter auto: "))
    }

    @Test func theSemicolonFileKeepsItsDecimalCommas() throws {
        let directory = try TemporaryDirectory()
        let path = try write("name;value\nx;1,5\ny;2,5\n", named: "semi.csv", in: directory)
        var options = CSVReadOptions()
        options.sniffsDelimiter = true
        let (names, rows, _, _) = try readAll(path, options)
        #expect(names == ["name", "value"] && rows == [["x", "1,5"], ["y", "2,5"]])
    }

    @Test func trimCutsSpacesTabsAndIdeographicSpacesBySide() throws {
        let directory = try TemporaryDirectory()
        let path = try write(
            " a\t,\u{3000}b\u{3000}\n \t1 , 2\u{3000}\n\u{3000}\t \n3,4\n", named: "spaces.csv", in: directory)
        var options = CSVReadOptions()
        options.trim = .both
        let (names, rows, rejected, reader) = try readAll(path, options)
        #expect(names == ["a", "b"] && rows == [["1", "2"], ["3", "4"]] && rejected.isEmpty)
        #expect(reader.stats.blankLines == 1)
        options.trim = .start
        #expect(try readAll(path, options).rows.first == ["1 ", "2\u{3000}"])
        options.trim = .end
        #expect(try readAll(path, options).rows.first == [" \t1", " 2"])
        options.trim = .none
        #expect(try readAll(path, options).rejected.count == 1)
    }

    @Test func theSnifferSplitsOutsideQuotesOnly() {
        let text = Array("a,b\n\"x,\ny\",z\n   \n".utf8)
        let lines = text.withUnsafeBufferPointer {
            CSVSniffer.lines($0, delimiter: 0x2C, quote: 0x22, commentPrefix: nil, complete: true)
        }
        #expect(lines == [.init(number: 1, fields: 2), .init(number: 2, fields: 2), .init(number: 4, fields: 0)])
    }

    @Test func twoHeaderRowsAreCombinedPerColumnAsMergedCells() throws {
        let directory = try TemporaryDirectory()
        let path = try write(
            "\"행정구역별\",2017,,2018,\n\"행정구역별\",총인구 (명),남자 (명),총인구 (명),남자 (명)\n\"전국\",51422507,25768055,51629512,25877195\n",
            named: "two-rows.csv", in: directory)
        var options = CSVReadOptions()
        options.headerRows = 2
        let (names, rows, rejected, reader) = try readAll(path, options)
        #expect(names == ["행정구역별", "2017 총인구 (명)", "2017 남자 (명)", "2018 총인구 (명)", "2018 남자 (명)"])
        #expect(rows == [["전국", "51422507", "25768055", "51629512", "25877195"]] && rejected.isEmpty)
        #expect(reader.options.headerRow == 1)
        options.findsHeaderRow = true
        #expect(try readAll(path, options).names == names)
    }
}
