import Foundation
import PublicaTestSupport
import Testing

@testable import PublicaCommands

#if canImport(Glibc)
import Glibc
#endif

/// One capture of standard error at a time: the descriptor is the process's, and suites run in parallel.
private let captureLock = NSLock()

/// Runs `publica ARGS` in process with standard error captured.
func publicaCapturingErrors(_ arguments: [String]) -> (code: Int32, errors: String) {
    captureLock.lock()
    defer { captureLock.unlock() }
    let capture = FileManager.default.temporaryDirectory.appendingPathComponent("publica-stderr-\(UUID().uuidString)")
        .path
    let saved = dup(2)
    let fd = open(capture, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    dup2(fd, 2)
    let code = publica(arguments)
    dup2(saved, 2)
    close(fd)
    close(saved)
    let errors = (try? String(contentsOfFile: capture, encoding: .utf8)) ?? ""
    unlink(capture)
    return (code, errors)
}

/// Bad input of every kind: each gives its documented exit code and a message naming the
/// problem (and its place), never a crash or a hang.
@Suite(.serialized)
struct BadInputMatrixTests {
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let file: String
        let bytes: [UInt8]
        let arguments: [String]
        let exitCode: Int32
        let fragment: String
        var description: String { name }
    }

    static func text(_ string: String) -> [UInt8] { Array(string.utf8) }

    static let billionLaughs: [UInt8] = {
        var entities = "<!ENTITY l0 \"lol\">"
        for level in 1...9 {
            entities += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">"
        }
        return text("<?xml version=\"1.0\"?><!DOCTYPE r [\(entities)]><r><i>&l9;</i></r>")
    }()

    static let cases: [Case] = [
        Case(
            name: "truncated UTF-8", file: "a.csv", bytes: text("a,b\n1,") + [0xED, 0x95],
            arguments: ["--encoding", "utf-8"], exitCode: 65, fragment: "invalid UTF-8"),
        Case(
            name: "invalid UTF-8 inside", file: "a.csv", bytes: text("a\nx") + [0xC0, 0xAF] + text("\n"),
            arguments: ["--encoding", "utf-8"], exitCode: 65, fragment: "a.csv:2"),
        Case(
            name: "invalid CP949", file: "a.csv", bytes: text("a\n") + [0xFF, 0xFE, 0x0A],
            arguments: ["--encoding", "cp949"], exitCode: 65, fragment: "invalid CP949"),
        Case(
            name: "truncated UTF-16", file: "a.csv", bytes: [0xFF, 0xFE, 0x61, 0x00, 0x0A],
            arguments: ["--encoding", "utf-16"], exitCode: 65, fragment: "UTF-16"),
        Case(
            name: "Latin-1 read as UTF-8", file: "a.csv", bytes: text("id,name\n2,") + [0xA9, 0x0A],
            arguments: ["--encoding", "utf-8"], exitCode: 65, fragment: "byte 10"),
        Case(
            name: "invalid bytes replaced", file: "a.csv", bytes: text("a\n") + [0xFF] + text("\n"),
            arguments: ["--invalid-bytes", "replace"], exitCode: 0, fragment: "1 replaced byte"),
        Case(
            name: "unterminated quote at end", file: "a.csv", bytes: text("a,b\n1,\"open"), arguments: [], exitCode: 65,
            fragment: "a.csv:2: error: unterminated"),
        Case(
            name: "ragged row under error", file: "a.csv", bytes: text("a,b\n1,2\n3\n"),
            arguments: ["--on-ragged", "error"], exitCode: 65, fragment: "a.csv:3"),
        Case(
            name: "ragged row rejected", file: "a.csv", bytes: text("a,b\n1,2\n3\n"), arguments: [], exitCode: 3,
            fragment: "1 rejected"),
        Case(
            name: "NUL bytes are data", file: "a.csv", bytes: text("a,b\n1,x") + [0x00] + text("y\n"), arguments: [],
            exitCode: 0, fragment: "1 record written"),
        Case(
            name: "lone CR line ends", file: "a.csv", bytes: text("a,b\r1,2\r3,4"), arguments: [], exitCode: 0,
            fragment: "2 records written"),
        Case(name: "empty file", file: "a.csv", bytes: [], arguments: [], exitCode: 0, fragment: "0 records written"),
        Case(
            name: "only a BOM", file: "a.csv", bytes: [0xEF, 0xBB, 0xBF], arguments: [], exitCode: 0,
            fragment: "0 records written"),
        Case(
            name: "header only", file: "a.csv", bytes: text("a,b,c\n"), arguments: [], exitCode: 0,
            fragment: "0 records written"),
        Case(
            name: "a 20 MB field", file: "a.csv",
            bytes: text("a,b\n1,\"") + [UInt8](repeating: 0x78, count: 20_000_000) + text("\"\n"), arguments: [],
            exitCode: 0, fragment: "1 record written"),
        Case(
            name: "100,000 columns", file: "a.csv",
            bytes: text(
                (0..<100_000).map { "c\($0)" }.joined(separator: ",") + "\n"
                    + (0..<100_000).map(String.init).joined(separator: ",") + "\n"), arguments: [], exitCode: 0,
            fragment: "1 record written"),
        Case(
            name: "bad delimiter option", file: "a.csv", bytes: text("a\n1\n"), arguments: ["--delimiter", "ab"],
            exitCode: 64, fragment: "one ASCII character"),
        Case(
            name: "unknown encoding", file: "a.csv", bytes: text("a\n1\n"), arguments: ["--encoding", "ebcdic"],
            exitCode: 64, fragment: "unknown encoding"),
        Case(
            name: "malformed JSON", file: "a.json", bytes: text("[{\"a\": 1,}]"), arguments: [], exitCode: 65,
            fragment: "a.json:1"),
        Case(
            name: "truncated JSON", file: "a.json", bytes: text("[{\"a\": \"x"), arguments: [], exitCode: 65,
            fragment: "unterminated"),
        Case(
            name: "JSON nested 10,000 deep", file: "a.json",
            bytes: text("[{\"a\":" + String(repeating: "[", count: 10_000)), arguments: [], exitCode: 65,
            fragment: "deeper"),
        Case(
            name: "NUL where a JSON value starts", file: "a.json", bytes: [0x00, 0x00], arguments: [], exitCode: 65,
            fragment: "a.json:1:1: error: unexpected byte 0x00\n"),
        Case(
            name: "control byte in NDJSON", file: "a.ndjson", bytes: text("{\"a\":") + [0x01] + text("}\n"),
            arguments: [], exitCode: 65, fragment: "a.ndjson:1:6: error: unexpected byte 0x01\n"),
        Case(
            name: "NDJSON line not an object", file: "a.ndjson", bytes: text("{\"a\":1}\n[2]\n"), arguments: [],
            exitCode: 65, fragment: "a.ndjson:2"),
        Case(
            name: "mismatched XML tags", file: "a.xml", bytes: text("<r>\n<i><a>1</b></i></r>"),
            arguments: ["--record-path", "//i"], exitCode: 65, fragment: "a.xml:2:"),
        Case(
            name: "XML 10,000 deep", file: "a.xml",
            bytes: text(String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)),
            arguments: ["--record-path", "//b"], exitCode: 65, fragment: "nested deeper"),
        Case(
            name: "XML external entity", file: "a.xml",
            bytes: text("<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r><i>&x;</i></r>"),
            arguments: ["--record-path", "//i"], exitCode: 65, fragment: "DOCTYPE"),
        Case(
            name: "billion laughs", file: "a.xml", bytes: billionLaughs, arguments: ["--record-path", "//i"],
            exitCode: 65, fragment: "DOCTYPE"),
        Case(
            name: "DOCTYPE pointing at a URL", file: "a.xml",
            bytes: text("<!DOCTYPE r SYSTEM \"http://example.invalid/x.dtd\"><r/>"),
            arguments: ["--record-path", "//i"], exitCode: 65, fragment: "DOCTYPE"),
        Case(
            name: "undefined entity", file: "a.xml", bytes: text("<r><i>&nope;</i></r>"),
            arguments: ["--record-path", "//i"], exitCode: 65, fragment: "nope"),
        Case(
            name: "empty XML", file: "a.xml", bytes: [], arguments: ["--record-path", "//i"], exitCode: 65,
            fragment: "a.xml"),
        Case(
            name: "truncated XML", file: "a.xml", bytes: text("<r><i><a>1</a>"), arguments: ["--record-path", "//i"],
            exitCode: 65, fragment: "malformed XML"),
        Case(
            name: "NUL in XML", file: "a.xml", bytes: text("<r><i>a") + [0x00] + text("</i></r>"),
            arguments: ["--record-path", "//i"], exitCode: 65, fragment: "malformed XML"),
        Case(
            name: "bad record path", file: "a.xml", bytes: text("<r/>"), arguments: ["--record-path", "a//b"],
            exitCode: 64, fragment: "invalid --record-path"),
        Case(
            name: "XML without a record path", file: "a.xml", bytes: text("<r/>"), arguments: [], exitCode: 64,
            fragment: "--record-path"),
        Case(
            name: "data.go.kr error code", file: "a.xml",
            bytes: text(
                "<response><header><resultCode>30</resultCode><resultMsg>SERVICE KEY IS NOT REGISTERED ERROR.</resultMsg></header></response>"
            ), arguments: ["--preset", "datagokr"], exitCode: 65, fragment: "resultCode 30"),
        Case(
            name: "data.go.kr gateway error", file: "a.xml",
            bytes: text(
                "<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg><returnReasonCode>12</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>"
            ), arguments: ["--preset", "datagokr"], exitCode: 65, fragment: "gateway error 12"),
        Case(
            name: "SDMX footer only", file: "a.xml",
            bytes: text(
                "<m:GenericData xmlns:m=\"urn:m\" xmlns:f=\"urn:f\"><f:Footer><f:Message code=\"413\"><f:Text>later</f:Text></f:Message></f:Footer></m:GenericData>"
            ), arguments: ["--preset", "sdmx"], exitCode: 65, fragment: "413"),
        Case(
            name: "binary file as a bulletin", file: "a.txt", bytes: [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x0D, 0x0A],
            arguments: [], exitCode: 65, fragment: "a.txt"),
        Case(
            name: "bulletin over 4 MiB", file: "a.txt", bytes: [UInt8](repeating: 0x61, count: 5 << 20), arguments: [],
            exitCode: 65, fragment: "too large"),
        Case(
            name: "unknown input format", file: "a.dat", bytes: text("x"), arguments: [], exitCode: 64,
            fragment: "--from"),
        Case(
            name: "unknown preset", file: "a.xml", bytes: text("<r/>"), arguments: ["--preset", "soap"], exitCode: 64,
            fragment: "unknown preset")
    ]

    @Test(arguments: cases)
    func badInput(_ testCase: Case) throws {
        let directory = try TemporaryDirectory()
        let input = directory.path(testCase.file)
        try Data(testCase.bytes).write(to: URL(fileURLWithPath: input))
        let output = testCase.file.hasSuffix(".txt") ? directory.path("out") : directory.path("out.ndjson")
        let (code, errors) = publicaCapturingErrors(["convert", input, output] + testCase.arguments)
        #expect(code == testCase.exitCode, "\(testCase.name): \(errors)")
        #expect(errors.contains(testCase.fragment), "\(testCase.name): \(errors)")
        if code == 65 || code == 64 || code == 1 {
            #expect(!FileManager.default.fileExists(atPath: output), "no output after a failure")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter {
            $0.contains("publica-tmp")
        }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }

    @Test func directoryAndMissingFile() throws {
        let directory = try TemporaryDirectory()
        let folder = publicaCapturingErrors(["convert", directory.url.path, directory.path("o.ndjson"), "--from", "csv"]
        )
        #expect(folder.code == 1 && folder.errors.contains("is a directory"))
        let missing = publicaCapturingErrors(["convert", directory.path("none.csv"), directory.path("o.ndjson")])
        #expect(missing.code == 1 && missing.errors.contains("none.csv: error: cannot open"))
    }

    /// A FIFO is a stream like standard input: read once, converted whole.
    // The limit guards against a hang only: its clock runs while the test waits for a free thread
    // of the shared pool, and a loaded two-core CI machine once needed more than a minute.
    @Test(.timeLimit(.minutes(10))) func aFIFOIsReadAsAStream() throws {
        let directory = try TemporaryDirectory()
        let fifo = directory.path("in.csv")
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            _ = Array("a,b\n1,2\n3,4\n".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        writer.start()
        let result = publicaCapturingErrors(["convert", fifo, directory.path("out.ndjson")])
        #expect(result.code == 0 && result.errors.contains("2 records written"), "\(result.errors)")
        #expect(
            try String(contentsOfFile: directory.path("out.ndjson"), encoding: .utf8)
                == "{\"a\":\"1\",\"b\":\"2\"}\n{\"a\":\"3\",\"b\":\"4\"}\n")
    }

    @Test func schemaWithABrokenRegexAndAMissingForeignResource() throws {
        let directory = try TemporaryDirectory()
        try "a\nx\n".write(toFile: directory.path("t.csv"), atomically: false, encoding: .utf8)
        try #"{"fields": [{"name": "a", "type": "string", "constraints": {"pattern": "([a-"}}]}"#
            .write(toFile: directory.path("s.json"), atomically: false, encoding: .utf8)
        let broken = publicaCapturingErrors(["validate", directory.path("t.csv"), "--schema", directory.path("s.json")])
        #expect(broken.code == 65 && broken.errors.isEmpty == true)
        try """
        {"resources": [{"name": "t", "path": "t.csv", "schema": {"fields": [{"name": "a", "type": "string"}],
          "foreignKeys": [{"fields": "a", "reference": {"resource": "missing", "fields": "id"}}]}}]}
        """.write(toFile: directory.path("datapackage.json"), atomically: false, encoding: .utf8)
        #expect(publica(["validate", directory.path("datapackage.json")]) == 65)
    }
}
