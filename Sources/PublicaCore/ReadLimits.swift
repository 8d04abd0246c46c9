/// The sizes past which a reader stops with a located error instead of allocating more.
///
/// Every reader holds one record at a time, so these bound a run's memory whatever the input:
/// a runaway quote, a file with no line break (`/dev/zero`), a giant XML text node or JSON
/// value, an XML feed whose records each bring new fields. The defaults are far above what
/// any government dataset we know needs; `--max-record-size` and `--max-fields` raise them.
public struct ReadLimits: Sendable, Hashable {
    /// The longest record accepted, in bytes: a CSV row, a JSON value or NDJSON line, an XML
    /// record (which bounds each field and text node in it too).
    public var maxRecordBytes: Int
    /// The most distinct fields an XML source may collect from its records.
    public var maxFields: Int

    /// 32 MiB: a record at the limit, read and written, keeps a run under 100 MiB.
    public static let defaultMaxRecordBytes = 32 << 20
    /// 1,000 distinct fields: wider than any XML feed we have met, small enough that padding
    /// the records held for the field sample to it cannot balloon memory or the output.
    public static let defaultMaxFields = 1_000

    /// Limits with the defaults: 32 MiB per record, 1,000 XML fields.
    public init(maxRecordBytes: Int = ReadLimits.defaultMaxRecordBytes, maxFields: Int = ReadLimits.defaultMaxFields) {
        self.maxRecordBytes = maxRecordBytes
        self.maxFields = maxFields
    }

    /// A size such as `64MiB`, `512KiB`, `1GiB`, `2MB`, `1000` (bytes); nil when not one.
    public static func parseSize(_ text: String) -> Int? {
        let lowered = text.lowercased().filter { $0 != " " && $0 != "_" }
        let units: [(suffix: String, factor: Int)] = [
            ("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30), ("kb", 1000), ("mb", 1_000_000),
            ("gb", 1_000_000_000), ("k", 1 << 10), ("m", 1 << 20), ("g", 1 << 30), ("b", 1)
        ]
        var digits = Substring(lowered)
        var factor = 1
        for unit in units where lowered.hasSuffix(unit.suffix) {
            digits = lowered.dropLast(unit.suffix.count)
            factor = unit.factor
            break
        }
        guard let number = Int(digits), number > 0 else { return nil }
        let (product, overflow) = number.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }

    /// A size for messages: `64 MiB`, `1500 bytes`.
    public static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 30 && bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }

    /// The error for a record over ``maxRecordBytes``, naming the limit and the flag that raises it.
    public func recordTooLong(_ what: String, at location: SourceLocation) -> PublicaError {
        PublicaError(
            .data,
            "\(what) is longer than the \(ReadLimits.describe(maxRecordBytes)) record limit; "
                + "{--max-record-size} raises it", at: location)
    }
}
