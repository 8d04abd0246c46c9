import PublicaCore
import PublicaJSON

/// Writes records as RFC 4180 CSV: a header row, fields quoted only where needed.
///
/// A field is quoted when it holds the delimiter, a quote, CR or LF; quotes inside are
/// doubled. A line of one empty field is written `""`, never as a blank line, which readers
/// skip (a header `""` read back would lose the first record). An optional UTF-8 byte-order
/// mark makes Excel show Korean text correctly.
public struct CSVWriter: RecordSink {
    /// How lines end: RFC 4180 says CRLF; LF suits Unix tools.
    public enum LineEnding: String, Sendable, CaseIterable {
        case crlf, lf
    }

    var output: OutputBuffer
    let delimiter: UInt8
    let lineEnding: LineEnding
    let byteOrderMark: Bool

    /// A writer into `file`: `delimiter` a byte (`0x09` for TSV), CRLF line ends unless told `.lf`,
    /// and a UTF-8 byte-order mark first when `byteOrderMark` is true.
    public init(
        file: OutputFile, delimiter: UInt8 = UInt8(ascii: ","), lineEnding: LineEnding = .crlf,
        byteOrderMark: Bool = false
    ) {
        output = OutputBuffer(file: file)
        self.delimiter = delimiter
        self.lineEnding = lineEnding
        self.byteOrderMark = byteOrderMark
    }

    /// Writes the byte-order mark, if asked for, and the header row of the field names (none when
    /// there are no fields).
    public mutating func begin(schema: RecordSchema) throws {
        if byteOrderMark { try output.append([0xEF, 0xBB, 0xBF]) }
        guard !schema.fieldNames.isEmpty else { return }
        try writeTexts(schema.fieldNames)
    }

    /// Writes one row from the reader's bytes; a field still in CSV's doubled-quote form is copied
    /// quoted, as it was.
    public mutating func write(raw record: RawRecord) throws {
        var bound = 2
        for field in record.fields { bound &+= field.count &* 2 &+ 3 }
        let destination = try output.reserve(bound)
        var cursor = destination
        for (index, field) in record.fields.enumerated() {
            if index > 0 {
                cursor[0] = delimiter
                cursor += 1
            }
            if field.encoding == .doubledQuotes {
                // Already in CSV's own escaped form: keep the quotes.
                cursor[0] = 0x22
                (cursor + 1).update(from: field.start, count: field.count)
                cursor[field.count &+ 1] = 0x22
                cursor += field.count &+ 2
            } else {
                cursor += writeField(field.start, count: field.count, to: cursor)
            }
        }
        if cursor == destination && record.fields.count == 1 { cursor += writeEmptyQuoted(cursor) }
        cursor += writeLineEnding(cursor)
        output.commit(cursor - destination)
    }

    /// Writes one row of the values' text (`FieldValue.textValue`: null is an empty cell, a list's
    /// items are joined with `; `).
    public mutating func write(_ record: Record) throws {
        try writeTexts(record.values.map { $0.textValue ?? "" })
    }

    /// Writes what is buffered and moves the file into place, complete.
    public mutating func finish() throws {
        try output.commitFile()
    }

    private mutating func writeTexts(_ texts: [String]) throws {
        var bound = 2
        for text in texts { bound += text.utf8.count * 2 + 3 }
        let destination = try output.reserve(bound)
        var cursor = destination
        for (index, text) in texts.enumerated() {
            if index > 0 {
                cursor[0] = delimiter
                cursor += 1
            }
            var text = text
            text.withUTF8 { utf8 in
                if let base = utf8.baseAddress { cursor += writeField(base, count: utf8.count, to: cursor) }
            }
        }
        if cursor == destination && texts.count == 1 { cursor += writeEmptyQuoted(cursor) }
        cursor += writeLineEnding(cursor)
        output.commit(cursor - destination)
    }

    /// `""`: one empty field that reads back as a field, not as a blank line.
    private func writeEmptyQuoted(_ cursor: UnsafeMutablePointer<UInt8>) -> Int {
        cursor[0] = 0x22
        cursor[1] = 0x22
        return 2
    }

    private func writeLineEnding(_ cursor: UnsafeMutablePointer<UInt8>) -> Int {
        if lineEnding == .crlf {
            cursor[0] = 0x0D
            cursor[1] = 0x0A
            return 2
        }
        cursor[0] = 0x0A
        return 1
    }

    /// Writes one field, quoting it only if it needs quotes; returns the bytes written.
    private func writeField(_ source: UnsafePointer<UInt8>, count: Int, to destination: UnsafeMutablePointer<UInt8>)
        -> Int
    {
        var needsQuotes = false
        for index in 0..<count {
            let byte = source[index]
            if byte == delimiter || byte == 0x22 || byte == 0x0A || byte == 0x0D {
                needsQuotes = true
                break
            }
        }
        guard needsQuotes else {
            destination.update(from: source, count: count)
            return count
        }
        var cursor = destination
        cursor[0] = 0x22
        cursor += 1
        for index in 0..<count {
            let byte = source[index]
            cursor[0] = byte
            cursor += 1
            if byte == 0x22 {
                cursor[0] = 0x22
                cursor += 1
            }
        }
        cursor[0] = 0x22
        return cursor + 1 - destination
    }
}
