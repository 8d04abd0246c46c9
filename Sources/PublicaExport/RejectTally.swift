import PublicaCore

/// Rejections grouped by rule and field, with the first few of each as examples: what a run
/// report shows of its rejects. Bounded: past ``groupLimit`` groups, the rest are only counted.
public struct RejectTally: Sendable {
    /// One rule on one field (or on the record, when no field is named).
    public struct Group: Sendable {
        /// The rule, as in the rejects file (`type`, `pattern`, `field-count`).
        public var rule: String
        /// The field, or nil for a rule on the whole record.
        public var field: String?
        /// Rejections in the group.
        public var count = 0
        /// The first ``RejectTally/examplesPerGroup`` of them.
        public var examples: [Example] = []
    }

    /// One rejected record, as the report shows it.
    public struct Example: Sendable {
        /// Where the record was: source and line.
        public var source: String
        /// The first line of the record.
        public var line: Int
        /// Why it was rejected.
        public var message: String
        /// The field's value, when the rule names a field the record has.
        public var value: String?
    }

    /// Groups kept; more distinct rule and field pairs are counted in ``otherCount``.
    public static let groupLimit = 100
    /// Examples kept per group.
    public static let examplesPerGroup = 3
    /// The groups, in the order first met.
    public private(set) var groups: [Group] = []
    /// Rejections of groups past the limit.
    public private(set) var otherCount = 0
    private var index: [String: Int] = [:]

    /// An empty tally.
    public init() {}

    /// Counts a rejection.
    public mutating func add(_ rejection: Rejection) {
        let key = rejection.rule + "\u{0}" + (rejection.field ?? "")
        let position: Int
        if let known = index[key] {
            position = known
        } else if groups.count < RejectTally.groupLimit {
            position = groups.count
            index[key] = position
            groups.append(Group(rule: rejection.rule, field: rejection.field))
        } else {
            otherCount += 1
            return
        }
        groups[position].count += 1
        guard groups[position].examples.count < RejectTally.examplesPerGroup else { return }
        let value = rejection.field.flatMap { field in
            rejection.fieldNames?.firstIndex(of: field).flatMap {
                $0 < rejection.rawValues.count ? rejection.rawValues[$0] : nil
            }
        }
        groups[position].examples.append(
            Example(
                source: rejection.provenance.source, line: rejection.provenance.line, message: rejection.message,
                value: value))
    }

    /// The groups, largest first, as the run report gives them.
    public var document: FieldValue {
        let sorted = groups.enumerated().sorted {
            $0.element.count != $1.element.count ? $0.element.count > $1.element.count : $0.offset < $1.offset
        }
        var entries: [(key: String, value: FieldValue)] = [
            ("groups", .list(sorted.map { RejectTally.describe($0.element) }))
        ]
        if otherCount > 0 { entries.append(("other", .integer(Int64(otherCount)))) }
        return .object(entries)
    }

    private static func describe(_ group: Group) -> FieldValue {
        .object([
            ("rule", .text(group.rule)), ("field", group.field.map(FieldValue.text) ?? .null),
            ("count", .integer(Int64(group.count))),
            (
                "examples",
                .list(
                    group.examples.map { example in
                        .object([
                            ("source", .text(example.source)), ("line", .integer(Int64(example.line))),
                            ("message", .text(example.message)), ("value", example.value.map(FieldValue.text) ?? .null)
                        ])
                    })
            )
        ])
    }
}
