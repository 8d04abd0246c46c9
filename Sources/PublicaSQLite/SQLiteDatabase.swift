import PublicaCore
import PublicaExport

/// A database being loaded: one transaction around every table's rows, closed once all are in.
///
/// A one-table output (``SQLiteWriter``) owns one; a release's database holds a table per
/// resource, each added by that resource's run (``table(schema:description:)``), and is closed
/// by the release (``close()``) after the last.
public final class SQLiteDatabase {
    let connection: SQLiteConnection
    /// The tables made so far, by name.
    public private(set) var tables: [String] = []
    private var isOpen = true

    /// Opens the empty database file at `path` for loading; `shownPath` names it in messages.
    public init(path: String, shownAs shownPath: String) throws {
        connection = try SQLiteConnection(path: path, shownAs: shownPath)
        try connection.execute("BEGIN")
    }

    /// Creates the table `description.name` for records of `schema`; a name the database has
    /// already is refused.
    func table(schema: RecordSchema, description: TableDescription) throws -> SQLiteTable {
        guard !tables.contains(description.name) else {
            throw PublicaError(.usage, "the database has a table \(description.name) already")
        }
        let table = try SQLiteTable(connection, schema: schema, description: description, tables: Set(tables))
        tables.append(description.name)
        return table
    }

    /// Commits the load and closes the file (its indexes are built by each table's `finish`).
    public func close() throws {
        guard isOpen else { return }
        isOpen = false
        try connection.execute("COMMIT; PRAGMA optimize;")
    }
}

/// Writes records into a new SQLite database with one table (`.sqlite`, `.db`).
///
/// The database is built in the output's own temporary file (SQLite writes it by path, with no
/// journal beside it) and moved into place complete, like every other output: a reader sees
/// the old database or the whole new one. Column types, the primary key, foreign keys, their
/// indexes and the full-text index come from ``SinkOptions/table``.
public struct SQLiteWriter: RecordSink {
    let file: OutputFile
    let description: TableDescription?
    var database: SQLiteDatabase?
    var table: SQLiteTable?

    /// A writer into `file`; `description` names and types the table (else it is named after the file).
    public init(file: OutputFile, description: TableDescription?) {
        self.file = file
        self.description = description
    }

    /// Creates the database and its table.
    public mutating func begin(schema: RecordSchema) throws {
        let database = try SQLiteDatabase(path: try file.pathForWriting(), shownAs: file.path)
        let name = String(file.path.split(separator: "/").last?.split(separator: ".").first ?? "records")
        table = try database.table(schema: schema, description: description ?? TableDescription(name: name))
        self.database = database
    }

    /// Inserts a record.
    public mutating func write(_ record: Record) throws { try table!.insert(record) }

    /// Inserts a record from the reader's bytes.
    public mutating func write(raw record: RawRecord) throws { try table!.insert(raw: record) }

    /// Builds the indexes, commits, closes the database and moves the file into place.
    public mutating func finish() throws {
        try table?.finish()
        try database?.close()
        table = nil
        database = nil
        try file.commitWrittenByPath()
    }
}

/// One table of a database that several runs share (a release's, a table per resource): its
/// sink makes the table and fills it; the database is committed by its owner after the last.
public struct SQLiteTableSink: RecordSink {
    let database: SQLiteDatabase
    let description: TableDescription
    var table: SQLiteTable?

    /// A sink adding table `description.name` to `database`.
    public init(database: SQLiteDatabase, description: TableDescription) {
        self.database = database
        self.description = description
    }

    /// Creates the table.
    public mutating func begin(schema: RecordSchema) throws {
        table = try database.table(schema: schema, description: description)
    }

    /// Inserts a record.
    public mutating func write(_ record: Record) throws { try table!.insert(record) }

    /// Inserts a record from the reader's bytes.
    public mutating func write(raw record: RawRecord) throws { try table!.insert(raw: record) }

    /// Builds the table's indexes; the database stays open for the next table.
    public mutating func finish() throws {
        try table?.finish()
        table = nil
    }
}

/// The databases a release's resources share, one per path, each made when its first table is.
public final class SharedDatabases {
    private var open: [(path: String, file: OutputFile, database: SQLiteDatabase)] = []

    /// None yet.
    public init() {}

    /// The database at `path`, made (in its output's temporary file) if it is not open yet.
    public func database(at path: String, hashing: Bool) throws -> SQLiteDatabase {
        if let entry = open.first(where: { $0.path == path }) { return entry.database }
        let file = try OutputFile(path: path, hashing: hashing)
        let database = try SQLiteDatabase(path: try file.pathForWriting(), shownAs: path)
        open.append((path, file, database))
        return database
    }

    /// Commits and closes every database and moves each into place: path, bytes and SHA-256 of each.
    public func commit() throws -> [(path: String, bytes: Int, sha256: String)] {
        defer { open = [] }
        return try open.map { entry in
            try entry.database.close()
            try entry.file.commitWrittenByPath()
            return (entry.path, entry.file.bytesWritten, entry.file.sha256 ?? "")
        }
    }
}
