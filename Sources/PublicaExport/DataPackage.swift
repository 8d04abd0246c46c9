import PublicaCore
import PublicaJSON

/// A Frictionless Data Package descriptor (`datapackage.json`) for the files Publica wrote.
///
/// Each resource gets its name, path, format, media type, encoding, byte count, `sha256:` hash
/// and a Table Schema whose field types follow the values written.
public struct DataPackage {
    /// One written file.
    public struct Entry {
        /// The resource's name (the file's stem), made a lowercase slug in the descriptor.
        public var name: String
        /// A human-readable title (a bulletin's record set has one); nil for none.
        public var title: String?
        /// The path relative to the descriptor.
        public var path: String
        /// The file's format name (`csv`, `tsv`, `json`, `ndjson`), which gives its media type.
        public var format: String
        /// The file's fields; a label that differs from its field name becomes the field's `title`.
        public var schema: RecordSchema
        /// A Table Schema type per field, in the schema's order (see ``DataPackage/fieldTypes(of:fieldCount:)``).
        public var fieldTypes: [String]
        /// The file's size in bytes, as written.
        public var bytes: Int
        /// The file's SHA-256 in lowercase hex, written as `sha256:<hex>`.
        public var sha256: String
        /// Records written to the file (not part of the descriptor).
        public var rows: Int
        /// The schema's primary key (empty for none).
        public var primaryKey: [String] = []
        /// The schema's foreign keys, as Table Schema descriptors (`fields`, `reference`).
        public var foreignKeys: [FieldValue] = []
        /// Each field's description from the schema, by field name (none for most).
        public var fieldDescriptions: [String: String] = [:]

        /// An entry for a file already written; the caller supplies its size and hash.
        public init(
            name: String, title: String? = nil, path: String, format: String, schema: RecordSchema,
            fieldTypes: [String], bytes: Int, sha256: String, rows: Int
        ) {
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

    /// A license, as Data Package `licenses` entries give it.
    public struct License: Sendable, Hashable {
        /// The license's identifier (`KOGL-Type1`, `CC-BY-4.0`).
        public var name: String
        /// The license text's URL.
        public var path: String
        /// The license's title, in Korean for the KOGL types.
        public var title: String

        /// A license by its identifier, text URL and title.
        public init(name: String, path: String, title: String) {
            self.name = name
            self.path = path
            self.title = title
        }

        /// Licenses known by name: Korea Open Government License types 1–4 (공공누리) and CC.
        public static func known(_ name: String) -> License? {
            switch name.lowercased() {
            case "kogl-type1", "kogl-1":
                License(
                    name: "KOGL-Type1", path: "https://www.kogl.or.kr/info/licenseType1.do", title: "공공누리 제1유형: 출처표시")
            case "kogl-type2", "kogl-2":
                License(
                    name: "KOGL-Type2", path: "https://www.kogl.or.kr/info/licenseType2.do",
                    title: "공공누리 제2유형: 출처표시, 상업적 이용금지")
            case "kogl-type3", "kogl-3":
                License(
                    name: "KOGL-Type3", path: "https://www.kogl.or.kr/info/licenseType3.do",
                    title: "공공누리 제3유형: 출처표시, 변경금지")
            case "kogl-type4", "kogl-4":
                License(
                    name: "KOGL-Type4", path: "https://www.kogl.or.kr/info/licenseType4.do",
                    title: "공공누리 제4유형: 출처표시, 상업적 이용금지, 변경금지")
            case "cc-by-4.0":
                License(
                    name: "CC-BY-4.0", path: "https://creativecommons.org/licenses/by/4.0/",
                    title: "Creative Commons Attribution 4.0")
            case "cc0-1.0":
                License(name: "CC0-1.0", path: "https://creativecommons.org/publicdomain/zero/1.0/", title: "CC0 1.0")
            default: nil
            }
        }
    }

    /// The package's name (the pipeline's or the input's), made a lowercase slug in the descriptor
    /// (`data` when nothing of it is left).
    public var name: String
    /// The dataset's title (`--title`); nil leaves it out.
    public var title: String?
    /// The dataset's version (`--package-version`); nil leaves it out.
    public var version: String?
    /// When the package was made (ISO 8601); omitted when nil, so reruns are byte-identical.
    public var created: String?
    /// The licenses the data is published under (`--license`); none leaves `licenses` out.
    public var licenses: [License] = []
    /// The inputs' paths, each written as a `sources` entry (title and path).
    public var sources: [String]
    /// What the dataset is, for a person; nil leaves it out.
    public var description: String?
    /// Words a catalogue finds the dataset by.
    public var keywords: [String] = []
    /// The dataset's web page; nil leaves it out.
    public var homepage: String?
    /// Who publishes it (`contributors` with the role `publisher`): a name, an email, a URL.
    public var publisher: (name: String, email: String?, url: String?)?
    /// Whom to ask about the data (DCAT's contact point; the publisher when nil).
    public var contact: (name: String, email: String?, url: String?)?
    /// The period the data covers: start and end as ISO dates (or a year, a year-month).
    public var temporal: (start: String?, end: String?)?
    /// The place the data covers: a name, or a URL (a gazetteer's).
    public var spatial: String?
    /// The resources, one per file written, in order.
    public var entries: [Entry] = []

    /// A package with no resources yet; add ``entries`` before writing it.
    public init(name: String, title: String? = nil, sources: [String] = []) {
        self.name = name
        self.title = title
        self.sources = sources
    }

    /// The media type of a format: the standard sinks', or that of a format another module
    /// registers (SQLite, Parquet).
    static func mediaType(_ format: String) -> String {
        SinkRegistry.standard.format(named: format)?.mediaType ?? binaryMediaTypes[format] ?? "application/octet-stream"
    }

    /// Formats whose files are not text, with their media types: their resources have no `encoding`.
    public static let binaryMediaTypes = [
        "sqlite": "application/vnd.sqlite3", "parquet": "application/vnd.apache.parquet"
    ]

    /// The descriptor as ordered JSON values.
    public var descriptor: FieldValue {
        var package: [(key: String, value: FieldValue)] = [
            ("$schema", "https://datapackage.org/profiles/2.0/datapackage.json"),
            ("name", .text(DataPackage.slug(name)))
        ]
        if let title { package.append(("title", .text(title))) }
        if let description { package.append(("description", .text(description))) }
        if let version { package.append(("version", .text(version))) }
        if let homepage { package.append(("homepage", .text(homepage))) }
        if !keywords.isEmpty { package.append(("keywords", .list(keywords.map(FieldValue.text)))) }
        if let publisher {
            var who: [(key: String, value: FieldValue)] = [("title", .text(publisher.name))]
            if let email = publisher.email { who.append(("email", .text(email))) }
            if let url = publisher.url { who.append(("path", .text(url))) }
            who.append(("roles", .list(["publisher"])))
            package.append(("contributors", .list([.object(who)])))
        }
        if let created { package.append(("created", .text(created))) }
        if !licenses.isEmpty {
            package.append(
                (
                    "licenses",
                    .list(
                        licenses.map {
                            .object([("name", .text($0.name)), ("path", .text($0.path)), ("title", .text($0.title))])
                        })
                ))
        }
        if !sources.isEmpty {
            package.append(("sources", .list(sources.map { .object([("title", .text($0)), ("path", .text($0))]) })))
        }
        package.append(("resources", .list(entries.map(\.descriptor))))
        return .object(package)
    }

    /// Writes `datapackage.json` at `path`, atomically.
    public func write(to path: String, publication: Publication? = nil) throws {
        var bytes: [UInt8] = []
        JSONText.append(descriptor, to: &bytes)
        bytes.append(0x0A)
        var output = OutputBuffer(file: try OutputFile(path: path, publication: publication))
        try output.append(bytes)
        try output.commitFile()
    }

    /// Lowercase letters, digits, `-`, `_` and `.`, as the spec asks of names.
    static func slug(_ text: String) -> String {
        let mapped = text.lowercased().map { character -> Character in
            character.isASCII && (character.isLetter || character.isNumber || "-_.".contains(character))
                ? character : "-"
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
            if let description = fieldDescriptions[name] { field.append(("description", .text(description))) }
            fields.append(.object(field))
        }
        // A database is a file of the package, not one table (its tables are the other resources').
        let isTable = format != "sqlite"
        var resource: [(key: String, value: FieldValue)] = [("name", .text(DataPackage.slug(name)))]
        if isTable { resource.append(("type", "table")) }
        resource.append(("path", .text(path)))
        if let title { resource.append(("title", .text(title))) }
        resource += [
            ("format", .text(format)), ("mediatype", .text(DataPackage.mediaType(format)))
        ]
        if DataPackage.binaryMediaTypes[format] == nil { resource.append(("encoding", "utf-8")) }
        resource += [("bytes", .integer(Int64(bytes))), ("hash", .text("sha256:" + sha256))]
        if format == "csv" || format == "tsv" {
            resource.append(
                (
                    "dialect",
                    .object([
                        ("delimiter", .text(format == "csv" ? "," : "\t")),
                        ("lineTerminator", "\r\n"), ("header", .boolean(true))
                    ])
                ))
        }
        guard isTable else { return .object(resource) }
        var tableSchema: [(key: String, value: FieldValue)] = [("fields", .list(fields))]
        if !primaryKey.isEmpty { tableSchema.append(("primaryKey", .list(primaryKey.map(FieldValue.text)))) }
        if !foreignKeys.isEmpty { tableSchema.append(("foreignKeys", .list(foreignKeys))) }
        resource.append(("schema", .object(tableSchema)))
        return .object(resource)
    }
}
