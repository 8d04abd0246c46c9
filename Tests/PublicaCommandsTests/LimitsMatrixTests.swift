import Foundation
import PublicaTestSupport
import Testing

@testable import PublicaCommands

/// The built `publica` binary, run as a child process with its standard error read through a pipe.
///
/// Not in process: capturing file descriptor 2 there races with the other suites that capture it
/// (BadInputMatrixTests), each reading the other's messages.
/// `environment` is added to the tests' own.
func runPublicaBinary(
    _ arguments: [String], standardOutput: String? = nil, standardInput: String? = nil,
    environment: [String: String] = [:]
) throws -> (code: Int32, errors: String) {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("publica"),
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug/publica")
    ]
    let binary = try #require(
        candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
        "the publica binary next to the tests (swift build --build-tests builds it)")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let pipe = Pipe()
    process.standardError = pipe
    if let standardOutput {
        _ = FileManager.default.createFile(atPath: standardOutput, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: standardOutput)
    } else {
        process.standardOutput = FileHandle.nullDevice
    }
    if let standardInput { process.standardInput = FileHandle(forReadingAtPath: standardInput) }
    try process.run()
    let errors = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: errors, as: UTF8.self))
}

/// Inputs past the reading limits (`--max-record-size`, `--max-fields`): each stops with exit 65
/// and a message that names the place, the limit and the flag; just under a limit, the input reads.
/// Small configured limits stand in for the hundreds of MB of Tests/limits/ingest-limits.sh.
struct LimitsMatrixTests {
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let file: String
        let bytes: [UInt8]
        let arguments: [String]
        let exitCode: Int32
        let fragments: [String]
        var description: String { name }
    }

    static func text(_ string: String) -> [UInt8] { Array(string.utf8) }
    static func repeated(_ string: String, _ count: Int) -> String { String(repeating: string, count: count) }

    static let xmlWide = text(
        "<r>\n"
            + (0..<20).map { record in
                "<i>" + (0..<5).map { "<f\(record)_\($0)>v</f\(record)_\($0)>" }.joined() + "</i>\n"
            }.joined() + "</r>")

    static let cases: [Case] = [
        Case(
            name: "CSV quoted field over the limit", file: "a.csv",
            bytes: text("a,b\n1,\"" + repeated("x\"\"", 3000) + "\"\n"),
            arguments: ["--max-record-size", "4KiB"], exitCode: 65,
            fragments: ["a.csv:2 [field b]: error: row 1", "4 KiB record limit", "--max-record-size raises it"]),
        Case(
            name: "CSV unquoted field over the limit", file: "a.csv",
            bytes: text("a,b\n1,2\n3," + repeated("y", 20_000) + "\n"),
            arguments: ["--max-record-size", "8KiB"], exitCode: 65, fragments: ["a.csv:3 [field b]: error: row 2"]),
        Case(
            name: "CSV without line breaks", file: "a.csv", bytes: [UInt8](repeating: 0, count: 100_000),
            arguments: ["--max-record-size", "16KiB"], exitCode: 65, fragments: ["a.csv:1: error: the header row"]),
        Case(
            name: "CSV field just under the limit", file: "a.csv",
            bytes: text("a,b\n1,\"" + repeated("x\"\"", 1000) + "\"\n"),
            arguments: ["--max-record-size", "4KiB"], exitCode: 0, fragments: ["1 record written"]),
        Case(
            name: "CSV a 20 MB field under the default", file: "a.csv",
            bytes: text("a\n" + repeated("z", 20_000_000) + "\n"),
            arguments: [], exitCode: 0, fragments: ["1 record written"]),
        Case(
            name: "CSV a 40 MB field over the default", file: "a.csv",
            bytes: text("a\n" + repeated("z", 40_000_000) + "\n"),
            arguments: [], exitCode: 65, fragments: ["a.csv:2 [field a]", "32 MiB record limit"]),
        Case(
            name: "NDJSON giant line", file: "a.ndjson",
            bytes: text("{\"a\":1}\n{\"a\":\"" + repeated("q", 3 << 20) + "\"}\n"),
            arguments: ["--max-record-size", "1MiB"], exitCode: 65,
            fragments: ["a.ndjson:2: error: the JSON value starting here is longer than the 1 MiB record limit"]),
        Case(
            name: "JSON giant array element", file: "a.json",
            bytes: text("[{\"a\":1},\n{\"a\":[" + repeated("1,", 2 << 20) + "1]}]"),
            arguments: ["--max-record-size", "1MiB"], exitCode: 65, fragments: ["a.json:2: error:", "--max-record-size"]
        ),
        Case(
            name: "NDJSON huge exponents pass", file: "a.ndjson",
            bytes: text(repeated("{\"a\":1e9999}\n", 1000) + "{\"a\":1e100000}\n"),
            arguments: [], exitCode: 0, fragments: ["1001 records written"]),
        Case(
            name: "XML text node over the limit", file: "a.xml",
            bytes: text("<r>\n<i><a>" + repeated("t", 200_000) + "</a></i></r>"),
            arguments: ["--record-path", "//i", "--max-record-size", "64KiB"], exitCode: 65,
            fragments: ["a.xml:2: error: a text node is longer than the 64 KiB record limit"]),
        Case(
            name: "XML fields past the limit", file: "a.xml", bytes: xmlWide,
            arguments: ["--record-path", "//i", "--max-fields", "12"], exitCode: 65,
            fragments: [
                "a.xml:4 [field f2_2]: error: record 3 brings a field past the limit of 12 distinct fields",
                "--max-fields raises it"
            ]),
        Case(
            name: "XML fields up to the limit", file: "a.xml", bytes: xmlWide,
            arguments: ["--record-path", "//i", "--max-fields", "100"], exitCode: 0, fragments: ["20 records written"]),
        Case(
            name: "XML 1000 x 1000 distinct children", file: "a.xml",
            bytes: text(
                "<r>" + (0..<1000).map { r in "<i>" + (0..<1000).map { "<c\(r)x\($0)/>" }.joined() + "</i>" }.joined()
                    + "</r>"),
            arguments: ["--record-path", "//i"], exitCode: 65,
            fragments: ["record 2 brings a field past the limit of 1000"]),
        Case(
            name: "bad size", file: "a.csv", bytes: text("a\n1\n"), arguments: ["--max-record-size", "lots"],
            exitCode: 64,
            fragments: ["--max-record-size takes a size"]),
        Case(
            name: "zero fields", file: "a.csv", bytes: text("a\n1\n"), arguments: ["--max-fields", "0"], exitCode: 64,
            fragments: ["--max-fields must be at least 1"])
    ]

    @Test(arguments: cases)
    func limit(_ testCase: Case) throws {
        let directory = try TemporaryDirectory()
        let input = directory.path(testCase.file)
        try Data(testCase.bytes).write(to: URL(fileURLWithPath: input))
        let output = directory.path("out.ndjson")
        let (code, errors) = try runPublicaBinary(["convert", input, output] + testCase.arguments)
        #expect(code == testCase.exitCode, "\(testCase.name): \(errors)")
        for fragment in testCase.fragments {
            #expect(errors.contains(fragment), "\(testCase.name): \(errors)")
        }
        if code != 0 { #expect(!FileManager.default.fileExists(atPath: output), "no output after a failure") }
    }

    /// 650 KB of `{"a":1e9999}` lines made a 500 MB CSV: the token now passes through as written.
    @Test func hugeExponentsPassThroughAsWritten() throws {
        let directory = try TemporaryDirectory()
        let input = directory.path("e.ndjson")
        try "{\"a\":1e9999}\n{\"a\":-2.5E-3}\n".write(toFile: input, atomically: false, encoding: .utf8)
        #expect(publica(["convert", input, directory.path("e.csv"), "--line-ending", "lf", "-q"]) == 0)
        #expect(try String(contentsOfFile: directory.path("e.csv"), encoding: .utf8) == "a\n1e9999\n-2.5E-3\n")
        #expect(publica(["convert", input, directory.path("e2.ndjson"), "-q"]) == 0)
        #expect(
            try String(contentsOfFile: directory.path("e2.ndjson"), encoding: .utf8)
                == "{\"a\":1e9999}\n{\"a\":-2.5E-3}\n")
    }

    /// The key `""` was written as a blank CSV header, and reading that CSV back lost a record.
    @Test func blankAndRepeatedKeysRoundTripThroughCSV() throws {
        let directory = try TemporaryDirectory()
        let input = directory.path("k.ndjson")
        try "{\"\":\"1\",\"a\":\"2\",\"a\":\"3\"}\n{\"\":\"4\",\"a\":\"5\",\"a\":\"6\"}\n".write(
            toFile: input, atomically: false, encoding: .utf8)
        #expect(publica(["convert", input, directory.path("k.csv"), "-q"]) == 0)
        let back = try runPublicaBinary(["convert", directory.path("k.csv"), directory.path("back.ndjson")])
        #expect(back.code == 0 && back.errors.contains("2 records written"), "\(back.errors)")
        #expect(
            try String(contentsOfFile: directory.path("back.ndjson"), encoding: .utf8)
                == "{\"field_1\":\"1\",\"a\":\"2\",\"a_2\":\"3\"}\n{\"field_1\":\"4\",\"a\":\"5\",\"a_2\":\"6\"}\n")
        let single = directory.path("s.ndjson")
        try "{\"\":\"x\"}\n{\"\":\"y\"}\n".write(toFile: single, atomically: false, encoding: .utf8)
        #expect(publica(["convert", single, directory.path("s.csv"), "-q"]) == 0)
        let singleBack = try runPublicaBinary(["convert", directory.path("s.csv"), directory.path("s2.ndjson")])
        #expect(singleBack.errors.contains("2 records written"), "\(singleBack.errors)")
    }
}
