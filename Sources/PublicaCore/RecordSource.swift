/// A stage that reads records from somewhere, one at a time, in constant memory.
///
/// Sources are pulled: `next()` returns the next record or nil at the end. Records the
/// source cannot make (a ragged CSV row under the `reject` policy) go to `onReject`,
/// never into silence.
public protocol RecordSource {
    /// The resource's name (e.g. the file's base name), used for output file names.
    var resourceName: String { get }
    /// The field names. Available once the source is opened (after the header is read).
    var schema: RecordSchema { get }
    /// What the source counted beyond records (blank lines, replaced bytes…), for reports.
    var counters: [(name: String, value: Int)] { get }
    /// What the source decided by itself while opening (the header line or delimiter it found),
    /// one sentence each, for the run's log and `convert`'s summary.
    var notes: [String] { get }
    /// Returns the next record, or nil at the end of the input.
    mutating func next(onReject: (Rejection) throws -> Void) throws -> Record?
    /// Hands every remaining record to `body` as raw bytes when the source can (the fast
    /// path); the default makes a ``RawRecord``-free pass through `next`.
    mutating func forEach(
        raw body: (RawRecord) throws -> Void,
        record: (Record) throws -> Void,
        onReject: (Rejection) throws -> Void) throws
}

extension RecordSource {
    public var counters: [(name: String, value: Int)] { [] }

    public var notes: [String] { [] }

    public mutating func forEach(
        raw body: (RawRecord) throws -> Void,
        record: (Record) throws -> Void,
        onReject: (Rejection) throws -> Void
    ) throws {
        while let next = try next(onReject: onReject) { try record(next) }
    }
}

/// A source that yields several named record sets (resources), such as a bulletin.
public protocol MultiResourceSource {
    /// Reads everything and returns each resource's records in order.
    mutating func readResources() throws -> [Resource]
}

/// A named, finished set of records with its schema.
public struct Resource: Sendable {
    public var name: String
    /// A human title, such as the heading above a table.
    public var title: String?
    public var schema: RecordSchema
    public var records: [Record]

    public init(name: String, schema: RecordSchema, records: [Record], title: String? = nil) {
        self.name = name
        self.title = title
        self.schema = schema
        self.records = records
    }
}
