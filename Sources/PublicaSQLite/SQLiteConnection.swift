internal import CSQLite
import PublicaCore

/// One connection to a database file, through SQLite's C library.
///
/// Opened for a bulk load: the file is this run's own temporary file, so there is no journal
/// (`journal_mode=OFF`: nothing is written beside it, and a failed load is thrown away whole),
/// no syncing until the output is committed, and an exclusive lock. Links are never followed
/// (`SQLITE_OPEN_NOFOLLOW`).
final class SQLiteConnection {
    let handle: OpaquePointer
    /// What messages name the database by (the output's path, not the temporary file's).
    let shownPath: String

    /// Opens (creating if it is empty) the database at `path` for a bulk load.
    init(path: String, shownAs shownPath: String, cacheMiB: Int = 32) throws {
        self.shownPath = shownPath
        var opened: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(opened)
            throw PublicaError(.io, "cannot open the SQLite database: \(message)", at: SourceLocation(file: shownPath))
        }
        handle = opened
        try execute(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE; "
                + "PRAGMA cache_size=-\(cacheMiB * 1024); PRAGMA temp_store=FILE; PRAGMA foreign_keys=OFF;")
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? lastError
            sqlite3_free(message)
            throw PublicaError(.io, "SQLite: \(text) (in: \(sql.prefix(200)))", at: SourceLocation(file: shownPath))
        }
    }

    /// The last error's message.
    var lastError: String { String(cString: sqlite3_errmsg(handle)) }

    /// The rowid of the last row inserted.
    var lastRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// A statement prepared once, to be run many times.
    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
            let statement
        else {
            throw PublicaError(
                .io, "SQLite: \(lastError) (in: \(sql.prefix(200)))", at: SourceLocation(file: shownPath))
        }
        return SQLiteStatement(statement, connection: self)
    }

    /// `name` as an SQL identifier: in double quotes, inner quotes doubled.
    static func quote(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A prepared statement: values are bound by position (from 1), then it is stepped and reset.
final class SQLiteStatement {
    let handle: OpaquePointer
    unowned let connection: SQLiteConnection

    init(_ handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    func bindNull(_ index: Int32) { sqlite3_bind_null(handle, index) }
    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }
    func bind(_ index: Int32, _ value: Double) { sqlite3_bind_double(handle, index, value) }

    /// Binds UTF-8 bytes as text; SQLite copies them.
    func bindText(_ index: Int32, _ bytes: UnsafePointer<UInt8>, count: Int) {
        bytes.withMemoryRebound(to: CChar.self, capacity: max(count, 1)) {
            _ = sqlite3_bind_text64(handle, index, $0, UInt64(count), publica_sqlite_transient(), UInt8(SQLITE_UTF8))
        }
    }

    /// Binds a string as text.
    func bindText(_ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bindText(index, $0.baseAddress ?? SQLiteStatement.empty, count: $0.count) }
    }

    /// Somewhere to point for empty text (a null pointer would bind NULL).
    static var empty: UnsafePointer<UInt8> { StaticString(" ").utf8Start }

    /// Runs the statement to completion and resets it for the next values; the error's message
    /// when it fails (a constraint), else nil.
    func run() -> String? {
        let code = sqlite3_step(handle)
        let failure = code == SQLITE_DONE || code == SQLITE_ROW ? nil : connection.lastError
        sqlite3_reset(handle)
        return failure
    }
}
