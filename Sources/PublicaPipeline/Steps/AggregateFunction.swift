import PublicaCore
import PublicaJSON

/// What an `aggregate` output computes over its group's records.
public enum AggregateFunction: Sendable, Hashable {
    /// `count: "*"`: the records; `count: F`: the records where F is not missing.
    case count(String?)
    /// `sum: F`: exact (integers and decimals, and text that reads as a plain decimal); null when
    /// every value is missing. An integer when every value was an integer and the sum fits.
    case sum(String)
    /// `min: F`, `max: F`: the least or greatest value in ``ValueOrder``'s order (text by its
    /// bytes), missing values skipped; the value as it was.
    case min(String), max(String)
    /// `mean: F`: the exact sum over the count of values, rounded half away from zero to the
    /// values' largest scale plus 6 digits (trailing zeros trimmed); null without values.
    case mean(String)
    /// `first: F`, `last: F`: the group's first or last record's value, null included.
    case first(String), last(String)
    /// `count_distinct: F`: how many different values F takes, missing values not counted
    /// (typed values by value: `1.50` and `1.5` are one; `1` and `"1"` are two).
    case countDistinct(String)

    /// The names the pipeline file uses.
    public static let names = ["count", "sum", "min", "max", "mean", "first", "last", "count_distinct"]

    /// The function `name` over `field` (`*` only for `count`); nil for an unknown name.
    public init?(name: String, field: String) {
        switch name {
        case "count": self = .count(field == "*" ? nil : field)
        case "sum": self = .sum(field)
        case "min": self = .min(field)
        case "max": self = .max(field)
        case "mean": self = .mean(field)
        case "first": self = .first(field)
        case "last": self = .last(field)
        case "count_distinct": self = .countDistinct(field)
        default: return nil
        }
    }

    /// The field the function reads; nil for `count: "*"`.
    public var field: String? {
        switch self {
        case .count(let field): field
        case .sum(let field), .min(let field), .max(let field), .mean(let field), .first(let field),
            .last(let field), .countDistinct(let field):
            field
        }
    }
}
