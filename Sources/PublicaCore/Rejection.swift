/// A record that could not be used, with the reason: it goes to the rejects output.
///
/// Nothing is dropped silently: every record a source reads ends up in an output or
/// as a `Rejection`, and the counts in the run report prove it.
public struct Rejection: Sendable, Hashable {
    /// The record's values as read.
    public var rawValues: [String]
    /// The field names, when known, so the raw record can be shown as an object.
    public var fieldNames: [String]?
    public var provenance: Provenance
    /// The field that broke the rule, if one did.
    public var field: String?
    /// The rule's name, e.g. `field-count`, `type-error`, `required`.
    public var rule: String
    public var message: String

    public init(rawValues: [String], fieldNames: [String]? = nil, provenance: Provenance,
                field: String? = nil, rule: String, message: String) {
        self.rawValues = rawValues
        self.fieldNames = fieldNames
        self.provenance = provenance
        self.field = field
        self.rule = rule
        self.message = message
    }
}
