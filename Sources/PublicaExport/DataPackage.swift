import PublicaCore

/// A Frictionless Data Package descriptor (`datapackage.json`) for the files Publica wrote.
///
/// Each resource gets its name, path, format, media type, encoding, byte count, `sha256:` hash
/// and a Table Schema whose field types follow the values written.
public struct DataPackage {
    /// One written file.
    public struct Entry {
        public var name: String
        public var title: String?
        /// The path relative to the descriptor.
        public var path: String
        public var format: String
        public var schema: RecordSchema
        public var fieldTypes: [String]
        public var bytes: Int
        public var sha256: String
        public var rows: Int

        public init(name: String, title: String? = nil, path: String, format: String, schema: RecordSchema,
                    fieldTypes: [String], bytes: Int, sha256: String, rows: Int) {
            self.name = name
            self.title = title
            self.path = path
            self.format = format
            self.schema = schema
            self.fieldTypes = fieldTypes
            self.bytes = bytes
            self.sha256 = sha256
            self.rows = rows
        }
    }

    public var name: String
    public var title: String?
    public var sources: [String]
    public var entries: [Entry] = []

    public init(name: String, title: String? = nil, sources: [String] = []) {
        self.name = name
        self.title = title
        self.sources = sources
    }

    static func mediaType(_ format: String) -> String {
        switch format {
        case "csv": "text/csv"
        case "tsv": "text/tab-separated-values"
        case "json": "application/json"
        default: "application/x-ndjson"
        }
    }

    /// The descriptor as ordered JSON values.
    public var descriptor: FieldValue {
        var package: [(key: String, value: FieldValue)] = [
            ("profile", "data-package"), ("name", .text(DataPackage.slug(name))),
        ]
        if let title { package.append(("title", .text(title))) }
        if !sources.isEmpty {
            package.append(("sources", .list(sources.map { .object([("title", .text($0)), ("path", .text($0))]) })))
        }
        package.append(("resources", .list(entries.map(\.descriptor))))
        return .object(package)
    }

    /// Writes `datapackage.json` at `path`, atomically.
    public func write(to path: String) throws {
        var bytes: [UInt8] = []
        JSONText.append(descriptor, to: &bytes)
        bytes.append(0x0A)
        var output = OutputBuffer(file: try OutputFile(path: path))
        try output.append(bytes)
        try output.commitFile()
    }

    /// Lowercase letters, digits, `-`, `_` and `.`, as the spec asks of names.
    static func slug(_ text: String) -> String {
        let mapped = text.lowercased().map { character -> Character in
            character.isASCII && (character.isLetter || character.isNumber || "-_.".contains(character)) ? character : "-"
        }
        let slug = String(mapped).split(separator: "-", omittingEmptySubsequences: true).joined(separator: "-")
        return slug.isEmpty ? "data" : slug
    }

    /// Table Schema types for each field, from the values written.
    public static func fieldTypes(of records: [Record], fieldCount: Int) -> [String] {
        (0..<fieldCount).map { index in
            var kinds = Set<String>()
            for record in records where index < record.values.count {
                switch record.values[index] {
                case .null: continue
                case .text: kinds.insert("string")
                case .integer: kinds.insert("integer")
                case .decimal: kinds.insert("number")
                case .boolean: kinds.insert("boolean")
                case .date(let date):
                    kinds.insert(date.precision == .day ? "date" : date.precision == .month ? "yearmonth" : "year")
                case .dateTime: kinds.insert("datetime")
                case .list: kinds.insert("array")
                case .object: kinds.insert("object")
                }
            }
            if kinds == ["integer", "number"] { return "number" }
            if kinds.count == 1 { return kinds.first! }
            return kinds.isEmpty ? "any" : "string"
        }
    }
}

extension DataPackage.Entry {
    var descriptor: FieldValue {
        var fields: [FieldValue] = []
        for (index, name) in schema.fieldNames.enumerated() {
            var field: [(key: String, value: FieldValue)] = [("name", .text(name)), ("type", .text(fieldTypes[index]))]
            let label = schema.originalLabels[index]
            if label != name { field.append(("title", .text(label))) }
            fields.append(.object(field))
        }
        var resource: [(key: String, value: FieldValue)] = [
            ("name", .text(DataPackage.slug(name))), ("path", .text(path)), ("profile", "tabular-data-resource"),
        ]
        if let title { resource.append(("title", .text(title))) }
        resource += [
            ("format", .text(format)), ("mediatype", .text(DataPackage.mediaType(format))), ("encoding", "utf-8"),
            ("bytes", .integer(Int64(bytes))), ("hash", .text("sha256:" + sha256)),
        ]
        if format == "csv" || format == "tsv" {
            resource.append(("dialect", .object([("delimiter", .text(format == "csv" ? "," : "\t")),
                                                 ("lineTerminator", "\r\n"), ("header", .boolean(true))])))
        }
        resource.append(("schema", .object([("fields", .list(fields))])))
        return .object(resource)
    }
}
