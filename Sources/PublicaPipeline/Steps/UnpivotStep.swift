import PublicaCore

/// `unpivot: {keep: [region], key: item, value: count}`: a wide table made long, each input
/// record becoming one record per unpivoted column (fields: the `keep` ones, then `key`, then
/// `value`).
///
/// Without `fields`, every column not in `keep` is unpivoted; with `fields`, only those, and a
/// column in neither list is left out (as Frictionless `unpivot` does). The key holds the
/// column's field name as text; the value holds the column's value as it is, so after a `cast`
/// one value column may hold integers from one column and text from another.
public struct UnpivotStep: PipelineStep {
    /// Reported as `unpivot`.
    public let name = "unpivot"
    /// The fields repeated on every record made, in this order.
    public var keep: [String]
    /// The columns made into records, in this order; nil for every column not in ``keep``.
    public var fields: [String]?
    /// The new field holding the unpivoted column's name.
    public var key: String
    /// The new field holding the unpivoted column's value.
    public var value: String
    private var keepIndices: [Int] = []
    private var columns: [(index: Int, label: FieldValue)] = []
    private var labels = RawLabels([])
    private let buffer = FieldBuffer()

    /// A step unpivoting `fields` (nil: all but `keep`) into `key` and `value`; names are checked in ``prepare(_:)``.
    public init(keep: [String], fields: [String]? = nil, key: String, value: String) {
        self.keep = keep
        self.fields = fields
        self.key = key
        self.value = value
    }

    /// Finds the kept and unpivoted columns (an unknown one is a usage error, and so is a column
    /// in both lists or nothing to unpivot); the outgoing shape is `keep` (with their source
    /// labels), `key`, `value`.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        keepIndices = try schema.positions(of: keep, for: name)
        let unpivoted = fields ?? schema.fieldNames.filter { !keep.contains($0) }
        if let both = unpivoted.first(where: keep.contains) {
            throw PublicaError(.usage, "unpivot: '\(both)' is both kept and unpivoted")
        }
        guard !unpivoted.isEmpty else {
            throw PublicaError(.usage, "unpivot: no column left to unpivot (every field is in keep)")
        }
        columns = try unpivoted.map { (try schema.position(of: $0, for: name), FieldValue.text($0)) }
        labels = RawLabels(unpivoted)
        return RecordSchema(
            fieldNames: keep + [key, value],
            originalLabels: zip(keep, keepIndices).map { name, index in
                index < schema.originalLabels.count ? schema.originalLabels[index] : name
            } + [key, value])
    }

    /// One record per unpivoted column, in column order, as bytes: the kept fields and the value
    /// point where they were, the key at the step's own copy of the column's name.
    public mutating func process(raw record: RawRecord) throws -> RawStepResult? {
        let width = keepIndices.count + 2
        let fields = buffer.fields(columns.count * width)
        func field(_ index: Int) -> RawRecord.Field { index < record.fields.count ? record.fields[index] : .null }
        var records: [RawRecord] = []
        records.reserveCapacity(columns.count)
        for (number, column) in columns.enumerated() {
            let base = number * width
            for (offset, index) in keepIndices.enumerated() { fields[base + offset] = field(index) }
            fields[base + width - 2] = labels.fields[number]
            fields[base + width - 1] = field(column.index)
            records.append(
                RawRecord(fields: UnsafeBufferPointer(rebasing: fields[base..<(base + width)]), place: record.place))
        }
        return .many(records)
    }

    /// One record per unpivoted column, in column order.
    public mutating func process(_ record: Record) throws -> StepResult {
        let kept = keepIndices.map(record.value(at:))
        return .many(
            columns.map { column in
                var values = kept
                values.reserveCapacity(kept.count + 2)
                values.append(column.label)
                values.append(record.value(at: column.index))
                return Record(values: values, provenance: record.provenance)
            })
    }
}

/// Column names as raw fields over bytes this object owns, for the records an unpivot makes.
final class RawLabels {
    let fields: [RawRecord.Field]
    private let storage: UnsafeMutableBufferPointer<UInt8>

    init(_ names: [String]) {
        storage = .allocate(capacity: max(names.reduce(0) { $0 + $1.utf8.count }, 1))
        var offset = 0
        var fields: [RawRecord.Field] = []
        for name in names {
            let bytes = Array(name.utf8)
            _ = UnsafeMutableBufferPointer(rebasing: storage[offset...]).initialize(from: bytes)
            fields.append(
                RawRecord.Field(
                    start: UnsafePointer(storage.baseAddress! + offset), count: bytes.count, encoding: .plain))
            offset += bytes.count
        }
        self.fields = fields
    }

    deinit { storage.deallocate() }
}
