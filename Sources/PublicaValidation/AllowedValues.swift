import PublicaCore

/// The values an `enum` constraint allows, as a hash set: one lookup per cell, whatever the
/// enum's size.
///
/// Keys are compact (a text or an integer inline, anything else boxed): a `Set<FieldValue>`
/// of 100,000 values took 25 MiB, its buckets as wide as the widest `FieldValue`.
struct AllowedValues: Sendable {
    private enum Key: Hashable, Sendable {
        case text(String)
        case integer(Int64)
        case other(Boxed)

        init(_ value: FieldValue) {
            switch value {
            case .text(let text): self = .text(text)
            case .integer(let number): self = .integer(number)
            default: self = .other(Boxed(value))
            }
        }
    }

    private final class Boxed: Hashable, Sendable {
        let value: FieldValue
        init(_ value: FieldValue) { self.value = value }
        static func == (lhs: Boxed, rhs: Boxed) -> Bool { lhs.value == rhs.value }
        func hash(into hasher: inout Hasher) { value.hash(into: &hasher) }
    }

    private let keys: Set<Key>

    init(_ values: [FieldValue]) {
        var keys = Set<Key>(minimumCapacity: values.count)
        for value in values { keys.insert(Key(value)) }
        self.keys = keys
    }

    func contains(_ value: FieldValue) -> Bool { keys.contains(Key(value)) }
}
