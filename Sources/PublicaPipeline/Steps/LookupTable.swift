import PublicaCore
import PublicaJSON

/// The right side of a `join` or the referenced side of a foreign key: records indexed by the
/// text of their key fields (null as empty text), each key once.
public struct LookupTable: Sendable {
    /// The fields of the records.
    public let schema: RecordSchema
    /// The records, in their order.
    public let records: [Record]
    private var index: [[String]: Int] = [:]

    /// Indexes `records` by `key` (field names of `schema`); a key found twice is a data error
    /// naming it and both records' places, since a join would have to pick one.
    public init(schema: RecordSchema, records: [Record], key: [String], describedAs what: String) throws {
        self.schema = schema
        self.records = records
        let positions = try schema.positions(of: key, for: what)
        index.reserveCapacity(records.count)
        for (number, record) in records.enumerated() {
            let values = LookupTable.key(record, positions)
            if let first = index.updateValue(number, forKey: values) {
                let earlier = records[first].provenance
                throw PublicaError(
                    .data,
                    "\(what): the key \(key.joined(separator: ", ")) is not unique: "
                        + "'\(values.joined(separator: "', '"))' is at \(earlier.source):\(earlier.line) and "
                        + "\(record.provenance.source):\(record.provenance.line)",
                    at: SourceLocation(file: record.provenance.source, line: record.provenance.line))
            }
        }
    }

    /// The record whose key is `values`, if any.
    public func record(for values: [String]) -> Record? {
        index[values].map { records[$0] }
    }

    /// Whether some record has the key `values`.
    public func contains(_ values: [String]) -> Bool { index[values] != nil }

    /// A record's key: its fields at `positions`, as text.
    static func key(_ record: Record, _ positions: [Int]) -> [String] {
        positions.map { $0 < record.values.count ? record.values[$0].textValue ?? "" : "" }
    }

    /// Reads a whole file (a code list) as a table, through the registered source formats.
    public static func read(_ source: Pipeline.Source) throws -> (schema: RecordSchema, records: [Record]) {
        guard
            case .single(var reader) = try Formats.sources.open(
                source.path, format: source.format, options: source.options)
        else {
            throw PublicaError(.usage, "\(source.path) has several resources; a join reads one table")
        }
        var records: [Record] = []
        var rejected: Rejection?
        while let record = try reader.next(onReject: { rejected = rejected ?? $0 }) { records.append(record) }
        if let rejected {
            // A code list with a broken row would make later rows match nothing, silently.
            throw PublicaError(
                .data, "\(source.path): \(rejected.message)",
                at: SourceLocation(file: rejected.provenance.source, line: rejected.provenance.line))
        }
        return (reader.schema, records)
    }
}
