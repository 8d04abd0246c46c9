/// What a resource does when a source's columns differ from those of the last published run
/// (`on_schema_change:`).
public enum SchemaChangePolicy: String, Sendable, Hashable {
    /// Stop with a data error at the source (exit 65); nothing is published.
    case fail
    /// Go on with the new columns; the log says what changed.
    case evolve
    /// Do not compare.
    case ignore
}

/// How a source's columns changed since the last published run.
public enum SchemaDrift {
    /// The change from `old` to `new` in words (added, removed, renamed, reordered), or nil when
    /// they are the same. A column gone where a new one appeared at the same position counts as
    /// renamed.
    public static func describe(from old: [String], to new: [String]) -> String? {
        guard old != new else { return nil }
        let added = new.filter { !old.contains($0) }
        let removed = old.filter { !new.contains($0) }
        var renamed: [(String, String)] = []
        for name in removed {
            if let position = old.firstIndex(of: name), position < new.count, added.contains(new[position]) {
                renamed.append((name, new[position]))
            }
        }
        let renamedFrom = Set(renamed.map(\.0))
        let renamedTo = Set(renamed.map(\.1))
        var parts: [String] = []
        let addedOnly = added.filter { !renamedTo.contains($0) }
        let removedOnly = removed.filter { !renamedFrom.contains($0) }
        if !addedOnly.isEmpty { parts.append("added " + quoted(addedOnly)) }
        if !removedOnly.isEmpty { parts.append("removed " + quoted(removedOnly)) }
        if !renamed.isEmpty {
            parts.append("renamed " + renamed.map { "'\($0.0)' to '\($0.1)'" }.joined(separator: ", "))
        }
        if parts.isEmpty { parts.append("reordered (\(quoted(old)) became \(quoted(new)))") }
        return parts.joined(separator: "; ")
    }

    private static func quoted(_ names: [String]) -> String {
        names.map { "'\($0)'" }.joined(separator: ", ")
    }
}
