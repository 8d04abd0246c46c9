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
        // Typed with its labels: an unlabeled tuple array would be cast to this type at every comparison.
        let order: [(position: Int, descending: Bool)] = try keys.map {
            (try schema.position(of: $0.field, for: name), $0.descending)
        }
        sorter = ExternalSorter(budget: budget) { a, b in SortStep.before(a, b, order) }
        return schema
    }

    /// Holds the record (spilling past the budget); it comes out of ``finish(_:)``.
    public mutating func process(_ record: Record) throws -> StepResult {
        try sorter!.add(record)
        return .held
    }

    /// Gives the records in sorted order; the spill files are gone once it returns or throws.
    public mutating func finish(_ emit: (Record) throws -> Void) throws {
        try sorter?.finish(emit)
    }

    /// Whether `a` goes strictly before `b` by the keys: missing values last in either direction.
    static func before(_ a: Record, _ b: Record, _ keys: [(position: Int, descending: Bool)]) -> Bool {
        for (position, descending) in keys {
            // The values are compared where they are: copying them out would retain their storage.
            let order =
                position < a.values.count && position < b.values.count
                ? SortStep.order(a.values[position], b.values[position])
                : SortStep.order(
                    position < a.values.count ? a.values[position] : .null,
                    position < b.values.count ? b.values[position] : .null)
            switch order {
            case .missingFirst: return false
            case .missingSecond: return true
            case .bothMissing: continue
            case .compared(let result): if result != 0 { return descending ? result > 0 : result < 0 }
            }
        }
        return false
    }

    private enum Order { case missingFirst, missingSecond, bothMissing, compared(Int) }

    private static func order(_ x: FieldValue, _ y: FieldValue) -> Order {
        switch (ValueOrder.isMissing(x), ValueOrder.isMissing(y)) {
        case (true, true): .bothMissing
        case (true, false): .missingFirst
        case (false, true): .missingSecond
        case (false, false): .compared(ValueOrder.compare(x, y))
        }
    }
}
