import Foundation

/// Runs a short Python 3 program (a third-party reader: sqlite3, pyarrow, duckdb) and gives back
/// what it printed as JSON, so a test checks a file with a reader other than the one that wrote it.
package enum PythonCheck {
    /// `script` run with `arguments` as `sys.argv[1:]`; its standard output parsed as JSON.
    package static func json(_ script: String, _ arguments: [String] = []) throws -> Any {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problems = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PythonFailure(message: String(decoding: problems, as: UTF8.self))
        }
        return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    /// The rows `sql` returns from the SQLite database at `path`, read by Python's sqlite3, each
    /// value with its storage class: `[["integer", 1], ["text", "a"]]`.
    package static func sqlite(_ path: String, _ sql: String) throws -> [[[Any]]] {
        let script = """
            import json, sqlite3, sys
            connection = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
            rows = connection.execute(sys.argv[2]).fetchall()
            def cell(v):
                kind = {int: "integer", float: "real", str: "text", bytes: "blob", type(None): "null"}[type(v)]
                return [kind, v if not isinstance(v, bytes) else v.hex()]
            print(json.dumps([[cell(v) for v in row] for row in rows], ensure_ascii=False))
            """
        return try json(script, [path, sql]) as? [[[Any]]] ?? []
    }
}

/// A Python check that did not run to the end: its error output.
package struct PythonFailure: Error, CustomStringConvertible {
    /// What Python wrote on standard error.
    package var message: String
    package var description: String { message }
}
