/// One typed value in a record.
///
/// Without a schema every value read from a file is `.text` exactly as read (a code `01234`
/// stays text); a schema or a typed source (JSON, a bulletin) gives the other cases.
public enum FieldValue: Sendable, Hashable {
    case null
    case text(String)
    case integer(Int64)
    /// An exact decimal (never binary floating point).
    indirect case decimal(ExactDecimal)
    case boolean(Bool)
    indirect case date(DateValue)
    indirect case dateTime(DateTimeValue)
    /// Repeated values, such as repeated XML children.
    case list([FieldValue])
    /// A nested object with its keys in source order, such as a JSON object.
    case object([(key: String, value: FieldValue)])

    /// Same case and same value: `.integer(1)` is not `.decimal(1)` nor `.text("1")`; objects are
    /// equal only with their keys in the same order.
    public static func == (lhs: FieldValue, rhs: FieldValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.text(let a), .text(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.decimal(let a), .decimal(let b)): a == b
        case (.boolean(let a), .boolean(let b)): a == b
        case (.date(let a), .date(let b)): a == b
        case (.dateTime(let a), .dateTime(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// Hashes the value as `==` compares it.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .text(let text): hasher.combine(text)
        case .integer(let number): hasher.combine(number)
        case .decimal(let number): hasher.combine(number)
        case .boolean(let flag): hasher.combine(flag)
        case .date(let date): hasher.combine(date)
        case .dateTime(let dateTime): hasher.combine(dateTime)
        case .list(let values): hasher.combine(values)
        case .object(let pairs):
            for pair in pairs {
                hasher.combine(pair.key)
                hasher.combine(pair.value)
            }
        }
    }
}

extension FieldValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    /// `"text"` is `.text("text")`.
    public init(stringLiteral value: String) { self = .text(value) }
    /// `42` is `.integer(42)`.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// `nil` is `.null`.
    public init(nilLiteral: ()) { self = .null }
}
