import PublicaCore
import PublicaIngest

/// A hint for a table whose header is not on its first line: a title or search-condition line
/// above the header is narrower than the rows below, and every row would be an `extra-cell`.
enum HeaderHint {
    /// The hint, when the header line has fewer fields than most of the next few rows.
    static func check(_ path: String, options: CSVReadOptions) -> String? {
        guard path != "-", options.hasHeader else { return nil }
        var probe = options
        probe.hasHeader = false
        probe.fieldCountPolicy = .keep
        guard let reader = try? CSVReader(path: path, options: probe) else { return nil }
        var widths: [Int] = []
        while widths.count < 6, let record = try? reader.next(onReject: { _ in }) { widths.append(record.values.count) }
        guard widths.count >= 3, let header = widths.first else { return nil }
        let below = widths.dropFirst().sorted()
        let typical = below[below.count / 2]
        guard header < typical else { return nil }
        return
            "hint: line \(options.headerRow) has \(header) field\(header == 1 ? "" : "s") but the rows below have \(typical); "
            + "if the header is further down (a title line above it), name its line with --header-row N "
            + "or let --header-row auto find it"
    }
}
