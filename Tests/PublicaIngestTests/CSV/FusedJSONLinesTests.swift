import Foundation
import PublicaCore
import PublicaIngest
import PublicaTestSupport
import Testing

/// The fused CSV → JSON lines path must write exactly what the general path writes (fields
/// found first, then escaped behind their keys), for every input, buffer size and output room.
@Suite struct FusedJSONLinesTests {
    /// Both paths over one file with every buffer size and room: the same bytes, rejections and rows.
    static func expectSame(
        _ path: String, _ options: CSVReadOptions = CSVReadOptions(),
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        for bufferSize in [1024, 1 << 20] {
            var options = options
            options.bufferSize = bufferSize
            let expected = try JSONLinesRenderings.general(path, options)
            for room in [40, 333, 4096, 1 << 20] {
                let actual = try JSONLinesRenderings.fused(path, options, room: room)
                #expect(
                    actual.lines == expected.lines,
                    "buffer \(bufferSize), room \(room): \(firstDifference(actual.lines, expected.lines))",
                    sourceLocation: sourceLocation)
                // Rejections carry their lines: the fused path counts the line breaks it passes.
                #expect(
                    actual.rejected == expected.rejected && actual.rows == expected.rows, sourceLocation: sourceLocation
                )
            }
        }
    }

    /// The first line where two outputs differ, for a readable failure.
    static func firstDifference(_ actual: [UInt8], _ expected: [UInt8]) -> String {
        let actualLines = actual.split(separator: 0x0A, omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (index, (a, e)) in zip(actualLines, expectedLines).enumerated() where a != e {
            return
                "line \(index + 1): fused \(String(decoding: a, as: UTF8.self)) / general \(String(decoding: e, as: UTF8.self))"
        }
        return "\(actualLines.count) lines fused, \(expectedLines.count) general"
    }

    @Test func everyCSVSpectrumCaseMatches() throws {
        for name in try Fixtures.files(in: "csv-spectrum/csvs") {
            try FusedJSONLinesTests.expectSame(Fixtures.url("csv-spectrum/csvs/" + name).path)
        }
    }

    @Test func everyKoreanCSVMatches() throws {
        for name in try Fixtures.files(in: "korean-csv") {
            var options = CSVReadOptions()
            options.encoding = .auto
            try FusedJSONLinesTests.expectSame(Fixtures.url("korean-csv/" + name).path, options)
        }
    }

    /// Generated rows with everything the fused path must either render or hand over: quotes,
    /// doubled quotes, line breaks of every kind inside and outside quotes, backslashes,
    /// control bytes, text after a closing quote, ragged rows, blank and comment lines, a row
    /// longer than the buffer, no line break at the end; and, in a second file, NFD Hangul
    /// (which sends whole buffers to the general path, so the first file has none).
    @Test(arguments: FieldCountPolicy.allCases)
    func messyRowsMatch(policy: FieldCountPolicy) throws {
        let directory = try TemporaryDirectory()
        for withNFD in [false, true] {
            let path = try write(FusedJSONLinesTests.messyCSV(withNFD: withNFD), named: "messy.csv", in: directory)
            var options = CSVReadOptions()
            options.fieldCountPolicy = policy == .error ? .reject : policy
            try FusedJSONLinesTests.expectSame(path, options)
            options.dialect.commentPrefix = UInt8(ascii: "#")
            options.skipBlankLines = false
            try FusedJSONLinesTests.expectSame(path, options)
            options.dialect.quote = nil
            options.dialect.delimiter = UInt8(ascii: "\t")
            try FusedJSONLinesTests.expectSame(path, options)
        }
    }

    static func messyCSV(withNFD: Bool) -> String {
        var pieces = [
            "plain", "한글 텍스트", "\"quoted, with comma\"", "\"doubled \"\"q\"\"\"", "\"line\nbreak\"",
            "\"crlf\r\ninside\"", "\"lone\rcr\"", "back\\slash", "tab\there", "ctl\u{01}x", "\"a\"b",
            "mid\"quote", "", "\"\"", "😀 astral", String(repeating: "긴", count: 700), "\"tab\tin \\ quotes\""
        ]
        if withNFD { pieces.append("\u{1100}\u{1161}\u{11A8}") }
        let ends = ["\n", "\r\n", "\r"]
        var seed: UInt64 = 7
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(seed >> 33) % bound
        }
        var text = "a,b,c\n"
        for row in 0..<2000 {
            switch next(40) {
            case 0: text += ends[next(3)]  // a blank line
            case 1: text += "# a comment, with a \"quote\"" + ends[next(3)]
            default:
                let fields = next(12) == 0 ? 2 + next(3) : 3  // now and then ragged
                // Mostly plain fields, so that many rows are for the fused path.
                text += (0..<fields).map { _ in next(3) == 0 ? pieces[next(pieces.count)] : pieces[next(2)] }
                    .joined(separator: ",")
                if row < 1999 { text += ends[next(3)] }
            }
        }
        return text
    }

    /// The fast path is taken: without this, a fused path that declined every row would pass
    /// every comparison above. Plain and quoted rows, with line breaks inside quotes, all go
    /// through it (in one 1 MiB buffer, with room to spare).
    @Test func plainRowsTakeTheFusedPath() throws {
        let directory = try TemporaryDirectory()
        var text = "id,name,note\r\n"
        for index in 1...500 { text += "\(index),\"시설 \(index)\",\"줄\n바꿈 \"\"인용\"\"\"\r\n" }
        let path = try write(text, named: "plain.csv", in: directory)
        let rendering = try JSONLinesRenderings.fused(path, CSVReadOptions(), room: 1 << 20)
        #expect(rendering.rows == 500)
        #expect(rendering.fusedRows >= 499)  // all but a row cut by the buffer's end, if any
        let messy = try write(FusedJSONLinesTests.messyCSV(withNFD: false), named: "messy.csv", in: directory)
        let mixed = try JSONLinesRenderings.fused(messy, CSVReadOptions(), room: 1 << 20)
        #expect(mixed.fusedRows > mixed.rows / 2, "\(mixed.fusedRows) of \(mixed.rows) rows fused")
    }

    /// The same error, at the same place, on both paths.
    @Test func errorsMatch() throws {
        let directory = try TemporaryDirectory()
        let unterminated = try write("a,b\n1,2\n3,\"open\n4,5\n", named: "open.csv", in: directory)
        let ragged = try write("a,b\n1,\"x\ny\"\n3,4,5\n", named: "ragged.csv", in: directory)
        var options = CSVReadOptions()
        options.fieldCountPolicy = .error
        for path in [unterminated, ragged] {
            var generalError: PublicaError?
            var fusedError: PublicaError?
            do { _ = try JSONLinesRenderings.general(path, options) } catch let error as PublicaError {
                generalError = error
            }
            do { _ = try JSONLinesRenderings.fused(path, options, room: 4096) } catch let error as PublicaError {
                fusedError = error
            }
            #expect(generalError != nil)
            #expect(fusedError?.message == generalError?.message)
            #expect(fusedError?.location == generalError?.location)
        }
    }
}
