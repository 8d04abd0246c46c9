/// Why a value cannot go into its column, for the data error that names the field and record.
enum ValueProblem: Error {
    /// The text is not a value of the column's type (`abc` in an integer column).
    case notA(String)
    /// More digits after the point than the column's scale (the value's own scale).
    case finerThanScale(written: Int, scale: Int)
    /// More than 38 digits at the column's scale.
    case tooManyDigits(scale: Int)
    /// A time with an offset in a column of local times, or the other way round.
    case offsetMismatch(columnIsUTC: Bool)

    /// The message's sentence, after the value.
    func message(field: String) -> String {
        switch self {
        case .notA(let type): return "is not a\(type.first.map { "aeiou".contains($0) } == true ? "n" : "") \(type)"
        case .finerThanScale(let written, let scale):
            return "has \(written) digits after the point, more than field \"\(field)\" keeps (scale \(scale)); "
                + "declare \"scale\" for the field in the schema (\"scale\": \(written) or more)"
        case .tooManyDigits(let scale):
            return "has more than 38 digits at scale \(scale), more than Parquet's DECIMAL holds"
        case .offsetMismatch(let columnIsUTC):
            return columnIsUTC
                ? "has no UTC offset, but the column's first time has one (a column is all UTC or all local)"
                : "has a UTC offset, but the column's first time has none (a column is all UTC or all local)"
        }
    }
}
