import PublicaCore
import PublicaJSON

/// Reads records from JSON: an array of objects (`.json`) or one object per line (`.ndjson`).
///
/// Streams: one object is parsed at a time, whatever the file's size. The first object's
/// keys are the fields, made unique as a CSV header is (``FieldNames/makeUnique(_:)``: a blank
/// key at position N is `field_N`, a repeated `a` is `a_2`); the n-th `a` of a later object goes
/// to the n-th of those fields. A later object missing a key gets null there; one with a key the
/// first did not have is rejected with the reason (its value would have no column), never
/// dropped in silence.
public final class JSONRecordReader: RecordSource {
    /// The file's base name without its extension (`stdin` for standard input), for output names.
    public let resourceName: String
    /// The first object's keys, made unique; no fields for an empty array or file.
    public private(set) var schema = RecordSchema(fieldNames: [])
    /// Objects read (including rejected ones).
    public private(set) var recordsRead = 0

    private let sourceName: String
    private let stream: ByteStream
    private let parser: JSONValueParser
    private var inArray = false
    private var finished = false
    private var pending: (FieldValue, Int)?
    /// For each key of the first object, the field of each of its occurrences there.
    private var fieldIndex: [String: [Int]] = [:]
    /// The record that last filled each field, to send a repeated key to its next field.
    private var filledBy: [Int] = []

    /// Opens `path` (`-` for standard input) and reads the first object to learn the fields.
    public init(
        path: String, encoding: TextEncoding = .auto, invalidBytes: InvalidBytePolicy = .strict,
        limits: ReadLimits = ReadLimits()
    ) throws {
        let input = try FileInput(path: path)
        sourceName = path
        resourceName = SourceOptions.resourceName(for: path)
        stream = ByteStream(decoder: TextDecoder(input: input, encoding: encoding, policy: invalidBytes))
        stream.recordLimit = limits
        stream.sourceName = path
        parser = JSONValueParser(stream: stream, sourceName: path)
        if try parser.skipWhitespace() == UInt8(ascii: "[") {
            _ = try stream.next()
            inArray = true
            if try parser.skipWhitespace() == UInt8(ascii: "]") {
                _ = try stream.next()
                finished = true
            }
        }
        if let first = try readValue() {
            pending = first
            guard case .object(let pairs) = first.0 else { throw notAnObject(line: first.1) }
            schema = RecordSchema(labels: pairs.map(\.key))
            for (index, pair) in pairs.enumerated() { fieldIndex[pair.key, default: []].append(index) }
            filledBy = [Int](repeating: 0, count: pairs.count)
        }
    }

    private func notAnObject(line: Int) -> PublicaError {
        PublicaError(.data, "expected a JSON object for each record", at: SourceLocation(file: sourceName, line: line))
    }

    /// The next top-level value (array element or line) and the line it starts on.
    private func readValue() throws -> (FieldValue, Int)? {
        guard !finished else { return nil }
        guard let next = try parser.skipWhitespace() else {
            if inArray { throw parser.error("unexpected end of input: the array is not closed") }
            finished = true
            return nil
        }
        let line = stream.line
        stream.beginRecord()
        _ = next
        let value = try parser.parseValue()
        if inArray {
            let separator = try parser.skipWhitespace()
            _ = try stream.next()
            if separator == UInt8(ascii: "]") {
                finished = true
                if try parser.skipWhitespace() != nil { throw parser.error("unexpected text after the closing ']'") }
            } else if separator != UInt8(ascii: ",") {
                throw parser.error("expected ',' or ']' after an array element")
            }
        }
        return (value, line)
    }

    /// The next object as a record, values typed as JSON has them (numbers exact); nil at the end.
    /// An object with a key the first did not have goes to `onReject`; one that is not an object
    /// throws.
    public func next(onReject: (Rejection) throws -> Void) throws -> Record? {
        while true {
            let item: (FieldValue, Int)
            if let pending {
                item = pending
                self.pending = nil
            } else {
                guard let read = try readValue() else { return nil }
                item = read
            }
            recordsRead += 1
            guard case .object(let pairs) = item.0 else { throw notAnObject(line: item.1) }
            let provenance = Provenance(
                source: sourceName, line: item.1, endLine: stream.line, recordNumber: recordsRead)
            var values = [FieldValue](repeating: .null, count: schema.count)
            var unknown: [String] = []
            for pair in pairs {
                if let index = field(for: pair.key) { values[index] = pair.value } else { unknown.append(pair.key) }
            }
            if unknown.isEmpty { return Record(values: values, provenance: provenance) }
            try onReject(
                Rejection(
                    rawValues: pairs.map { $0.value.textValue ?? "" },
                    fieldNames: FieldNames.makeUnique(pairs.map(\.key)),
                    provenance: provenance, field: unknown[0], rule: "unknown-field",
                    message: "field '\(unknown[0])' is not among the first record's fields"))
        }
    }

    /// The field for the next occurrence of `key` in the current record; nil when the first
    /// object did not have the key, or had it fewer times.
    private func field(for key: String) -> Int? {
        guard let indices = fieldIndex[key] else { return nil }
        for index in indices where filledBy[index] != recordsRead {
            filledBy[index] = recordsRead
            return index
        }
        return nil
    }
}
