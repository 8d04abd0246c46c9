import PublicaCore
import PublicaJSON

/// The fused fast path from CSV to JSON lines.
///
/// The general path makes two passes over a row's bytes: the parser finds the fields, then the
/// writer escapes each one. Here one pass finds each field's end and copies it, escaped, behind
/// its key, eight bytes at a time (../shared/PERFORMANCE.md measured 911 → 1449 MB/s for this).
/// It takes the rows that are plain in every respect: the expected number of fields, no text
/// after a closing quote, the whole row in the buffer, no text NFC would change.
/// Every other row (blank, comment, ragged, malformed, cut by the buffer's end, the header
/// not yet used as a row) takes the general path, one at a time, and is written the same way
/// as ``JSONObjectKeys/writeObjectBody(_:to:)`` writes it, so the output is identical.
extension CSVCursor {
    /// Rows rendered per call at most, so the caller checks for termination signals regularly.
    private static let rowsPerBatch = 16_384

    /// See ``JSONLinesRendering/renderJSONLines(keys:into:capacity:onReject:)``.
    mutating func renderJSONLines(
        keys: JSONObjectKeys, into destination: UnsafeMutablePointer<UInt8>, capacity: Int,
        onReject: (Rejection) throws -> Void
    ) throws -> JSONLinesBatch {
        var written = 0
        var records = 0
        var rows = 0
        let quote = options.dialect.quote
        // The scan looks for `"` as the quote and as the byte JSON escapes; a file quoted with
        // another character (or with no header names) takes the general path.
        // Trimmed values take the general path too (its field-ending code trims).
        let fusable =
            (quote == nil || quote == 0x22) && keys.count == schema.count && keys.count > 0 && !trimming
        while rows < CSVCursor.rowsPerBatch {
            if !renderPending {
                if fusable && !mayNeedNormalization && !firstRowPending {
                    let outcome = keys.bytes.withUnsafeBufferPointer { keyBytes in
                        keys.offsets.withUnsafeBufferPointer { keyOffsets in
                            renderPlainRow(
                                keyBytes.baseAddress!, keyOffsets.baseAddress!, count: keys.count,
                                into: destination + written, room: capacity - written)
                        }
                    }
                    if outcome > 0 {
                        written += outcome
                        records += 1
                        rows += 1
                        continue
                    }
                    // Out of room, and something is written: the caller makes room.
                    if outcome == CSVCursor.outOfRoom && written > 0 { break }
                }
                rows += 1
                guard try nextRow() else { return JSONLinesBatch(bytes: written, records: records, atEnd: true) }
                guard try checkFieldCount(onReject: onReject) else { continue }
                renderPending = true
            }
            let record = RawRecord(fields: currentFields, place: currentPlace)
            let bound = keys.bound(for: record) &+ 2
            guard bound <= capacity - written else {
                return JSONLinesBatch(bytes: written, records: records, atEnd: false, needs: bound)
            }
            let out = destination + written
            let body = keys.writeObjectBody(record, to: out)
            out[body] = UInt8(ascii: "}")
            out[body &+ 1] = CSVScanner.lineFeed
            written += body &+ 2
            renderPending = false
            records += 1
        }
        return JSONLinesBatch(bytes: written, records: records, atEnd: false)
    }

    /// ``renderPlainRow`` declined the row: the general path must read it.
    private static let declined = 0
    /// ``renderPlainRow`` ran out of room.
    private static let outOfRoom = -1

    /// Renders the row at `position` as a JSON line if it is plain (see the type's comment):
    /// returns the bytes written and moves past the row, or ``declined`` or ``outOfRoom``
    /// with nothing consumed.
    @inline(__always)
    private mutating func renderPlainRow(
        _ keyBytes: UnsafePointer<UInt8>, _ keyOffsets: UnsafePointer<Int>, count fieldTotal: Int,
        into start: UnsafeMutablePointer<UInt8>, room: Int
    ) -> Int {
        let base = UnsafePointer(buffer)
        let end = self.end
        var index = position
        guard index < end else { return CSVCursor.declined }
        let first = base[index]
        if first == CSVScanner.lineFeed || first == CSVScanner.carriageReturn || first == options.dialect.commentPrefix
        {
            return CSVCursor.declined
        }
        let delimiter = options.dialect.delimiter
        let quotes = options.dialect.quote != nil
        // Every step below writes at most eight bytes past `out` (a key is checked whole, and
        // `copyPlain` stops at the limit); the slack covers the closing quote, brace and line feed.
        guard room > 32 else { return CSVCursor.outOfRoom }
        let limit = start + (room - 32)
        var out = start
        var field = 0
        var linesInside = 0
        while true {
            guard out + (keyOffsets[field &+ 1] &- keyOffsets[field] &+ 8) < limit else { return CSVCursor.outOfRoom }
            out += JSONObjectKeys.copyKey(field, keyBytes, keyOffsets, to: out)
            out[0] = 0x22
            out += 1
            if quotes && index < end && base[index] == 0x22 {
                // Quoted: up to the closing quote; `""` is one quote; line breaks inside are counted.
                index &+= 1
                while true {
                    SWAR.copyPlain(base, &index, end: end, to: &out, limit: limit) {
                        SWAR.equal($0, 0x22) | SWAR.equal($0, 0x5C) | SWAR.lessThan0x20($0)
                    }
                    guard out < limit else { return CSVCursor.outOfRoom }
                    guard index < end else { return CSVCursor.declined }  // the row goes on past the buffer
                    let byte = base[index]
                    if byte == 0x22 {
                        guard index &+ 1 < end else { return CSVCursor.declined }
                        if base[index &+ 1] != 0x22 {
                            index &+= 1
                            break
                        }
                        out[0] = 0x5C; out[1] = 0x22
                        out += 2
                        index &+= 2
                    } else if byte == 0x5C {
                        out[0] = 0x5C; out[1] = 0x5C
                        out += 2
                        index &+= 1
                    } else if byte == CSVScanner.lineFeed || byte == CSVScanner.carriageReturn {
                        // A line break inside the field: counted, and CRLF is one break.
                        let crlf =
                            byte == CSVScanner.carriageReturn && index &+ 1 < end
                            && base[index &+ 1] == CSVScanner.lineFeed
                        if byte == CSVScanner.carriageReturn && index &+ 1 == end { return CSVCursor.declined }
                        out[0] = 0x5C; out[1] = byte == CSVScanner.lineFeed ? UInt8(ascii: "n") : UInt8(ascii: "r")
                        out += 2
                        if crlf {
                            out[0] = 0x5C; out[1] = UInt8(ascii: "n")
                            out += 2
                        }
                        index &+= crlf ? 2 : 1
                        linesInside &+= 1
                    } else if byte < 0x20 {
                        out += JSONEscaping.writeControl(byte, out)
                        index &+= 1
                    } else {
                        out[0] = byte
                        out += 1
                        index &+= 1
                    }
                }
            } else {
                // Unquoted: up to the delimiter or the line's end; quotes, backslashes and
                // control bytes in the text are escaped.
                while true {
                    SWAR.copyPlain(base, &index, end: end, to: &out, limit: limit) {
                        SWAR.equal($0, delimiter) | SWAR.equal($0, 0x22) | SWAR.equal($0, 0x5C) | SWAR.lessThan0x20($0)
                    }
                    guard out < limit else { return CSVCursor.outOfRoom }
                    guard index < end else { return CSVCursor.declined }
                    let byte = base[index]
                    if byte == delimiter || byte == CSVScanner.lineFeed || byte == CSVScanner.carriageReturn { break }
                    if byte == 0x22 || byte == 0x5C {
                        out[0] = 0x5C; out[1] = byte
                        out += 2
                    } else if byte < 0x20 {
                        out += JSONEscaping.writeControl(byte, out)
                    } else {
                        out[0] = byte
                        out += 1
                    }
                    index &+= 1
                }
            }
            out[0] = 0x22
            out += 1
            field &+= 1
            // After a field: the delimiter, or the line's end with every field seen.
            guard index < end else { return CSVCursor.declined }
            let byte = base[index]
            if byte == delimiter {
                guard field < fieldTotal else { return CSVCursor.declined }
                index &+= 1
                continue
            }
            if byte == CSVScanner.lineFeed {
                index &+= 1
            } else if byte == CSVScanner.carriageReturn {
                guard index &+ 1 < end else { return CSVCursor.declined }
                index &+= base[index &+ 1] == CSVScanner.lineFeed ? 2 : 1
            } else {
                return CSVCursor.declined  // text after a closing quote
            }
            guard field == fieldTotal else { return CSVCursor.declined }
            out[0] = UInt8(ascii: "}")
            out[1] = CSVScanner.lineFeed
            out += 2
            position = index
            line &+= 1 &+ linesInside
            stats.rows &+= 1
            stats.fusedRows &+= 1
            return out - start
        }
    }
}
