import PublicaCore
import PublicaExport

/// Datasette's `metadata.json` for the databases of a release: the release's title, licence,
/// source and description, and per table its title, description, column descriptions and
/// full-text index (`fts_table`, searched by rowid), so that `datasette serve DB --metadata
/// metadata.json` shows them and its search box uses the Korean-aware index.
public struct DatasetteMetadata {
    /// The name a run publishes it under, beside the databases.
    public static let fileName = "metadata.json"

    /// The release the databases belong to (title, description, licences, publisher, homepage).
    public var package: DataPackage
    /// Each database (its file name) with the tables in it.
    public var databases: [(file: String, tables: [TableDescription])]

    /// Metadata for `databases` of `package`.
    public init(package: DataPackage, databases: [(file: String, tables: [TableDescription])]) {
        self.package = package
        self.databases = databases
    }

    /// The metadata as JSON values, in Datasette's shape.
    public var document: FieldValue {
        var pairs: [(key: String, value: FieldValue)] = [("title", .text(package.title ?? package.name))]
        if let description = package.description { pairs.append(("description", .text(description))) }
        if let license = package.licenses.first {
            pairs.append(("license", .text(license.title)))
            if !license.path.isEmpty { pairs.append(("license_url", .text(license.path))) }
        }
        if let publisher = package.publisher {
            pairs.append(("source", .text(publisher.name)))
            if let url = publisher.url ?? package.homepage { pairs.append(("source_url", .text(url))) }
        } else if let homepage = package.homepage {
            pairs.append(("source_url", .text(homepage)))
        }
        let entries = databases.map { database in
            (
                key: DatasetteMetadata.databaseName(database.file),
                value: FieldValue.object([("tables", .object(database.tables.map { ($0.name, table($0)) }))])
            )
        }
        pairs.append(("databases", .object(entries)))
        return .object(pairs)
    }

    /// Datasette names a database after its file, without the extension.
    static func databaseName(_ file: String) -> String {
        let name = file.split(separator: "/").last.map(String.init) ?? file
        return name.lastIndex(of: ".").map { String(name[..<$0]) } ?? name
    }

    private func table(_ table: TableDescription) -> FieldValue {
        var pairs: [(key: String, value: FieldValue)] = []
        if let title = table.title { pairs.append(("title", .text(title))) }
        if let description = table.description { pairs.append(("description", .text(description))) }
        let columns = table.fields.compactMap { field in
            (field.description ?? field.title).map { (key: field.name, value: FieldValue.text($0)) }
        }
        if !columns.isEmpty { pairs.append(("columns", .object(columns))) }
        if !table.searchFields.isEmpty {
            pairs.append(("fts_table", .text(table.name + "_fts")))
            pairs.append(("fts_pk", "rowid"))
        }
        return .object(pairs)
    }
}
