import PublicaCore
import PublicaJSON

/// The right side of a `join` or the referenced side of a foreign key: a table whose records
/// can be read more than once, never held whole by this value. A step reads them into its own
/// index (``KeyedSide``), keyed by the text of their key fields (null as empty text), each key
/// once, within its share of the memory budget.
///
/// Read more than once because a side that outgrows the share is read again into an external
/// sort, and a repeated key is named with the place of its first record, found again by reading.
public struct LookupTable {
    /// The fields of the records.
    public let schema: RecordSchema
    /// What the records are, for messages: `join with resource regions`.
    public let description: String
    private let feed: Feed

    private enum Feed {
        case records([Record])
        case retained(RetainedRecords)
        case file(LookupFile)
    }

    /// A table of `records` in memory (a test's, a caller's own).
    public init(schema: RecordSchema, records: [Record], describedAs what: String) {
        self.init(schema: schema, feed: .records(records), describedAs: what)
    }

    /// The records a resource wrote, as the runner kept them.
    init(schema: RecordSchema, retained: RetainedRecords, describedAs what: String) {
        self.init(schema: schema, feed: .retained(retained), describedAs: what)
    }

    /// A file (a code list), opened now for its fields and read as a step needs it, through the
    /// registered source formats.
    static func file(_ source: Pipeline.Source, describedAs what: String) throws -> LookupTable {
        let file = try LookupFile(source)
        return LookupTable(schema: file.schema, feed: .file(file), describedAs: what)
    }

    private init(schema: RecordSchema, feed: Feed, describedAs what: String) {
        self.schema = schema
        self.feed = feed
        description = what
    }

    /// Gives each record, in order, to `body` until it returns false.
    func forEach(_ body: (Record) throws -> Bool) throws {
        switch feed {
        case .records(let records):
            for record in records where try !body(record) { return }
        case .retained(let retained): try retained.forEach(body)
        case .file(let file): try file.forEach(body)
        }
    }

    /// The place of the record numbered `number` (from 0), found by reading again.
    func provenance(ofRecord number: Int) throws -> Provenance? {
        var seen = 0
        var found: Provenance?
        try forEach { record in
            if seen == number { found = record.provenance }
            seen += 1
            return found == nil
        }
        return found
    }

    /// A record's key: its fields at `positions`, as text.
    static func key(_ record: Record, _ positions: [Int]) -> [String] {
        positions.map { $0 < record.values.count ? record.values[$0].textValue ?? "" : "" }
    }

    /// The data error for a key found twice, naming it and both records' places, since a join
    /// would have to pick one.
    static func duplicate(
        _ what: String, key names: [String], values: [String], earlier: Provenance, later: Provenance
    ) -> PublicaError {
        PublicaError(
            .data,
            "\(what): the key \(names.joined(separator: ", ")) is not unique: "
                + "'\(values.joined(separator: "', '"))' is at \(earlier.source):\(earlier.line) and "
                + "\(later.source):\(later.line)",
            at: SourceLocation(file: later.source, line: later.line))
    }
}

/// A code-list file read as a lookup side: opened once for its fields (that reader serves the
/// first reading), opened again for any later one.
final class LookupFile {
    let source: Pipeline.Source
    let schema: RecordSchema
    private var opened: (any RecordSource)?

    init(_ source: Pipeline.Source) throws {
        self.source = source
        let reader = try LookupFile.open(source)
        schema = reader.schema
        opened = reader
    }

    private static func open(_ source: Pipeline.Source) throws -> any RecordSource {
        guard
            case .single(let reader) = try Formats.sources.open(
                source.path, format: source.format, options: source.options)
        else {
            throw PublicaError(.usage, "\(source.path) has several resources; a join reads one table")
        }
        return reader
    }

    /// Each record to `body` until it returns false; a broken row stops the reading with a data
    /// error once the rows are read, as a code list with one would make later rows match nothing.
    func forEach(_ body: (Record) throws -> Bool) throws {
        var reader = try opened ?? LookupFile.open(source)
        opened = nil
        var rejected: Rejection?
        while let record = try reader.next(onReject: { rejected = rejected ?? $0 }) {
            guard try body(record) else { return }
        }
        if let rejected {
            throw PublicaError(
                .data, "\(source.path): \(rejected.message)",
                at: SourceLocation(file: rejected.provenance.source, line: rejected.provenance.line))
        }
    }
}
