import PublicaCore
import PublicaJSON

/// Writes records as newline-delimited JSON: one object per line, keys in field order.
///
/// Keys are rendered once, as byte prefixes (`{"name":` then `,"name":`), and copied
/// per record; raw CSV fields are escaped straight from the reader's buffer.
public struct NDJSONWriter: RecordSink {
    var output: OutputBuffer
    var keys = JSONObjectKeys()

    /// A writer into `file`.
    public init(file: OutputFile) {
        output = OutputBuffer(file: file)
    }

    /// Renders the keys once, from the field names; nothing is written yet.
    public mutating func begin(schema: RecordSchema) throws {
        keys = JSONObjectKeys(schema.fieldNames, firstPrefix: "{", separator: ",")
    }

    /// Writes one line from the reader's bytes, escaped straight into the buffer: null as `null`, a
    /// typed number or boolean bare, text and dates as strings.
    public mutating func write(raw record: RawRecord) throws {
        let destination = try output.reserve(keys.bound(for: record) &+ 2)
        let written = keys.writeObjectBody(record, to: destination)
        destination[written] = UInt8(ascii: "}")
        destination[written &+ 1] = 0x0A
        output.commit(written &+ 2)
    }

    /// Writes one line: the record as a JSON object, its values typed (numbers exact, null `null`).
    public mutating func write(_ record: Record) throws {
        var bytes = keys.renderObject(record)
        bytes.append(0x0A)
        try output.append(bytes)
    }

    /// Writes every remaining record of `source` through its fused path
    /// (``JSONLinesRendering/renderJSONLines(keys:into:capacity:onReject:)``), straight into the
    /// output buffer; `progress` gets each batch's record count. False, with nothing read or
    /// written, when the source has no fused path (is not ``JSONLinesRendering``).
    public mutating func write(
        renderedBy source: inout any RecordSource, onReject: (Rejection) throws -> Void,
        progress: (Int) throws -> Void
    ) throws -> Bool {
        // One cast per source, not per batch or record.
        guard var fused = source as? any JSONLinesRendering else { return false }
        // The state the batches advanced is the state the caller goes on with (a struct source's too).
        defer { source = fused }
        var needs = 0
        while true {
            // Batches of at least 256 KiB: small enough to flush often, large enough that a batch is many records.
            let destination = try output.reserve(max(needs, 256 << 10))
            let batch = try fused.renderJSONLines(
                keys: keys, into: destination, capacity: output.available, onReject: onReject)
            output.commit(batch.bytes)
            try progress(batch.records)  // even with none written (all rejected): a chance to stop
            if batch.atEnd { return true }
            needs = batch.needs
        }
    }

    /// Writes what is buffered and moves the file into place, complete.
    public mutating func finish() throws {
        try output.commitFile()
    }
}

/// Writes records as one JSON array of objects, streamed: `[`, objects separated by commas, `]`.
public struct JSONWriter: RecordSink {
    var output: OutputBuffer
    var keys = JSONObjectKeys()
    var isFirst = true

    /// A writer into `file`.
    public init(file: OutputFile) {
        output = OutputBuffer(file: file)
    }

    /// Renders the keys once, from the field names, and opens the array.
    public mutating func begin(schema: RecordSchema) throws {
        keys = JSONObjectKeys(schema.fieldNames, firstPrefix: "{", separator: ",")
        try output.append("[")
    }

    /// Writes one element of the array from the reader's bytes.
    public mutating func write(raw record: RawRecord) throws {
        let destination = try output.reserve(keys.bound(for: record) &+ 4)
        destination[0] = isFirst ? 0x0A : UInt8(ascii: ",")
        destination[1] = 0x0A
        let start = isFirst ? 1 : 2
        isFirst = false
        let written = keys.writeObjectBody(record, to: destination + start)
        destination[start &+ written] = UInt8(ascii: "}")
        output.commit(start &+ written &+ 1)
    }

    /// Writes one element of the array: the record as a JSON object.
    public mutating func write(_ record: Record) throws {
        try output.append(isFirst ? "\n" : ",\n")
        isFirst = false
        try output.append(keys.renderObject(record))
    }

    /// Closes the array (`[]` when there were no records) and moves the file into place, complete.
    public mutating func finish() throws {
        try output.append(isFirst ? "]\n" : "\n]\n")
        try output.commitFile()
    }
}
