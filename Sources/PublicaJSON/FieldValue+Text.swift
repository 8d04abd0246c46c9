import PublicaCore

// Here rather than in PublicaCore because an object's text is its JSON text.
extension FieldValue {
    /// The value as text, the way a CSV cell shows it (nil for null).
    public var textValue: String? {
        switch self {
        case .null: nil
        case .text(let text): text
        case .integer(let number): String(number)
        case .decimal(let number): number.description
        case .boolean(let flag): flag ? "true" : "false"
        case .date(let date): date.description
        case .dateTime(let dateTime): dateTime.description
        case .list(let values): values.map { $0.textValue ?? "" }.joined(separator: FieldValue.listSeparator)
        case .object: JSONText.render(self)
        }
    }

    /// The separator between list items when a list must be one CSV cell.
    public static let listSeparator = "; "
}
