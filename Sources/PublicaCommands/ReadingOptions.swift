import ArgumentParser
import PublicaCore

/// Options for reading any input, shared by the commands that read data.
struct ReadingOptions: ParsableArguments {
    @Option(
        help: "Input encoding: auto (BOM, then UTF-8, then CP949), utf-8, utf-16, cp949, euc-kr, latin1.",
        completion: .list(["auto", "utf-8", "utf-16", "cp949", "euc-kr", "latin1"]))
    var encoding: String = "auto"

    @Option(
        help: "Bytes invalid in the encoding: strict (stop with their location) or replace (U+FFFD, counted).",
        completion: .list(["strict", "replace"]))
    var invalidBytes: String = "strict"

    @Option(
        help:
            "Field delimiter for delimited text: one character, 'tab', or auto (comma, semicolon, tab or pipe, sniffed).",
        completion: .list(["auto", ",", ";", "tab", "|"]))
    var delimiter: String?

    @Option(help: "Quote character for delimited text.")
    var quote: String = "\""

    @Flag(help: "Delimited text is never quoted: quote characters are ordinary text.")
    var noQuote = false

    @Option(help: "Lines starting with this character are comments and are skipped.")
    var comment: String?

    @Option(
        help: ArgumentHelp(
            "The header is the N-th line of the file (1-based; lines above it are skipped; for XLSX the N-th row "
                + "of the sheet, or of --range), or auto: found below title and search-condition lines.",
            valueName: "N|auto"),
        completion: .list(["auto", "1", "2", "3"]))
    var headerRow: String = "1"

    @Option(
        help: ArgumentHelp(
            "The header spans N lines (sheet rows for XLSX), combined per column ('2017' over '총인구 (명)' is '2017 총인구 (명)'); "
                + "a blank upper cell takes the value to its left, as merged cells do."))
    var headerRows: Int = 1

    @Flag(help: "Cut spaces, tabs and U+3000 around values and labels; lines of only whitespace are blank lines.")
    var trim = false

    @Option(help: "Data rows to skip right after the header (such as a units row).")
    var skipRows: Int = 0

    @Flag(help: "The input has no header row: fields are named field_1, field_2, ...")
    var noHeader = false

    @Option(
        help:
            "Rows with a wrong field count: error (stop, exit 65), reject (to the rejects file), pad (fill short rows).",
        completion: .list(["error", "reject", "pad"]))
    var onRagged: String = "reject"

    @Option(help: "XML: the element that is one record, e.g. response/body/items/item or //item.")
    var recordPath: String?

    @Option(
        help: "XML reading preset: datagokr (data.go.kr envelopes) or sdmx (SDMX-ML 2.1 data).",
        completion: .list(["datagokr", "sdmx"]))
    var preset: String?

    @Option(help: "XLSX: the sheet, by name or 1-based position (default: the first).")
    var sheet: String?

    @Option(help: ArgumentHelp("XLSX: read only these cells, e.g. A5:K200.", valueName: "range"))
    var range: String?

    @Option(
        help: "XLSX merged cells: keep (the value in the top-left cell only) or fill (every cell of the range).",
        completion: .list(["keep", "fill"]))
    var merged: String?

    @Option(
        help: "Bulletin: a profile (JSON) describing the series; default: the built-in R&D KIOSK profile.",
        completion: .file(extensions: ["json"]))
    var profile: String?

    @Option(
        help: ArgumentHelp(
            "The longest record (CSV row, JSON value or line, XML record) read before stopping with exit 65, e.g. 32MiB, 512KiB, 1GiB.",
            valueName: "size"))
    var maxRecordSize: String = ReadLimits.describe(ReadLimits.defaultMaxRecordBytes)

    @Option(help: "XML: the most distinct fields the records may bring before the run stops with exit 65.")
    var maxFields: Int = ReadLimits.defaultMaxFields

    func sourceOptions() throws -> SourceOptions {
        var options = SourceOptions()
        guard let encoding = TextEncoding(name: encoding) else {
            throw PublicaError(
                .usage,
                "unknown encoding '\(self.encoding)' "
                    + "(known: auto, utf-8, utf-16, cp949, euc-kr, latin1)")
        }
        options.encoding = encoding
        guard let invalid = InvalidBytePolicy(rawValue: invalidBytes) else {
            throw PublicaError(.usage, "--invalid-bytes must be strict or replace")
        }
        options.invalidBytes = invalid
        if delimiter == "auto" {
            options.sniffsDelimiter = true
        } else if let delimiter {
            options.delimiter = try ReadingOptions.singleByte(delimiter, option: "--delimiter")
        }
        options.quote = noQuote ? nil : try ReadingOptions.singleByte(quote, option: "--quote")
        if let comment { options.commentPrefix = try ReadingOptions.singleByte(comment, option: "--comment") }
        if headerRow == "auto" {
            options.findsHeaderRow = true
        } else {
            guard let line = Int(headerRow) else {
                throw PublicaError(.usage, "--header-row takes a line number (1-based) or auto, not '\(headerRow)'")
            }
            guard line >= 1 else { throw PublicaError(.usage, "--header-row counts from 1") }
            options.headerRow = line
        }
        options.trim = trim ? .both : .none
        guard headerRows >= 1 else { throw PublicaError(.usage, "--header-rows must be at least 1") }
        options.headerRows = headerRows
        guard skipRows >= 0 else { throw PublicaError(.usage, "--skip-rows cannot be negative") }
        options.skipRows = skipRows
        options.hasHeader = !noHeader
        guard let policy = FieldCountPolicy(rawValue: onRagged), policy != .keep else {
            throw PublicaError(.usage, "--on-ragged must be error, reject or pad")
        }
        options.fieldCountPolicy = policy
        options.recordPath = recordPath
        options.preset = preset
        if let profile { options.extra["profile"] = profile }
        options.extra["sheet"] = sheet
        options.extra["range"] = range
        options.extra["merged"] = merged
        guard let maxRecordBytes = ReadLimits.parseSize(maxRecordSize) else {
            throw PublicaError(
                .usage, "--max-record-size takes a size such as 64MiB, 512KiB or 1GiB, not '\(maxRecordSize)'")
        }
        guard maxFields >= 1 else { throw PublicaError(.usage, "--max-fields must be at least 1") }
        options.limits = ReadLimits(maxRecordBytes: maxRecordBytes, maxFields: maxFields)
        return options
    }

    /// One ASCII character; `tab` and `\t` mean a tab.
    static func singleByte(_ text: String, option: String) throws -> UInt8 {
        if text == "tab" || text == "\\t" { return 0x09 }
        guard text.utf8.count == 1, let byte = text.utf8.first, byte < 0x80 else {
            throw PublicaError(.usage, "\(option) takes one ASCII character, not '\(text)'")
        }
        return byte
    }
}
