/// A record that could not be used, with the reason: it goes to the rejects output.
///
/// Nothing is dropped silently: every record a source reads ends up in an output or
/// as a `Rejection`, and the counts in the run report prove it.
public struct Rejection: Sendable, Hashable {
    /// The record's values as read.
    public var rawValues: [String]
    /// The field names, when known, so the raw record can be shown as an object.
    public var fieldNames: [String]?
    /// Where the record is in its source.
    public var provenance: Provenance
    /// The field that broke the rule, if one did.
    public var field: String?
    /// The rule's name, e.g. `field-count`, `type-error`, `required`.
    public var rule: String
    /// Why it was rejected, for a person (`expected 3 fields, found 4`).
    public var message: String

    /// A rejection of the record read as `rawValues` at `provenance`, for breaking `rule`.
    public init(
        rawValues: [String], fieldNames: [String]? = nil, provenance: Provenance,
        field: String? = nil, rule: String, message: String
    ) {
        self.rawValues = rawValues
        self.fieldNames = fieldNames
        self.provenance = provenance
        self.field = field
        self.rule = rule
        self.message = message
    }
}
