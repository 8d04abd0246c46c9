import PublicaCore
import PublicaIngest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Two versions of a data package (release folders with `datapackage.json`, or the descriptors
/// themselves) lined up by resource name: the resources in both, each compared by its schema's
/// `primaryKey` (or a key given for all), and those only one version has.
public struct PackageDiff {
    /// A resource in both versions.
    public struct Resource {
        /// The resource's name.
        public var name: String
        /// Its table in the old version.
        public var old: DiffTable
        /// Its table in the new version.
        public var new: DiffTable
        /// The key it is compared by.
        public var key: [String]
    }

    /// The resources in both versions, in the new package's order.
    public var resources: [Resource] = []
    /// Names of the resources only in the new version.
    public var resourcesAdded: [String] = []
    /// Names of the resources only in the old version.
    public var resourcesRemoved: [String] = []

    /// Reads both descriptors. `key` (when given) is every resource's key; otherwise each
    /// resource's `primaryKey` (from the new version's schema, else the old one's) is, and a
    /// resource in both without one is a usage error.
    public init(old: String, new: String, key: [String]? = nil) throws {
        let oldResources = try PackageDiff.read(old)
        let newResources = try PackageDiff.read(new)
        let oldNames = Set(oldResources.map(\.name))
        let newNames = Set(newResources.map(\.name))
        resourcesAdded = newResources.map(\.name).filter { !oldNames.contains($0) }
        resourcesRemoved = oldResources.map(\.name).filter { !newNames.contains($0) }
        var oldByName: [String: Entry] = [:]
        for entry in oldResources where oldByName[entry.name] == nil { oldByName[entry.name] = entry }
        for entry in newResources {
            guard let previous = oldByName[entry.name] else { continue }
            guard let resourceKey = key ?? entry.primaryKey ?? previous.primaryKey else {
                throw PublicaError(
                    .usage,
                    "resource '\(entry.name)' has no primaryKey in its schema; give the key to compare it by (--key)",
                    at: SourceLocation(file: PackageDiff.descriptorPath(new)))
            }
            resources.append(Resource(name: entry.name, old: previous.table, new: entry.table, key: resourceKey))
        }
    }

    /// Whether `path` is a data package: a folder with `datapackage.json`, or a `datapackage.json`.
    public static func isPackage(_ path: String) -> Bool {
        var info = stat()
        if path.hasSuffix("datapackage.json") { return true }
        return stat(path + "/datapackage.json", &info) == 0
    }

    /// The descriptor of the package at `path` (a folder, or the descriptor itself).
    public static func descriptorPath(_ path: String) -> String {
        if path.hasSuffix(".json") { return path }
        return (path.hasSuffix("/") ? path : path + "/") + "datapackage.json"
    }

    /// A resource of a descriptor, read enough to open and key it.
    private struct Entry {
        var name: String
        var table: DiffTable
        var primaryKey: [String]?
    }

    private static func read(_ path: String) throws -> [Entry] {
        let descriptorPath = descriptorPath(path)
        let descriptor = try JSONDocument.read(path: descriptorPath)
        let base = descriptorPath.lastIndex(of: "/").map { String(descriptorPath[...$0]) } ?? ""
        guard let resources = descriptor["resources"]?.items else {
            throw PublicaError(.data, "\"resources\" must be an array", at: SourceLocation(file: descriptorPath))
        }
        return try resources.enumerated().map { index, resource in
            let name = resource["name"]?.string ?? "resource\(index + 1)"
            guard let file = resource["path"]?.string else {
                throw PublicaError(
                    .data, "resource '\(name)' has no path", at: SourceLocation(file: descriptorPath))
            }
            var options = SourceOptions()
            options.delimiter = resource["dialect"]?["delimiter"]?.string?.utf8.first
            if let encoding = resource["encoding"]?.string.flatMap(TextEncoding.init(name:)) {
                options.encoding = encoding
            }
            var format = resource["format"]?.string?.lowercased()
            if format == "jsonl" { format = "ndjson" }
            let table = DiffTable(path: file.hasPrefix("/") ? file : base + file, format: format, options: options)
            return Entry(name: name, table: table, primaryKey: try primaryKey(of: resource, base: base))
        }
    }

    /// The schema's `primaryKey` (a name or a list of names; the schema inline or a file); nil without one.
    private static func primaryKey(of resource: FieldValue, base: String) throws -> [String]? {
        guard var schema = resource["schema"] else { return nil }
        if let file = schema.string { schema = try JSONDocument.read(path: file.hasPrefix("/") ? file : base + file) }
        if let name = schema["primaryKey"]?.string { return [name] }
        let names = schema["primaryKey"]?.items?.compactMap(\.string) ?? []
        return names.isEmpty ? nil : names
    }
}
