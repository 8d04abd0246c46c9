import PublicaCore

extension JSONText {
    /// The value as indented JSON (two spaces), for descriptors people read.
    public static func pretty(_ value: FieldValue, indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent + 1)
        let close = String(repeating: "  ", count: indent)
        switch value {
        case .object(let pairs) where !pairs.isEmpty:
            let body = pairs.map { pad + render(.text($0.key)) + ": " + pretty($0.value, indent: indent + 1) }
            return "{\n" + body.joined(separator: ",\n") + "\n" + close + "}"
        case .list(let items)
        where !items.isEmpty && items.contains(where: { if case .object = $0 { true } else { false } }):
            return "[\n" + items.map { pad + pretty($0, indent: indent + 1) }.joined(separator: ",\n") + "\n" + close
                + "]"
        default:
            return render(value)
        }
    }
}
