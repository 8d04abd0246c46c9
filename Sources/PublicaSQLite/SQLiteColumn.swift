import PublicaExport

/// How one column is declared and how its values are stored.
enum SQLiteColumn: Equatable {
    /// `INTEGER`: integers, years, booleans (0 and 1).
    case integer
    /// `REAL`: numbers that a double holds exactly as written (at most 15 significant digits;
    /// others are refused, since SQLite would round them).
    case real
    /// `TEXT`: strings, dates and times in ISO form, numbers with a declared `scale` (exact).
    case text
    /// No declared type: each value stored as what it is (a field the schema does not declare).
    case untyped

    /// The column for a field the schema declares as `type` (nil when it does not declare it).
    init(_ field: TableDescription.Field?) {
        switch field?.type {
        case "integer", "year", "boolean": self = .integer
        case "number": self = field?.scale == nil ? .real : .text
        case "string", "date", "datetime", "time", "yearmonth", "duration": self = .text
        default: self = .untyped
        }
    }

    /// The type in `CREATE TABLE`.
    var declaration: String {
        switch self {
        case .integer: " INTEGER"
        case .real: " REAL"
        case .text: " TEXT"
        case .untyped: ""
        }
    }

    /// Whether a decimal's canonical text (`-12.5`, `0.001`) has at most 15 significant digits, so
    /// that a double holds it and gives it back as written.
    static func fitsDouble(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var significant = 0
        var pendingZeros = 0
        var started = false
        for byte in text {
            if byte == UInt8(ascii: "0") {
                if started { pendingZeros &+= 1 }
            } else if byte >= UInt8(ascii: "1") && byte <= UInt8(ascii: "9") {
                significant &+= pendingZeros &+ 1
                pendingZeros = 0
                started = true
            } else if byte != UInt8(ascii: ".") && byte != UInt8(ascii: "-") && byte != UInt8(ascii: "+") {
                return false  // an exponent or anything else: not canonical
            }
        }
        // Trailing zeros of an integer part count; those after the point do not, but a canonical
        // decimal has none there.
        return significant &+ (text.contains(UInt8(ascii: ".")) ? 0 : pendingZeros) <= 15
    }
}
