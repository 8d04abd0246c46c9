/// One record: values in field order, plus where it came from.
///
/// Field names live once per stream in a ``RecordSchema``, not in every record, so a
/// million records do not carry a million copies of the header.
public struct Record: Sendable, Hashable {
    /// The values, one per field of the stream's ``RecordSchema``, in its order.
    public var values: [FieldValue]
    /// Where the record came from, carried into rejects and validation errors.
    public var provenance: Provenance

    /// A record of `values` from the place `provenance` names.
    public init(values: [FieldValue], provenance: Provenance) {
        self.values = values
        self.provenance = provenance
    }
}

/// The shape of a record stream: field names in order, and the original labels.
public struct RecordSchema: Sendable, Hashable {
    /// Unique field names, in order (see ``FieldNames/makeUnique(_:)``).
    public var fieldNames: [String]
    /// The labels as the source wrote them (blank or repeated ones included), same order.
    public var originalLabels: [String]

    /// A schema of names that are unique already; `originalLabels` defaults to the names themselves.
    public init(fieldNames: [String], originalLabels: [String]? = nil) {
        self.fieldNames = fieldNames
        self.originalLabels = originalLabels ?? fieldNames
    }

    /// Makes a schema from labels as read, making blank and repeated labels unique.
    public init(labels: [String]) {
        self.init(fieldNames: FieldNames.makeUnique(labels), originalLabels: labels)
    }

    /// The number of fields.
    public var count: Int { fieldNames.count }
}

/// Rules for field names.
public enum FieldNames {
    /// Makes labels usable as field names without losing any value:
    /// a blank label becomes `field_N` (N its 1-based position), a repeat becomes `name_2`, `name_3`.
    public static func makeUnique(_ labels: [String]) -> [String] {
        var seen = Set<String>()
        // The next suffix to try per name, so 100,000 repeats of one label cost linear time.
        var nextSuffix: [String: Int] = [:]
        var names: [String] = []
        names.reserveCapacity(labels.count)
        for (index, label) in labels.enumerated() {
            let trimmed = label.trimmingSpaces
            var name = trimmed.isEmpty ? "field_\(index + 1)" : trimmed
            if seen.contains(name) {
                var suffix = nextSuffix[name] ?? 2
                while seen.contains("\(name)_\(suffix)") { suffix += 1 }
                nextSuffix[name] = suffix + 1
                name = "\(name)_\(suffix)"
            }
            seen.insert(name)
            names.append(name)
        }
        return names
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    public var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
