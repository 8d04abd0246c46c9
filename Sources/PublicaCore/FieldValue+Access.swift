/// Reading nested values, such as JSON descriptors.
extension FieldValue {
    /// The value for `key` when this is an object.
    public subscript(key: String) -> FieldValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    /// The text when this is `.text`.
    public var string: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    /// The items when this is `.list`.
    public var items: [FieldValue]? {
        if case .list(let items) = self { return items }
        return nil
    }
}
