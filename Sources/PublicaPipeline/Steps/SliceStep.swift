import PublicaCore

/// `slice: {start: N, stop: M}`: keeps the records whose 0-based index in the stream is in
/// [start, stop), as a Python slice does (no stop: to the end); the others are dropped, and
/// counted. The input is still read to its end.
public struct SliceStep: PipelineStep {
    /// Reported as `slice`.
    public let name = "slice"
    /// The index of the first record kept.
    public let start: Int
    /// The index of the first record dropped after the kept ones; nil for none.
    public let stop: Int?
    private var index = 0

    /// A step keeping records `start` up to (not including) `stop`.
    public init(start: Int = 0, stop: Int? = nil) {
        self.start = start
        self.stop = stop
    }

    /// The shape passes unchanged.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema { schema }

    /// Keeps the record when its index is in the slice, else drops it.
    public mutating func process(_ record: Record) throws -> StepResult {
        advance() ? .keep(record) : .drop
    }

    /// As ``process(_:)``, on the bytes (one count for both paths); never nil.
    public mutating func process(raw record: RawRecord) throws -> RawStepResult? {
        advance() ? .keep(record) : .drop
    }

    /// Whether the next record is in the slice.
    private mutating func advance() -> Bool {
        defer { index += 1 }
        return index >= start && index < (stop ?? .max)
    }
}
