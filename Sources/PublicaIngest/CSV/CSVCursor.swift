import PublicaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The CSV reader's state and row loop (see ``CSVReader``).
struct CSVCursor: ~Copyable {
    // Internal rather than private where the fused JSON-lines path (CSVCursor+JSONLines.swift) needs it.
    /// The options as given, with what `auto` found filled in (the header line, the delimiter).
    private(set) var options: CSVReadOptions
    /// True when values are trimmed (``CSVReadOptions/trim``): whitespace-only lines are blank.
    private(set) var trimming = false
    /// What the cursor decided by itself (see ``CSVReader/notes``).
    private(set) var notes: [String] = []
    private(set) var schema = RecordSchema(fieldNames: [])
    var stats = CSVReadStats()
    /// The decoder runs one chunk ahead on another thread.
    let prefetcher: PrefetchingDecoder

    private let sourceName: String
    /// The same name for raw records, which point at it.
    private let source: SourceName
    var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    var position = 0
    var end = 0
    var atEOF = false
    /// True while the buffer may hold characters NFC would change.
    var mayNeedNormalization = false
    /// The line number at `position`.
    var line = 1

    // The current row.
    private var fields: UnsafeMutablePointer<RawRecord.Field>
    private var fieldCapacity = 64
    private var fieldCount = 0
    private var rowLine = 1
    private var rowEndLine = 1
    /// Storage for fields rebuilt outside the buffer (normalized or malformed), freed per row.
    private var rowAllocations: [UnsafeMutableRawPointer] = []
    var firstRowPending = false
    /// True while ``skipLine()`` reads a title or comment line (for the size error's wording).
    private var skippingLine = false
    /// A row read by the general path that did not fit the last JSON-lines batch (its fields are current).
    var renderPending = false

    init(input: FileInput, options: CSVReadOptions) throws {
        self.options = options
        sourceName = input.path
        source = SourceName(input.path)
        let decoder = TextDecoder(
            input: input, encoding: options.encoding, policy: options.invalidBytes,
            chunkSize: min(options.bufferSize, 1 << 20))
        prefetcher = PrefetchingDecoder(decoder: decoder, slotCapacity: min(options.bufferSize, 1 << 20))
        capacity = min(max(options.bufferSize, 1024), options.maxRecordBytes + CSVCursor.limitSlack)
        buffer = PageMemory.allocate(capacity)
        fields = .allocate(capacity: fieldCapacity)
        trimming = options.trim != .none
        if options.sniffsDelimiter || options.findsHeaderRow { try sniff() }
        try readHeader()
    }

    deinit {
        for allocation in rowAllocations { allocation.deallocate() }
        PageMemory.free(buffer, capacity: capacity)
        fields.deallocate()
    }

    mutating func next(onReject: (Rejection) throws -> Void) throws -> Record? {
        while try nextRow() {
            if try checkFieldCount(onReject: onReject) {
                return RawRecord(fields: currentFields, place: currentPlace).makeRecord()
            }
        }
        return nil
    }

    mutating func forEach(raw body: (RawRecord) throws -> Void, onReject: (Rejection) throws -> Void) throws {
        while try nextRow() {
            if try checkFieldCount(onReject: onReject) {
                try body(RawRecord(fields: currentFields, place: currentPlace))
            }
        }
    }

    var currentFields: UnsafeBufferPointer<RawRecord.Field> {
        UnsafeBufferPointer(start: fields, count: fieldCount)
    }

    var currentProvenance: Provenance {
        Provenance(source: sourceName, line: rowLine, endLine: rowEndLine, recordNumber: stats.rows)
    }

    var currentPlace: RawRecord.Place {
        RawRecord.Place(source: source, line: rowLine, endLine: rowEndLine, recordNumber: stats.rows)
    }

    /// Applies the field-count policy; true when the row goes on to the output.
    mutating func checkFieldCount(onReject: (Rejection) throws -> Void) throws -> Bool {
        let expected = schema.count
        if fieldCount == expected || options.fieldCountPolicy == .keep { return true }
        let message = "expected \(expected) field\(expected == 1 ? "" : "s"), found \(fieldCount)"
        switch options.fieldCountPolicy {
        case .pad where fieldCount < expected:
            while fieldCount < expected {
                appendField(UnsafePointer(buffer), count: 0, encoding: .plain)
            }
            stats.padded += 1
            return true
        case .error:
            throw PublicaError(
                .data, message + " (use {--on-ragged} reject or pad to go on)",
                at: SourceLocation(file: sourceName, line: rowLine))
        case .reject, .pad, .keep:
            stats.rejected += 1
            try onReject(
                Rejection(
                    rawValues: RawRecord(fields: currentFields, place: currentPlace).stringValues,
                    fieldNames: schema.fieldNames, provenance: currentProvenance,
                    rule: "field-count", message: message))
            return false
        }
    }

    // MARK: - Sniffing

    /// The prefix `auto` looks at: at least this many bytes, unless the input is shorter.
    static let sniffBytes = 64 << 10

    /// Fills the buffer with a prefix and settles the delimiter and the header line from it.
    private mutating func sniff() throws {
        while end < min(CSVCursor.sniffBytes, capacity - 64) && !atEOF { try refill() }
        let prefix = UnsafeBufferPointer(start: UnsafePointer(buffer), count: end)
        let dialect = options.dialect
        if options.sniffsDelimiter {
            if let found = CSVSniffer.delimiter(
                prefix, quote: dialect.quote, commentPrefix: dialect.commentPrefix, complete: atEOF)
            {
                options.dialect.delimiter = found
                notes.append("delimiter auto: \(CSVCursor.describe(delimiter: found))")
            } else {
                notes.append(
                    "delimiter auto: no comma, semicolon, tab or pipe splits the first lines; "
                        + "read as one field per line (\(CSVCursor.describe(delimiter: dialect.delimiter)))")
            }
        }
        guard options.findsHeaderRow else { return }
        let lines = CSVSniffer.lines(
            prefix, delimiter: options.dialect.delimiter, quote: dialect.quote,
            commentPrefix: dialect.commentPrefix, complete: atEOF)
        switch CSVSniffer.headerLine(lines) {
        case .success(let found):
            options.headerRow = found ?? 1
            if let found {
                let fields = lines.first { $0.number == found }?.fields ?? 0
                notes.append(
                    "header_row auto: the header is line \(found) (\(fields) field\(fields == 1 ? "" : "s"))"
                        + (found == 2 ? "; line 1 skipped" : found > 2 ? "; lines 1-\(found - 1) skipped" : ""))
            }
        case .failure(let failure):
            let why: String
            switch failure {
            case .noSettledCount:
                why = "the first \(lines.count) lines do not settle on one number of fields"
            case .noHeaderLine(let dataFields):
                why =
                    "no line of the data's \(dataFields) fields is followed by another in the first \(lines.count) lines"
            }
            throw PublicaError(
                .data,
                "header_row auto cannot find the header: \(why); name its line with --header-row N "
                    + "(header_row: N in a pipeline file)",
                at: SourceLocation(file: sourceName, line: 1))
        }
    }

    /// `';' (semicolon)`, for the notes.
    static func describe(delimiter: UInt8) -> String {
        switch delimiter {
        case UInt8(ascii: ","): return "',' (comma)"
        case UInt8(ascii: ";"): return "';' (semicolon)"
        case 0x09: return "tab"
        case UInt8(ascii: "|"): return "'|' (pipe)"
        default: return "'\(Character(Unicode.Scalar(delimiter)))'"
        }
    }

    // MARK: - Header

    private mutating func readHeader() throws {
        for _ in 1..<max(options.headerRow, 1) {
            guard try skipLine() else { break }
            stats.skippedLines += 1
        }
        guard try nextRow(countingRow: false) else { return }
        if options.hasHeader {
            var labels = currentFields.map(\.stringValue)
            if options.headerRows > 1 {
                var rows = [labels]
                for _ in 1..<options.headerRows {
                    guard try nextRow(countingRow: false) else { break }
                    rows.append(currentFields.map(\.stringValue))
                }
                labels = HeaderLabels.combine(rows)
            }
            schema = RecordSchema(labels: labels)
        } else {
            schema = RecordSchema(fieldNames: (1...max(fieldCount, 1)).map { "field_\($0)" })
            firstRowPending = true
        }
        for _ in 0..<options.skipRows {
            guard try nextRow(countingRow: false) else { break }
            stats.skippedLines += 1
        }
    }

    // MARK: - Rows

    /// Reads the next data row into `fields`; false at the end of the input.
    mutating func nextRow(countingRow: Bool = true) throws -> Bool {
        if firstRowPending {
            firstRowPending = false
            if countingRow { stats.rows += 1 }
            return true
        }
        freeRowAllocations()
        let blankLinesAreRows = !options.skipBlankLines || schema.count == 1
        while true {
            if position == end {
                if atEOF { return false }
                try refill()
                continue
            }
            let first = buffer[position]
            if (first == CSVScanner.lineFeed || first == CSVScanner.carriageReturn) && !blankLinesAreRows {
                if position + 1 == end && first == CSVScanner.carriageReturn && !atEOF {
                    try refill()
                    continue
                }
                position +=
                    (first == CSVScanner.carriageReturn && position + 1 < end
                        && buffer[position + 1] == CSVScanner.lineFeed) ? 2 : 1
                line += 1
                stats.blankLines += 1
                continue
            }
            if trimming && !blankLinesAreRows && (first == 0x20 || first == 0x09 || first == 0xE3) {
                // A line of only whitespace is a blank line when values are trimmed.
                let blank = whitespaceOnlyLine()
                if blank == CSVCursor.needsMore {
                    try refill(unfinishedRow: true)
                    continue
                }
                if blank > 0 {
                    position = blank
                    line += 1
                    stats.blankLines += 1
                    continue
                }
            }
            if let comment = options.dialect.commentPrefix, first == comment {
                guard try skipLine() else { return false }
                stats.commentLines += 1
                continue
            }
            if try parseRow() {
                if mayNeedNormalization { normalizeFields() }
                if trimming { trimFields() }
                if countingRow { stats.rows += 1 }
                return true
            }
            try refill(unfinishedRow: true)
        }
    }

    /// Skips one physical line (title rows, comments); false at the end of the input.
    private mutating func skipLine() throws -> Bool {
        skippingLine = true
        defer { skippingLine = false }
        while true {
            if position == end {
                if atEOF { return false }
                try refill()
                continue
            }
            let newline = CSVScanner.findNewline(buffer, from: position, end: end)
            if newline == end {
                if atEOF {
                    position = end
                    return true
                }
                try refill(unfinishedRow: true)
                continue
            }
            if buffer[newline] == CSVScanner.carriageReturn && newline + 1 == end && !atEOF {
                try refill(unfinishedRow: true)
                continue
            }
            let crlf =
                buffer[newline] == CSVScanner.carriageReturn && newline + 1 < end
                && buffer[newline + 1] == CSVScanner.lineFeed
            position = newline + (crlf ? 2 : 1)
            line += 1
            return true
        }
    }

    /// Parses one row at `position`. False when the row is not complete in the buffer yet.
    private mutating func parseRow() throws -> Bool {
        let base = UnsafePointer(buffer)
        let end = self.end
        let eof = atEOF
        let delimiter = options.dialect.delimiter
        let quote = options.dialect.quote
        var index = position
        var linesInside = 0
        var terminated = false
        fieldCount = 0
        // The field table in locals: no class-property access per field.
        var count = 0
        var storage = fields
        var storageCapacity = fieldCapacity
        // On an unfinished row, `fieldCount` says which field runs past the buffer (for the size error).
        defer { fieldCount = count }
        @inline(__always) func add(_ start: UnsafePointer<UInt8>, _ length: Int, _ encoding: RawRecord.Encoding) {
            if count == storageCapacity {
                fieldCount = count
                growFields()
                storage = fields
                storageCapacity = fieldCapacity
            }
            storage[count] = RawRecord.Field(start: start, count: length, encoding: encoding)
            count &+= 1
        }
        while true {
            if let quote, index < end, base[index] == quote {
                // A quoted field: find the closing quote, counting line breaks inside.
                var scan = index + 1
                var doubled = false
                let openingLine = line + linesInside
                while true {
                    scan = CSVScanner.find(quote, orNewlineIn: base, from: scan, end: end)
                    if scan == end {
                        if !eof { return false }
                        throw PublicaError(
                            .data, "unterminated quoted field (the quote opened here is never closed)",
                            at: SourceLocation(file: sourceName, line: openingLine))
                    }
                    let byte = base[scan]
                    if byte == quote {
                        if scan + 1 == end && !eof { return false }
                        if scan + 1 < end && base[scan + 1] == quote {
                            doubled = true
                            scan += 2
                            continue
                        }
                        break
                    }
                    if byte == CSVScanner.carriageReturn {
                        if scan + 1 == end && !eof { return false }
                        if scan + 1 < end && base[scan + 1] == CSVScanner.lineFeed { scan += 1 }
                    }
                    linesInside += 1
                    scan += 1
                }
                let contentStart = index + 1
                let contentCount = scan - contentStart
                index = scan + 1
                if index < end && base[index] != delimiter && base[index] != CSVScanner.lineFeed
                    && base[index] != CSVScanner.carriageReturn
                {
                    // Text after the closing quote (`"a"b`): read leniently as `ab`, and count it.
                    let restEnd = CSVScanner.find(delimiter, orNewlineIn: base, from: index, end: end)
                    if restEnd == end && !eof { return false }
                    let quoted = RawRecord.Field(
                        start: base + contentStart, count: contentCount,
                        encoding: doubled ? .doubledQuotes : .plain)
                    let text =
                        quoted.stringValue
                        + String(
                            decoding: UnsafeBufferPointer(
                                start: base + index,
                                count: restEnd - index), as: UTF8.self)
                    fieldCount = count
                    appendOwnedField(text)
                    count = fieldCount
                    storage = fields
                    storageCapacity = fieldCapacity
                    stats.malformedQuotes += 1
                    index = restEnd
                } else {
                    add(base + contentStart, contentCount, doubled ? .doubledQuotes : .plain)
                }
            } else {
                let fieldEnd = CSVScanner.find(delimiter, orNewlineIn: base, from: index, end: end)
                if fieldEnd == end && !eof { return false }
                add(base + index, fieldEnd - index, .plain)
                index = fieldEnd
            }
            // After a field: a delimiter, a line break or the end of the input.
            if index == end { break }
            let byte = base[index]
            if byte == delimiter {
                index += 1
                if index == end && !eof { return false }
                if index == end {
                    add(base + index, 0, .plain)
                    break
                }
                continue
            }
            if byte == CSVScanner.carriageReturn {
                if index + 1 == end && !eof { return false }
                index += (index + 1 < end && base[index + 1] == CSVScanner.lineFeed) ? 2 : 1
            } else {
                index += 1
            }
            terminated = true
            break
        }
        fieldCount = count
        rowLine = line
        rowEndLine = line + linesInside
        line += linesInside + (terminated ? 1 : 0)
        position = index
        return true
    }

    /// ``whitespaceOnlyLine()``: the line's end is not in the buffer yet.
    private static let needsMore = -1

    /// For a line at `position` of only spaces, tabs and U+3000: the index after its line break
    /// (or the input's end); 0 when the line has other text; ``needsMore`` when the buffer ends first.
    private func whitespaceOnlyLine() -> Int {
        let base = UnsafePointer(buffer)
        var index = position
        while index < end {
            let byte = base[index]
            if byte == CSVScanner.lineFeed { return index + 1 }
            if byte == CSVScanner.carriageReturn {
                if index + 1 == end { return atEOF ? end : CSVCursor.needsMore }
                return base[index + 1] == CSVScanner.lineFeed ? index + 2 : index + 1
            }
            if byte == 0xE3 && index + 2 >= end && !atEOF { return CSVCursor.needsMore }
            let space = CSVSniffer.whitespaceLength(base, index, end)
            if space == 0 { return 0 }
            index += space
        }
        return atEOF ? end : CSVCursor.needsMore
    }

    /// Cuts spaces, tabs and U+3000 from the fields of this row, by ``CSVReadOptions/trim``.
    private mutating func trimFields() {
        let start = options.trim != .end
        let finish = options.trim != .start
        for index in 0..<fieldCount {
            var field = fields[index]
            if start {
                while field.count > 0 {
                    let space = CSVSniffer.whitespaceLength(field.start, 0, field.count)
                    if space == 0 { break }
                    field.start += space
                    field.count -= space
                }
            }
            if finish {
                while field.count > 0 {
                    let last = field.start[field.count - 1]
                    if last == 0x20 || last == 0x09 {
                        field.count -= 1
                    } else if last == 0x80 && field.count >= 3 && field.start[field.count - 3] == 0xE3
                        && field.start[field.count - 2] == 0x80
                    {
                        field.count -= 3
                    } else {
                        break
                    }
                }
            }
            fields[index] = field
        }
    }

    @inline(__always)
    private mutating func appendField(_ start: UnsafePointer<UInt8>, count: Int, encoding: RawRecord.Encoding) {
        if fieldCount == fieldCapacity { growFields() }
        fields[fieldCount] = RawRecord.Field(start: start, count: count, encoding: encoding)
        fieldCount += 1
    }

    /// Adds a field whose bytes live outside the buffer (freed with the row).
    private mutating func appendOwnedField(_ text: String) {
        var text = text
        let storage = text.withUTF8 { utf8 -> UnsafeMutableRawPointer in
            let storage = UnsafeMutableRawPointer.allocate(byteCount: max(utf8.count, 1), alignment: 1)
            if let base = utf8.baseAddress { storage.copyMemory(from: base, byteCount: utf8.count) }
            return storage
        }
        rowAllocations.append(storage)
        appendField(
            UnsafePointer(storage.assumingMemoryBound(to: UInt8.self)), count: text.utf8.count, encoding: .plain)
    }

    private mutating func growFields() {
        let grown = UnsafeMutablePointer<RawRecord.Field>.allocate(capacity: fieldCapacity * 2)
        grown.moveInitialize(from: fields, count: fieldCount)
        fields.deallocate()
        fields = grown
        fieldCapacity *= 2
    }

    private mutating func freeRowAllocations() {
        guard !rowAllocations.isEmpty else { return }
        for allocation in rowAllocations { allocation.deallocate() }
        rowAllocations.removeAll(keepingCapacity: true)
    }

    /// Rewrites, in NFC, the fields of this row that hold characters NFC might change.
    private mutating func normalizeFields() {
        for index in 0..<fieldCount {
            let field = fields[index]
            guard Normalization.mayNeedNFC(UnsafeBufferPointer(start: field.start, count: field.count)) else {
                continue
            }
            let normalized = Normalization.nfc(field.stringValue)
            let savedCount = fieldCount
            fieldCount = index
            appendOwnedField(normalized)
            fieldCount = savedCount
        }
    }

    // MARK: - Buffer

    /// How far past ``CSVReadOptions/maxRecordBytes`` the buffer may grow, to see a row's end.
    static let limitSlack = 1024

    /// Moves the unread bytes to the front of the buffer and decodes more after them.
    ///
    /// `unfinishedRow`: the caller could not finish the row at `position`. When that row already
    /// starts at the front (it was retried before), the buffer is filled to the brim, and doubled
    /// when full, before the retry: a long row is then rescanned only at each doubling, which
    /// keeps its cost linear (one decoder chunk per retry made a 300 MB quoted field quadratic).
    private mutating func refill(unfinishedRow: Bool = false) throws {
        try Termination.check()
        if let error = prefetcher.pendingError { throw located(error) }
        let retried = unfinishedRow && position == 0
        if position > 0 {
            let remaining = end - position
            if remaining > 0 { memmove(buffer, buffer + position, remaining) }
            end = remaining
            position = 0
        }
        if capacity - end < 64 { try growBuffer() }
        repeat {
            let (count, flag) = try prefetcher.decode(into: buffer + end, capacity: capacity - end)
            if count == 0 {
                if let error = prefetcher.pendingError { throw located(error) }
                atEOF = true
            }
            mayNeedNormalization = (mayNeedNormalization && end > 0) || flag
            end += count
            stats.replacedBytes = prefetcher.replacementCount
            if retried { try Termination.check() }
        } while retried && !atEOF && capacity - end >= 64
    }

    /// Doubles the buffer, which holds one unfinished row, up to the record size limit.
    private mutating func growBuffer() throws {
        let limit = options.maxRecordBytes
        // Straight to the limit once doubling reaches it, not a whole copy for the slack alone.
        let grownCapacity = capacity * 2 >= limit ? limit + CSVCursor.limitSlack : capacity * 2
        guard end <= limit, grownCapacity > capacity else { throw recordTooLong() }
        buffer = PageMemory.resize(buffer, from: capacity, to: grownCapacity)
        capacity = grownCapacity
    }

    /// The unfinished row at `position` is over the limit: where it starts and which field runs on.
    private func recordTooLong() -> PublicaError {
        let limits = ReadLimits(maxRecordBytes: options.maxRecordBytes)
        let isHeader = options.hasHeader && schema.count == 0 && stats.rows == 0
        let field = fieldCount < schema.count ? schema.fieldNames[fieldCount] : "field_\(fieldCount + 1)"
        if skippingLine {
            return limits.recordTooLong(
                "a skipped line (a title or comment line, no line break?)",
                at: SourceLocation(file: sourceName, line: line))
        }
        let what = (isHeader ? "the header row" : "row \(stats.rows + 1)") + " (an unclosed quote or no line breaks?)"
        return limits.recordTooLong(
            what,
            at: SourceLocation(
                file: sourceName, line: line,
                field: isHeader ? nil : field))
    }

    /// Adds the line and column to a decoding error: the bad byte is just after the buffered bytes.
    private func located(_ error: PublicaError) -> PublicaError {
        var error = error
        let (breaks, column) = CSVScanner.lineBreaks(buffer, from: position, end: end)
        error.location?.line = line + breaks
        error.location?.column = column
        return error
    }
}
