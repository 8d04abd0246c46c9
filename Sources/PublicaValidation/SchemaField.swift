import PublicaCore

/// One field of a Table Schema: name, type, format, type options and constraints.
public struct SchemaField: Sendable {
    /// Table Schema's field types (v1 and v2's `list`); the raw value is the descriptor's `type`.
    public enum FieldType: String, Sendable, CaseIterable {
        case string, number, integer, boolean, date, time, datetime, year, yearmonth, duration
        case object, array, list, geopoint, geojson, any
    }

    /// The field's name, matched against the table's header (or a record's field names).
    public var name: String
    /// A human-readable title from the descriptor, written back in its descriptor; nil for none.
    public var title: String?
    /// What the field holds, from the descriptor; carried into data packages, DCAT and SQLite.
    public var description: String?
    /// Digits after the decimal point of a `number` field (`scale`, a Publica property of the
    /// descriptor): Parquet stores the field as DECIMAL with this scale; nil when not given.
    public var scale: Int?
    /// The type each cell must have (a missing descriptor `type` is `any`).
    public var type: FieldType
    /// `default`, `any`, a strptime pattern (`%Y.%m.%d`, `%Y년 %m월 %d일`), or `email`/`uri`/`uuid`.
    public var format: String
    /// What a typed value must also satisfy (required, unique, bounds, pattern, enum).
    public var constraints: Constraints
    /// The cells that mean true for a `boolean` field (default `true`, `True`, `TRUE`, `1`).
    public var trueValues: [String]
    /// The cells that mean false for a `boolean` field (default `false`, `False`, `FALSE`, `0`).
    public var falseValues: [String]
    /// The decimal separator of `number` cells (default `.`; `,` for `1.234,5`).
    public var decimalChar: String
    /// The thousands separator dropped from `number` and `integer` cells (`,` for `1,234,000`); only
    /// a single character is used; nil for none.
    public var groupChar: String?
    /// False lets numbers carry text around them (`1,234원`, `12%`).
    public var bareNumber: Bool
    /// Field-level missing values (v2), else the schema's.
    public var missingValues: [String]

    /// A field with Table Schema's defaults for everything not given (note: `.string` here, while a
    /// descriptor without `type` reads as `any`).
    public init(
        name: String, type: FieldType = .string, format: String = "default", constraints: Constraints = Constraints(),
        trueValues: [String] = ["true", "True", "TRUE", "1"], falseValues: [String] = ["false", "False", "FALSE", "0"],
        decimalChar: String = ".", groupChar: String? = nil, bareNumber: Bool = true, missingValues: [String] = [""]
    ) {
        self.name = name
        self.type = type
        self.format = format
        self.constraints = constraints
        self.trueValues = trueValues
        self.falseValues = falseValues
        self.decimalChar = decimalChar
        self.groupChar = groupChar
        self.bareNumber = bareNumber
        self.missingValues = missingValues
    }

    init(descriptor: FieldValue, schemaMissingValues: [String]) throws {
        guard let name = descriptor["name"]?.string else {
            throw Diagnostic("field-error", "a field needs a \"name\"")
        }
        if descriptor["required"] != nil {
            throw Diagnostic("field-error", "\"required\" should be set as \"constraints.required\"")
        }
        let typeName = descriptor["type"]?.string ?? "any"
        guard let type = FieldType(rawValue: typeName) else {
            throw Diagnostic("field-error", "field \"\(name)\" has an unknown type \"\(typeName)\"")
        }
        self.init(name: name, type: type)
        title = descriptor["title"]?.string
        description = descriptor["description"]?.string
        if let given = descriptor["scale"] {
            guard case .integer(let digits) = given, type == .number, (0...38).contains(digits) else {
                throw Diagnostic("field-error", "field \"\(name)\": \"scale\" is for a number field, from 0 to 38")
            }
            scale = Int(digits)
        }
        format = descriptor["format"]?.string ?? "default"
        if let values = descriptor["trueValues"]?.items { trueValues = values.compactMap(\.string) }
        if let values = descriptor["falseValues"]?.items { falseValues = values.compactMap(\.string) }
        decimalChar = descriptor["decimalChar"]?.string ?? "."
        groupChar = descriptor["groupChar"]?.string
        if case .boolean(let bare)? = descriptor["bareNumber"] { bareNumber = bare }
        missingValues = descriptor["missingValues"]?.items?.compactMap(\.string) ?? schemaMissingValues
        if let constraintDescriptor = descriptor["constraints"] {
            do {
                constraints = try Constraints(descriptor: constraintDescriptor, field: self)
            } catch let error as Diagnostic {
                throw error
            } catch {
                throw Diagnostic("field-error", "field \"\(name)\": invalid constraint: \(error)")
            }
        }
    }

    var descriptor: FieldValue {
        var pairs: [(key: String, value: FieldValue)] = [("name", .text(name)), ("type", .text(type.rawValue))]
        if let title { pairs.append(("title", .text(title))) }
        if let description { pairs.append(("description", .text(description))) }
        if let scale { pairs.append(("scale", .integer(Int64(scale)))) }
        if format != "default" { pairs.append(("format", .text(format))) }
        if let groupChar { pairs.append(("groupChar", .text(groupChar))) }
        if !bareNumber { pairs.append(("bareNumber", .boolean(false))) }
        if type == .boolean
            && (trueValues != ["true", "True", "TRUE", "1"] || falseValues != ["false", "False", "FALSE", "0"])
        {
            pairs.append(("trueValues", .list(trueValues.map(FieldValue.text))))
            pairs.append(("falseValues", .list(falseValues.map(FieldValue.text))))
        }
        let constraintPairs = constraints.descriptorPairs
        if !constraintPairs.isEmpty { pairs.append(("constraints", .object(constraintPairs))) }
        return .object(pairs)
    }
}

/// A field's constraints. `minimum`/`maximum` and `enum` hold values cast to the field's type.
public struct Constraints: Sendable {
    /// A missing value is a `constraint-error`.
    public var required = false
    /// Two rows with one value are a `unique-error` (missing values are not compared).
    public var unique = false
    /// The fewest characters a value may have (items, for a `list`); nil for no bound.
    public var minLength: Int?
    /// The most characters a value may have (items, for a `list`); nil for no bound.
    public var maxLength: Int?
    /// The smallest value allowed, inclusive, cast to the field's type; nil for no bound.
    public var minimum: FieldValue?
    /// The largest value allowed, inclusive, cast to the field's type; nil for no bound.
    public var maximum: FieldValue?
    /// A value must be greater than this, cast to the field's type; nil for no bound.
    public var exclusiveMinimum: FieldValue?
    /// A value must be less than this, cast to the field's type; nil for no bound.
    public var exclusiveMaximum: FieldValue?
    /// A regular expression the whole value must match (linear time; see ``Pattern``); nil for none.
    public var pattern: Pattern?
    /// The descriptor's `enum`: the only values allowed, cast to the field's type; nil for any.
    public var allowed: [FieldValue]? {
        didSet { allowedSet = allowed.map(AllowedValues.init) }
    }
    /// `allowed` as a hash set: an enum of 100,000 values is one lookup per cell, not a scan.
    private(set) var allowedSet: AllowedValues?

    /// No constraints.
    public init() {}

    init(descriptor: FieldValue, field: SchemaField) throws {
        if case .boolean(let flag)? = descriptor["required"] { required = flag }
        if case .boolean(let flag)? = descriptor["unique"] { unique = flag }
        if case .integer(let length)? = descriptor["minLength"] { minLength = Int(length) }
        if case .integer(let length)? = descriptor["maxLength"] { maxLength = Int(length) }
        func bound(_ key: String) throws -> FieldValue? {
            guard let value = descriptor[key] else { return nil }
            guard let cast = ValueCaster.castConstraint(value, field: field) else {
                throw Diagnostic(
                    "field-error",
                    "field \"\(field.name)\": constraint \"\(key)\" does not fit type \(field.type.rawValue)")
            }
            return cast
        }
        minimum = try bound("minimum")
        maximum = try bound("maximum")
        exclusiveMinimum = try bound("exclusiveMinimum")
        exclusiveMaximum = try bound("exclusiveMaximum")
        if let source = descriptor["pattern"]?.string {
            do {
                pattern = try Pattern(source)
            } catch let error as PatternError {
                throw Diagnostic("field-error", "field \"\(field.name)\": \(error.reason)")
            }
        }
        if let items = descriptor["enum"]?.items {
            allowed = try items.map { item in
                guard let cast = ValueCaster.castConstraint(item, field: field) else {
                    throw Diagnostic(
                        "field-error",
                        "field \"\(field.name)\": enum value does not fit type \(field.type.rawValue)")
                }
                return cast
            }
            allowedSet = allowed.map(AllowedValues.init)
        }
    }

    var descriptorPairs: [(key: String, value: FieldValue)] {
        var pairs: [(key: String, value: FieldValue)] = []
        if required { pairs.append(("required", .boolean(true))) }
        if unique { pairs.append(("unique", .boolean(true))) }
        if let minLength { pairs.append(("minLength", .integer(Int64(minLength)))) }
        if let maxLength { pairs.append(("maxLength", .integer(Int64(maxLength)))) }
        if let minimum { pairs.append(("minimum", minimum)) }
        if let maximum { pairs.append(("maximum", maximum)) }
        if let pattern { pairs.append(("pattern", .text(pattern.source))) }
        if let allowed { pairs.append(("enum", .list(allowed))) }
        return pairs
    }
}
