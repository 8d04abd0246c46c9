import PublicaCore
import PublicaIngest

/// A Frictionless Table Schema: fields with types, formats and constraints, missing values,
/// primary and foreign keys (Table Schema v1, with the v2 additions where they differ).
public struct TableSchema: Sendable {
    /// The fields, in the order the table's columns are expected.
    public var fields: [SchemaField]
    /// Cells that mean "no value" (default: the empty string).
    public var missingValues: [String]
    /// The fields whose values together must be unique and present in every row; empty for none.
    public var primaryKey: [String]
    /// References to other resources of a data package (or to this table); checked by ``PackageValidator``.
    public var foreignKeys: [ForeignKey]

    /// One `foreignKeys` entry: these fields' values must appear in the referenced fields.
    public struct ForeignKey: Sendable, Hashable {
        /// The fields of this table that refer, in order.
        public var fields: [String]
        /// The referenced resource's name; empty for a self-reference.
        public var resource: String
        /// The referenced resource's fields, one for each of ``fields``.
        public var referencedFields: [String]
    }

    /// A schema built in code; nothing is checked (a key naming a missing field is not an error here,
    /// as it is when a descriptor is read).
    public init(
        fields: [SchemaField], missingValues: [String] = [""], primaryKey: [String] = [],
        foreignKeys: [ForeignKey] = []
    ) {
        self.fields = fields
        self.missingValues = missingValues
        self.primaryKey = primaryKey
        self.foreignKeys = foreignKeys
    }

    /// Reads a schema descriptor; problems in it are ``Diagnostic``s coded `schema-error` or `field-error`.
    public init(descriptor: FieldValue, source: String) throws {
        var problems: [Diagnostic] = []
        guard case .object = descriptor, let fieldList = descriptor["fields"]?.items else {
            throw SchemaProblems(
                [Diagnostic("schema-error", "descriptor is not valid: \"fields\" must be an array")],
                source: source)
        }
        missingValues = descriptor["missingValues"]?.items?.compactMap(\.string) ?? [""]
        var fields: [SchemaField] = []
        for (index, item) in fieldList.enumerated() {
            do {
                fields.append(try SchemaField(descriptor: item, schemaMissingValues: missingValues))
            } catch let problem as Diagnostic {
                problems.append(Diagnostic(problem.code, problem.message + " (field \(index + 1))"))
            }
        }
        self.fields = fields
        let names = Set(fields.map(\.name))
        primaryKey = TableSchema.names(descriptor["primaryKey"])
        for name in primaryKey where !names.contains(name) {
            problems.append(
                Diagnostic(
                    "schema-error", "descriptor is not valid: primary key field \"\(name)\" does not exist")
            )
        }
        foreignKeys = []
        for item in descriptor["foreignKeys"]?.items ?? [] {
            let keyFields = TableSchema.names(item["fields"])
            guard let reference = item["reference"] else {
                problems.append(
                    Diagnostic(
                        "schema-error", "descriptor is not valid: a foreign key needs a \"reference\""))
                continue
            }
            for name in keyFields where !names.contains(name) {
                problems.append(
                    Diagnostic(
                        "schema-error",
                        "descriptor is not valid: foreign key field \"\(name)\" does not exist"))
            }
            let referenced = TableSchema.names(reference["fields"])
            if referenced.count != keyFields.count {
                problems.append(
                    Diagnostic(
                        "schema-error",
                        "descriptor is not valid: foreign key fields and reference fields differ in number"))
            }
            foreignKeys.append(
                ForeignKey(
                    fields: keyFields, resource: reference["resource"]?.string ?? "",
                    referencedFields: referenced))
        }
        if !problems.isEmpty { throw SchemaProblems(problems, source: source) }
    }

    /// Reads a schema file.
    public init(path: String) throws {
        try self.init(descriptor: try JSONDocument.read(path: path), source: path)
    }

    /// `"id"` or `["a", "b"]`.
    static func names(_ value: FieldValue?) -> [String] {
        if let name = value?.string { return [name] }
        return value?.items?.compactMap(\.string) ?? []
    }

    /// The schema as a descriptor (for `publica infer` and data packages).
    public var descriptor: FieldValue {
        var pairs: [(key: String, value: FieldValue)] = [("fields", .list(fields.map(\.descriptor)))]
        if missingValues != [""] { pairs.append(("missingValues", .list(missingValues.map(FieldValue.text)))) }
        if !primaryKey.isEmpty {
            pairs.append(
                ("primaryKey", primaryKey.count == 1 ? .text(primaryKey[0]) : .list(primaryKey.map(FieldValue.text))))
        }
        return .object(pairs)
    }
}

/// A schema descriptor that cannot be used, with every problem found.
public struct SchemaProblems: Error, Sendable, CustomStringConvertible {
    /// Every problem found, in the order of the descriptor.
    public var problems: [Diagnostic]
    /// Where the descriptor came from (its file, or the pipeline file for an inline schema), for messages.
    public var source: String

    /// The problems of the descriptor read from `source`, each placed there.
    public init(_ problems: [Diagnostic], source: String) {
        self.problems = problems.map { problem in
            var placed = problem
            if placed.location == nil { placed.location = SourceLocation(file: source) }
            return placed
        }
        self.source = source
    }

    /// One `source: error: code: message` line per problem.
    public var description: String {
        problems.map { "\(source): error: \($0.code): \($0.message)" }.joined(separator: "\n")
    }
}
