import PublicaCore

/// The fused fast path from a source's bytes to JSON lines: a source that renders its records
/// as NDJSON objects itself, straight from its input into a writer's buffer, in one pass over
/// their bytes, with no record or raw record in between (a CSV reader does).
///
/// A writer of JSON lines asks for it once per source (`source as? any JSONLinesRendering`), not
/// per record; a source without it is read through `RecordSource.forEach(raw:record:onReject:)`.
public protocol JSONLinesRendering: RecordSource {
    /// Renders the next records straight from the input into `destination` as `{…}` objects with
    /// `keys`, each followed by a line feed, in one pass over their bytes, until `capacity` bytes
    /// are nearly used (see ``JSONLinesBatch``).
    mutating func renderJSONLines(
        keys: JSONObjectKeys, into destination: UnsafeMutablePointer<UInt8>,
        capacity: Int, onReject: (Rejection) throws -> Void
    ) throws -> JSONLinesBatch
}

/// What one call of ``JSONLinesRendering/renderJSONLines(keys:into:capacity:onReject:)`` did.
public struct JSONLinesBatch: Sendable, Equatable {
    /// Bytes written at the start of the destination (whole lines only).
    public var bytes: Int
    /// Records written.
    public var records: Int
    /// True when the input is exhausted.
    public var atEnd: Bool
    /// When the next record did not fit: the room it needs (call again with at least that much).
    public var needs: Int

    /// A batch's figures; `needs` stays 0 unless the next record did not fit.
    public init(bytes: Int, records: Int, atEnd: Bool, needs: Int = 0) {
        self.bytes = bytes
        self.records = records
        self.atEnd = atEnd
        self.needs = needs
    }
}
