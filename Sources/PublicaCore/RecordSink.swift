/// A stage that writes records somewhere.
///
/// A sink is opened with the stream's schema, written to record by record, and then
/// finished. Sinks that can write raw bytes directly override `write(raw:)`; the default
/// turns the raw record into a ``Record`` first.
public protocol RecordSink {
    /// Called once before any record.
    mutating func begin(schema: RecordSchema) throws
    mutating func write(_ record: Record) throws
    mutating func write(raw record: RawRecord) throws
    /// Flushes and completes the output (closing brackets, final newline).
    mutating func finish() throws
    /// Writes every remaining record of `source` through the source's fused path, if both have
    /// one (a CSV reader renders NDJSON lines itself); `progress` gets each batch's record count.
    /// False, with nothing read or written, otherwise.
    mutating func write(
        renderedBy source: inout any RecordSource, onReject: (Rejection) throws -> Void,
        progress: (Int) throws -> Void
    ) throws -> Bool
}

extension RecordSink {
    public mutating func write(raw record: RawRecord) throws {
        try write(record.makeRecord())
    }

    public mutating func write(
        renderedBy source: inout any RecordSource, onReject: (Rejection) throws -> Void,
        progress: (Int) throws -> Void
    ) throws -> Bool {
        false
    }
}
