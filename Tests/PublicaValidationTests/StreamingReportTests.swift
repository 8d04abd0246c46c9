import Foundation
import PublicaCore
import PublicaIngest
import PublicaTestSupport
import Testing

@testable import PublicaValidation

/// Errors stream to a sink as they are found; the reports written from the stream have the
/// same content as the collected ones, and failed writes are errors.
struct StreamingReportTests {
    static let invalid = FrictionlessCorpusTests.path("invalid.csv")

    static func validate(limit: Int? = nil, sink: (any ValidationErrorSink)?) throws -> ValidationTask {
        var keys = TableValidator.KeyCollector()
        return try TableValidator(errorLimit: limit, errorSink: sink).validate(
            path: invalid, name: "invalid", schema: nil, keys: &keys)
    }

    @Test func sinkGetsTheErrorsTheTaskWouldHaveKept() throws {
        let collected = try StreamingReportTests.validate(sink: nil)
        let sink = CollectingErrorSink()
        let streamed = try StreamingReportTests.validate(sink: sink)
        #expect(collected.errors.count == 8)
        #expect(sink.errors == collected.errors)
        #expect(streamed.errors.isEmpty && streamed.streamedErrors == 8 && streamed.errorCount == 8 && !streamed.valid)
        #expect(sink.begun == [StreamingReportTests.invalid])
    }

    @Test func errorLimitHoldsWhenStreaming() throws {
        let sink = CollectingErrorSink()
        let task = try StreamingReportTests.validate(limit: 3, sink: sink)
        #expect(sink.errors.count == 3 && task.errorCount == 3)
        #expect(task.warnings == ["reached error limit: 3"])
    }

    /// A sink's error ends the validation and comes out as itself, not as a source error.
    @Test func throwingSinkStopsTheValidation() throws {
        final class Failing: ValidationErrorSink {
            struct Full: Error {}
            var received = 0
            func begin(_ task: ValidationTask) throws {}
            func receive(_ error: ValidationError) throws {
                received += 1
                throw Full()
            }
        }
        let sink = Failing()
        #expect(throws: Failing.Full.self) { try StreamingReportTests.validate(sink: sink) }
        #expect(sink.received == 1)
    }

    /// Runs a streaming writer into a file and returns what it wrote.
    static func written(_ make: (CheckedOutput) -> any StreamingReportWriter, limit: Int? = nil) throws -> String {
        let directory = try TemporaryDirectory()
        let path = directory.path("report")
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { close(descriptor) }
        let writer = make(CheckedOutput(fileDescriptor: descriptor))
        let task = try validate(limit: limit, sink: writer)
        try writer.finish(task, seconds: 0.25)
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func jsonReportIsWrittenIncrementallyInFrictionlessShape() throws {
        let json = try StreamingReportTests.written { JSONReportWriter($0) }
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(report["valid"] as? Bool == false)
        let stats = report["stats"] as? [String: Any]
        #expect(stats?["errors"] as? Int == 8 && stats?["tasks"] as? Int == 1 && stats?["seconds"] as? Double == 0.25)
        let task = try #require((report["tasks"] as? [[String: Any]])?.first)
        #expect(task["labels"] as? [String] == ["id", "name", "", "name"])
        #expect((task["stats"] as? [String: Any])?["rows"] as? Int == 4)
        let errors = task["errors"] as? [[String: Any]] ?? []
        #expect(
            errors.map { $0["type"] as? String ?? "" }
                == (try StreamingReportTests.validate(sink: nil)).errors.map(\.type))
        let limited = try StreamingReportTests.written({ JSONReportWriter($0) }, limit: 1)
        let limitedReport = try #require(try JSONSerialization.jsonObject(with: Data(limited.utf8)) as? [String: Any])
        #expect(((limitedReport["tasks"] as? [[String: Any]])?.first?["errors"] as? [Any])?.count == 1)
        #expect(limitedReport["warnings"] as? [String] == ["reached error limit: 1"])
    }

    @Test func textReportHasOneLinePerErrorThenTheSummary() throws {
        let text = try StreamingReportTests.written { TextReportWriter($0) }
        let lines = text.split(separator: "\n")
        #expect(lines.count == 9)
        #expect(
            lines.first == "  field 3 (field_3): blank-label: Label in the header in field at position \"3\" is blank")
        #expect(lines.last == "\(StreamingReportTests.invalid): invalid (4 rows, 4 fields, 8 errors)")
    }

    @Test func writeFailureNamesStandardOutputAndTheReason() throws {
        let descriptor = open("/dev/full", O_WRONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let output = CheckedOutput(fileDescriptor: descriptor)
        // Small writes stay in the buffer; the flush is checked as much as the writes.
        try output.write("{}\n")
        let error = #expect(throws: PublicaError.self) { try output.flush() }
        #expect(
            error?.message.contains("standard output") == true
                && error?.message.contains(String(cString: strerror(ENOSPC))) == true,
            "\(error?.message ?? "")")
        #expect(error?.exitStatus == .failure)
        let big = CheckedOutput(fileDescriptor: descriptor)
        #expect(throws: PublicaError.self) { try big.write(String(repeating: "x", count: 1 << 17)) }
    }
}
