import PublicaCore

/// `sort: {by: [F, -G]}` (or `by: F`): the records in the order of these fields, the first
/// deciding, a leading `-` for descending.
///
/// Stable: records with equal keys keep their input order. Values compare as ``ValueOrder``
/// says: typed numbers and dates by value, text by its UTF-8 bytes (numbers still in text
/// compare as text; `cast` first to sort them numerically). Missing values (null or empty
/// text) go last whichever the direction. Records are held up to the step's memory budget,
/// then sorted runs spill to unnamed temporary files and are merged at the end.
public struct SortStep: SpillingStep {
    /// One sort key: a field and its direction.
    public struct Key: Sendable, Hashable {
        /// The field sorted by.
        public var field: String
        /// True for descending (`-field` in the file).
        public var descending: Bool

        /// A key on `field`, ascending unless `descending`.
        public init(field: String, descending: Bool = false) {
            self.field = field
            self.descending = descending
        }
    }

    /// Reported as `sort`.
    public let name = "sort"
    /// The keys, most significant first.
    public var keys: [Key]
    private var budget = MemoryBudget()
    private var sorter: ExternalSorter?
    private var order: [(position: Int, descending: Bool)] = []
    private var key = SortKey()
    private let held = HeldRecords()
    /// Sorted runs written to spill files so far (0: the sort stayed in memory), merge passes included.
    public var spilledRuns: Int { sorter?.spilledRuns ?? 0 }
    /// Bytes written to spill files so far.
    public var spilledBytes: Int { sorter?.spilledBytes ?? 0 }

    /// A step sorting by `keys`; the fields are looked up in ``prepare(_:)``.
    public init(keys: [Key]) { self.keys = keys }

    /// Takes the memory the step may hold before it spills, and where.
    public mutating func use(_ budget: MemoryBudget) { self.budget = budget }

    /// Checks that every key field exists; the shape passes unchanged.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        order = try keys.map { (try schema.position(of: $0.field, for: name), $0.descending) }
        sorter = ExternalSorter(budget: budget)
        return schema
    }

    /// Holds the record's bytes (spilling past the budget); they come out of ``finish(raw:records:)``.
    public mutating func process(raw record: RawRecord) throws -> RawStepResult? {
        key.reset()
        for (position, descending) in order {
            key.append(raw: position < record.fields.count ? record.fields[position] : .null, descending: descending)
        }
        try sorter!.add(key: key.bytes, payload: held.payload(raw: record))
        return .held
    }

    /// Holds the record (spilling past the budget); it comes out of ``finish(_:)``.
    public mutating func process(_ record: Record) throws -> StepResult {
        key.reset()
        for (position, descending) in order {
            key.append(position < record.values.count ? record.values[position] : .null, descending: descending)
        }
        try sorter!.add(key: key.bytes, payload: held.payload(record))
        return .held
    }

    /// Gives the records in sorted order, each as it came in (bytes or a record); the spill
    /// files are gone once it returns or throws.
    public mutating func finish(raw: (RawRecord) throws -> Void, records: (Record) throws -> Void) throws {
        try sorter?.finish { _, payload in try held.read(payload, raw: raw, record: records) }
    }

    /// Gives the records in sorted order.
    public mutating func finish(_ emit: (Record) throws -> Void) throws {
        try finish(raw: { try emit($0.makeRecord()) }, records: emit)
    }
}
