import Foundation
import PublicaCore
import PublicaExport
import PublicaIngest
import PublicaTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Converts a CSV file with each writer, through the raw fast path, as `publica convert` does.
func convert(_ input: String, to output: String, format: String, options: CSVReadOptions = CSVReadOptions()) throws {
    let reader = try CSVReader(path: input, options: options)
    let file = try OutputFile(path: output)
    func pump<Sink: RecordSink>(_ sink: inout Sink) throws {
        try sink.begin(schema: reader.schema)
        try reader.forEach(raw: { try sink.write(raw: $0) }, record: { try sink.write($0) }, onReject: { _ in })
        try sink.finish()
    }
    switch format {
    case "ndjson":
        var sink = NDJSONWriter(file: file)
        try pump(&sink)
    case "ndjson-fused":  // the fused path `publica convert` takes for NDJSON
        var sink = NDJSONWriter(file: file)
        try sink.begin(schema: reader.schema)
        var source: any RecordSource = reader
        #expect(try sink.write(renderedBy: &source, onReject: { _ in }, progress: { _ in }))
        try sink.finish()
    case "json":
        var sink = JSONWriter(file: file)
        try pump(&sink)
    default:
        var sink = CSVWriter(file: file, lineEnding: .lf)
        try pump(&sink)
    }
}

struct WritersTests {
    static let tricky =
        "id,text\n1,\"tab\there \"\"q\"\" back\\\\slash\"\n2,\"bell\u{07} nul-free \u{1F} 😀 𠀀 한글\"\n3,\"a\r\nb\"\n4,\n"

    @Test(arguments: ["ndjson", "ndjson-fused"])
    func ndjsonParsesStrictlyLineByLine(path: String) throws {
        let directory = try TemporaryDirectory()
        let input = try writeFile(WritersTests.tricky, directory.path("in.csv"))
        try convert(input, to: directory.path("out.ndjson"), format: path)
        let lines = try String(contentsOfFile: directory.path("out.ndjson"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4)
        let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: String] }
        #expect(objects[0]["text"] == "tab\there \"q\" back\\\\slash")
        #expect(objects[1]["text"] == "bell\u{07} nul-free \u{1F} 😀 𠀀 한글")
        #expect(objects[2]["text"] == "a\r\nb")
        #expect(objects[3]["text"] == "")
        #expect(lines[0].hasPrefix(#"{"id":"1","text":"#))
    }

    @Test func jsonIsOneArray() throws {
        let directory = try TemporaryDirectory()
        let input = try writeFile(WritersTests.tricky, directory.path("in.csv"))
        try convert(input, to: directory.path("out.json"), format: "json")
        let array = try JSONSerialization.jsonObject(
            with: Data(contentsOf: directory.url.appendingPathComponent("out.json")))
        #expect((array as? [[String: String]])?.count == 4)

        let empty = try writeFile("a,b\n", directory.path("empty.csv"))
        try convert(empty, to: directory.path("empty.json"), format: "json")
        #expect(try String(contentsOfFile: directory.path("empty.json"), encoding: .utf8) == "[]\n")
    }

    /// CSV out, then CSV in again: the same table (quotes only where needed).
    @Test func csvRoundTrips() throws {
        let directory = try TemporaryDirectory()
        let input = try writeFile(WritersTests.tricky, directory.path("in.csv"))
        try convert(input, to: directory.path("out.csv"), format: "csv")
        let again = try CSVReader(path: directory.path("out.csv"))
        let original = try CSVReader(path: input)
        while let record = try original.next(onReject: { _ in }) {
            #expect(try again.next(onReject: { _ in })?.values == record.values)
        }
        let text = try String(contentsOfFile: directory.path("out.csv"), encoding: .utf8)
        #expect(text.hasPrefix("id,text\n1,\"tab\there \"\"q\"\" back"))
        #expect(text.hasSuffix("\n4,\n"))
    }

    @Test func csvWriterQuotesOnlyWhereNeededAndWritesBOM() throws {
        let directory = try TemporaryDirectory()
        var sink = CSVWriter(file: try OutputFile(path: directory.path("t.csv")), byteOrderMark: true)
        try sink.begin(schema: RecordSchema(fieldNames: ["a", "b"]))
        let provenance = Provenance(source: "x", line: 1, recordNumber: 1)
        try sink.write(Record(values: ["plain 한글", "comma, \"quote\""], provenance: provenance))
        try sink.write(Record(values: [.integer(7), .null], provenance: provenance))
        try sink.finish()
        let bytes = try [UInt8](Data(contentsOf: directory.url.appendingPathComponent("t.csv")))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(
            String(decoding: bytes.dropFirst(3), as: UTF8.self) == "a,b\r\nplain 한글,\"comma, \"\"quote\"\"\"\r\n7,\r\n")
    }

    /// Nothing appears at the destination until the writer finishes; a dropped writer leaves nothing.
    @Test func outputAppearsOnlyWhenComplete() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("out.ndjson")
        try "previous\n".write(toFile: path, atomically: false, encoding: .utf8)
        do {
            var sink = NDJSONWriter(file: try OutputFile(path: path))
            try sink.begin(schema: RecordSchema(fieldNames: ["a"]))
            try sink.write(Record(values: ["new"], provenance: Provenance(source: "x", line: 1, recordNumber: 1)))
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous\n")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["out.ndjson"])
    }

    /// Many buffer hand-offs to the writer thread, and a record larger than a buffer: every byte arrives in order.
    @Test func largeOutputsCrossManyBuffers() throws {
        let directory = try TemporaryDirectory()
        let file = try OutputFile(path: directory.path("big.ndjson"), bufferCapacity: 4096)
        var sink = NDJSONWriter(file: file)
        try sink.begin(schema: RecordSchema(fieldNames: ["n", "text"]))
        let huge = String(repeating: "큰값", count: 5000)
        var expected = ""
        for index in 0..<3000 {
            let text = index == 1500 ? huge : "줄 \(index)"
            try sink.write(
                Record(
                    values: [.integer(Int64(index)), .text(text)],
                    provenance: Provenance(source: "x", line: index, recordNumber: index)))
            expected += "{\"n\":\(index),\"text\":\"\(text)\"}\n"
        }
        try sink.finish()
        #expect(try String(contentsOfFile: directory.path("big.ndjson"), encoding: .utf8) == expected)
        #expect(file.bytesWritten == expected.utf8.count)
    }

    /// Direct I/O writes whole blocks and carries each buffer's partial block into the next:
    /// with buffers that are not a whole number of blocks, records of every length, and a record
    /// larger than a buffer arriving after a partial block, the file and its hash are exact.
    @Test(arguments: [4096, 10_000, 65_536])
    func directWritesKeepEveryByte(bufferCapacity: Int) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("direct.ndjson")
        let file = try OutputFile(path: path, bufferCapacity: bufferCapacity, hashing: true)
        var sink = NDJSONWriter(file: file)
        try sink.begin(schema: RecordSchema(fieldNames: ["n", "text"]))
        var expected: [UInt8] = []
        var seed: UInt64 = 42
        for index in 0..<5000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let length = index == 2500 ? 70_000 : Int(seed >> 33) % 300
            let text = String(repeating: index % 3 == 0 ? "가" : "a", count: length)
            try sink.write(
                Record(
                    values: [.integer(Int64(index)), .text(text)],
                    provenance: Provenance(source: "x", line: index, recordNumber: index)))
            expected += Array("{\"n\":\(index),\"text\":\"\(text)\"}\n".utf8)
        }
        try sink.finish()
        #if os(Linux)
        // The file systems test folders live on (ext4, xfs, btrfs, tmpfs since Linux 6.6) take
        // direct I/O: without it this test would only check the cache path.
        #expect(file.direct, "direct I/O was not used for \(path)")
        #endif
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(expected))
        #expect(file.bytesWritten == expected.count)
        var digest = SHA256()
        expected.withUnsafeBytes { digest.update($0) }
        #expect(file.sha256 == digest.finalize())
    }

    /// A destination under a regular file cannot be created, even by root.
    @Test func unwritableDestinationIsAnIOError() throws {
        let directory = try TemporaryDirectory()
        let blocker = try writeFile("not a folder", directory.path("file"))
        let error = #expect(throws: PublicaError.self) { try OutputFile(path: blocker + "/out.csv") }
        #expect(error?.exitStatus == .failure)
        #expect(error?.location?.file == blocker + "/out.csv")
        #expect(error?.message.contains("Not a directory") == true)
    }

    /// A device or FIFO is written in place: a temporary file and a rename would replace it.
    @Test func devicesAreWrittenInPlace() throws {
        let file = try OutputFile(path: "/dev/null")
        var sink = NDJSONWriter(file: file)
        try sink.begin(schema: RecordSchema(fieldNames: ["a"]))
        try sink.write(Record(values: ["x"], provenance: Provenance(source: "x", line: 1, recordNumber: 1)))
        try sink.finish()
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
    }

    @Test func missingDirectoriesAreCreated() throws {
        let directory = try TemporaryDirectory()
        var sink = NDJSONWriter(file: try OutputFile(path: directory.path("a/b/out.ndjson")))
        try sink.begin(schema: RecordSchema(fieldNames: ["x"]))
        try sink.finish()
        #expect(FileManager.default.fileExists(atPath: directory.path("a/b/out.ndjson")))
    }
}

func writeFile(_ text: String, _ path: String) throws -> String {
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    return path
}
