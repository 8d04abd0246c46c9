import PublicaCore
import PublicaExport
import PublicaJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One table of a database being loaded: created from the record schema and the table's
/// description, filled row by row in one transaction, then given its indexes and its full-text
/// index.
///
/// The table is named after the resource; its columns after the fields, typed from the schema
/// (``SQLiteColumn``). The primary key is the table's; each foreign key is declared when the
/// table it refers to is in the same database, and its fields are indexed either way (after the
/// load: one sort instead of an index kept up row by row). With search fields, a contentless
/// FTS5 table `<table>_fts` (``SearchText``) holds one entry per row under the row's rowid.
final class SQLiteTable {
    let connection: SQLiteConnection
    let name: String
    let columns: [SQLiteColumn]
    let fieldNames: [String]
    private let insert: SQLiteStatement
    private let searchInsert: SQLiteStatement?
    /// The positions of the search fields.
    private let searchColumns: [Int]
    private var search = SearchText()
    private var scratch: [UInt8] = []
    private let description: TableDescription
    /// Rows inserted.
    private(set) var rows = 0

    /// Creates table `description.name` with the fields of `schema`; `tables` are the tables the
    /// database has already (the ones a foreign key may name).
    init(
        _ connection: SQLiteConnection, schema: RecordSchema, description: TableDescription, tables: Set<String>
    ) throws {
        self.connection = connection
        self.description = description
        name = description.name
        fieldNames = schema.fieldNames
        columns = schema.fieldNames.map { SQLiteColumn(description.field(named: $0)) }
        let missing = description.searchFields.filter { !schema.fieldNames.contains($0) }
        guard missing.isEmpty else {
            throw PublicaError(
                .usage,
                "search names fields the table does not have: \(missing.joined(separator: ", ")) "
                    + "(it has: \(schema.fieldNames.joined(separator: ", ")))")
        }
        searchColumns = description.searchFields.compactMap { schema.fieldNames.firstIndex(of: $0) }
        try connection.execute(SQLiteTable.createStatement(schema, description, columns: columns, tables: tables))
        let placeholders = Array(repeating: "?", count: schema.count).joined(separator: ", ")
        insert = try connection.prepare("INSERT INTO \(SQLiteConnection.quote(name)) VALUES (\(placeholders))")
        if searchColumns.isEmpty {
            searchInsert = nil
        } else {
            let fts = SQLiteConnection.quote(name + "_fts")
            try connection.execute(
                "CREATE VIRTUAL TABLE \(fts) USING fts5(search, content='', tokenize='unicode61 remove_diacritics 2')")
            searchInsert = try connection.prepare("INSERT INTO \(fts)(rowid, search) VALUES (?, ?)")
        }
    }

    /// `CREATE TABLE` with the columns' types, the primary key and the foreign keys whose tables
    /// are there.
    static func createStatement(
        _ schema: RecordSchema, _ description: TableDescription, columns: [SQLiteColumn], tables: Set<String>
    ) -> String {
        var parts = zip(schema.fieldNames, columns).map { SQLiteConnection.quote($0) + $1.declaration }
        let names = Set(schema.fieldNames)
        if !description.primaryKey.isEmpty && description.primaryKey.allSatisfy(names.contains) {
            parts.append("PRIMARY KEY (\(description.primaryKey.map(SQLiteConnection.quote).joined(separator: ", ")))")
        }
        for key in description.foreignKeys where key.fields.allSatisfy(names.contains) {
            let target = key.resource.isEmpty ? description.name : key.resource
            guard target == description.name || tables.contains(target) else { continue }
            parts.append(
                "FOREIGN KEY (\(key.fields.map(SQLiteConnection.quote).joined(separator: ", "))) REFERENCES "
                    + "\(SQLiteConnection.quote(target)) (\(key.referencedFields.map(SQLiteConnection.quote).joined(separator: ", ")))"
            )
        }
        return "CREATE TABLE \(SQLiteConnection.quote(description.name)) (\(parts.joined(separator: ", ")))"
    }

    /// Inserts a record.
    func insert(_ record: Record) throws {
        for (index, value) in record.values.enumerated() {
            try bind(value, at: index, record: record.provenance)
        }
        try finishRow(provenance: record.provenance)
        if searchInsert != nil {
            search.reset()
            for column in searchColumns {
                guard var text = record.values[column].textValue else { continue }
                text.withUTF8 { search.append($0) }
            }
            try insertSearchEntry(provenance: record.provenance)
        }
    }

    /// Inserts a record straight from the reader's bytes (a typed value parsed from its canonical
    /// text); one that needs more (a decimal a double cannot hold) goes the ``insert(_:)`` way.
    func insert(raw record: RawRecord) throws {
        for index in record.fields.indices {
            let field = record.fields[index]
            let position = Int32(index + 1)
            switch field.encoding {
            case .null: insert.bindNull(position)
            case .plain, .date: insert.bindText(position, field.start, count: field.count)
            case .doubledQuotes:
                decode(field)
                scratch.withUnsafeBufferPointer { insert.bindText(position, $0.baseAddress!, count: $0.count) }
            case .integer:
                guard let number = DecimalDigits.int64(UnsafeBufferPointer(start: field.start, count: field.count))
                else { return try insert(record.makeRecord()) }
                insert.bind(position, number)
            case .boolean: insert.bind(position, Int64(field.count == 4 ? 1 : 0))
            case .decimal:
                let bytes = UnsafeBufferPointer(start: field.start, count: field.count)
                if columns[index] == .text || (columns[index] == .untyped && !SQLiteColumn.fitsDouble(bytes)) {
                    insert.bindText(position, field.start, count: field.count)
                } else if SQLiteColumn.fitsDouble(bytes) {
                    insert.bind(position, SQLiteTable.parseDouble(bytes))
                } else {
                    return try insert(record.makeRecord())
                }
            }
        }
        try finishRow(provenance: record.provenance)
        if searchInsert != nil {
            search.reset()
            for column in searchColumns {
                let field = record.fields[column]
                guard field.encoding != .null else { continue }
                if field.encoding == .doubledQuotes {
                    decode(field)
                    scratch.withUnsafeBufferPointer { search.append($0) }
                } else {
                    search.append(UnsafeBufferPointer(start: field.start, count: field.count))
                }
            }
            try insertSearchEntry(provenance: record.provenance)
        }
    }

    /// Binds one value as its column stores it.
    private func bind(_ value: FieldValue, at index: Int, record provenance: Provenance) throws {
        let position = Int32(index + 1)
        switch value {
        case .null: insert.bindNull(position)
        case .integer(let number): insert.bind(position, number)
        case .boolean(let flag): insert.bind(position, Int64(flag ? 1 : 0))
        case .text(let text): insert.bindText(position, text)
        case .decimal(let number):
            var text = number.description
            if columns[index] == .text {
                insert.bindText(position, text)
                return
            }
            let fits = text.withUTF8 { SQLiteColumn.fitsDouble($0) }
            if fits, let double = Double(text) {
                insert.bind(position, double)
            } else if let double = Double(text), ExactDecimal(writtenAs: "\(double)") == number {
                insert.bind(position, double)
            } else if columns[index] == .untyped {
                insert.bindText(position, text)  // no affinity: kept exactly, as text
            } else {
                throw PublicaError(
                    .data,
                    "\(text) has more digits than SQLite's REAL keeps; declare \"scale\" for field "
                        + "\"\(fieldNames[index])\" in the schema to store it exactly, as text",
                    at: provenance.location(field: fieldNames[index]))
            }
        default: insert.bindText(position, value.textValue ?? "")
        }
    }

    private func finishRow(provenance: Provenance) throws {
        if let failure = insert.run() {
            throw PublicaError(
                .data, "the row cannot go into table \(name): \(failure)", at: provenance.location())
        }
        rows += 1
    }

    private func insertSearchEntry(provenance: Provenance) throws {
        guard let searchInsert else { return }
        searchInsert.bind(1, connection.lastRowID)
        let entry = search.finish()
        entry.withUnsafeBufferPointer {
            searchInsert.bindText(2, $0.baseAddress ?? SQLiteStatement.empty, count: $0.count)
        }
        if let failure = searchInsert.run() {
            throw PublicaError(.io, "the full-text index of \(name) failed: \(failure)", at: provenance.location())
        }
    }

    /// Builds the foreign keys' indexes (the primary key has its own) and merges the full-text
    /// index's segments.
    func finish() throws {
        let names = Set(fieldNames)
        var indexed = Set<[String]>([description.primaryKey])
        for key in description.foreignKeys where key.fields.allSatisfy(names.contains) {
            guard indexed.insert(key.fields).inserted else { continue }
            let indexName = SQLiteConnection.quote("\(name)_" + key.fields.joined(separator: "_") + "_index")
            try connection.execute(
                "CREATE INDEX \(indexName) ON \(SQLiteConnection.quote(name)) "
                    + "(\(key.fields.map(SQLiteConnection.quote).joined(separator: ", ")))")
        }
        if searchInsert != nil {
            let fts = SQLiteConnection.quote(name + "_fts")
            try connection.execute("INSERT INTO \(fts)(\(fts)) VALUES ('optimize')")
        }
    }

    /// A field with doubled quotes, each `""` made one `"`, into ``scratch``.
    private func decode(_ field: RawRecord.Field) {
        scratch.removeAll(keepingCapacity: true)
        var index = 0
        while index < field.count {
            let byte = field.start[index]
            scratch.append(byte)
            index &+= byte == UInt8(ascii: "\"") && index &+ 1 < field.count && field.start[index &+ 1] == byte ? 2 : 1
        }
    }

    /// A canonical decimal's bytes as a double (correctly rounded, through `strtod`).
    static func parseDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
            for index in bytes.indices { buffer[index] = CChar(bitPattern: bytes[index]) }
            buffer[bytes.count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }
}
