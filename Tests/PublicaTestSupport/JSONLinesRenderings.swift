import PublicaCore
import PublicaIngest
import PublicaJSON

/// A CSV file rendered as JSON lines by each of the reader's two paths, for differential tests
/// (the test suite and the CSV fuzzer): they must agree byte for byte, and reject the same rows.
package enum JSONLinesRenderings {
    package struct Rendering: Equatable {
        package var lines: [UInt8]
        package var rejected: [Rejection]
        package var rows: Int
        /// Rows the fused path wrote itself (not through the general path); not compared.
        package var fusedRows = 0

        package static func == (a: Rendering, b: Rendering) -> Bool {
            a.lines == b.lines && a.rejected == b.rejected && a.rows == b.rows
        }
    }

    /// The general path: raw records, each written as `JSONObjectKeys` writes an object, `}` and a line feed.
    package static func general(_ path: String, _ options: CSVReadOptions) throws -> Rendering {
        let reader = try CSVReader(path: path, options: options)
        let keys = JSONObjectKeys(reader.schema.fieldNames)
        var lines: [UInt8] = []
        var rejected: [Rejection] = []
        try reader.forEach(
            raw: { record in
                var chunk = [UInt8](repeating: 0, count: keys.bound(for: record))
                let count = chunk.withUnsafeMutableBufferPointer { keys.writeObjectBody(record, to: $0.baseAddress!) }
                lines += chunk[..<count]
                lines += [UInt8(ascii: "}"), 0x0A]
            }, record: { _ in preconditionFailure("a CSV reader hands out raw records") },
            onReject: { rejected.append($0) })
        return Rendering(lines: lines, rejected: rejected, rows: reader.stats.rows)
    }

    /// The fused path (`CSVReader.renderJSONLines`), in batches of `room` bytes, or more when a
    /// record needs it. Checks each batch's promises: within its room, one line per record.
    package static func fused(_ path: String, _ options: CSVReadOptions, room: Int) throws -> Rendering {
        let reader = try CSVReader(path: path, options: options)
        let keys = JSONObjectKeys(reader.schema.fieldNames)
        var lines: [UInt8] = []
        var rejected: [Rejection] = []
        var capacity = room
        while true {
            var chunk = [UInt8](repeating: 0, count: capacity)
            let batch = try chunk.withUnsafeMutableBufferPointer { buffer in
                try reader.renderJSONLines(
                    keys: keys, into: buffer.baseAddress!, capacity: capacity,
                    onReject: { rejected.append($0) })
            }
            precondition(batch.bytes <= capacity, "a batch wrote past its room")
            precondition(
                chunk[..<batch.bytes].filter { $0 == 0x0A }.count == batch.records,
                "a batch's record count does not match its lines")
            lines += chunk[..<batch.bytes]
            if batch.atEnd {
                return Rendering(
                    lines: lines, rejected: rejected, rows: reader.stats.rows, fusedRows: reader.stats.fusedRows)
            }
            capacity = max(batch.needs, room)
        }
    }
}
