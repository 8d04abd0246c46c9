import PublicaCore

/// How the two tables' columns line up: the key's position on each side, the columns they share
/// (by name, in the old table's order) and those only one of them has.
struct DiffColumns {
    let oldNames: [String]
    let newNames: [String]
    let oldKey: [Int]
    let newKey: [Int]
    /// Each shared column: its name and its position on each side.
    let shared: [(name: String, old: Int, new: Int)]
    let added: [String]
    let removed: [String]

    /// Lines up `old` and `new`; a key field missing from a side is a usage error naming the
    /// fields that side has.
    init(key: [String], old: RecordSchema, new: RecordSchema, oldPath: String, newPath: String) throws {
        oldNames = old.fieldNames
        newNames = new.fieldNames
        oldKey = try DiffColumns.positions(of: key, in: oldNames, side: "OLD", path: oldPath)
        newKey = try DiffColumns.positions(of: key, in: newNames, side: "NEW", path: newPath)
        var newPosition: [String: Int] = [:]
        for (index, name) in newNames.enumerated() { newPosition[name] = index }
        let oldSet = Set(oldNames)
        shared = oldNames.enumerated().compactMap { index, name in newPosition[name].map { (name, index, $0) } }
        added = newNames.filter { !oldSet.contains($0) }
        removed = oldNames.filter { newPosition[$0] == nil }
    }

    private static func positions(of key: [String], in names: [String], side: String, path: String) throws -> [Int] {
        var position: [String: Int] = [:]
        for (index, name) in names.enumerated() where position[name] == nil { position[name] = index }
        return try key.map { field in
            guard let index = position[field] else {
                let hint = suggestion(for: field, among: names).map { "; did you mean '\($0)'?" } ?? ""
                throw PublicaError(
                    .usage,
                    "key field '\(field)' is not a column of \(side) \(path) (its columns: "
                        + "\(names.joined(separator: ", ")))\(hint)")
            }
            return index
        }
    }
}
