import PublicaCore

/// What changed between two versions of a data package: a ``DiffSummary`` per resource in both,
/// and the resources only one version has.
public struct PackageDiffSummary: Sendable, Hashable {
    /// One compared resource's summary.
    public struct ResourceSummary: Sendable, Hashable {
        /// The resource's name.
        public var name: String
        /// Its rows' changes.
        public var summary: DiffSummary
    }

    /// The resources in both versions, in the new package's order.
    public var resources: [ResourceSummary] = []
    /// Resources only in the new version.
    public var resourcesAdded: [String] = []
    /// Resources only in the old version.
    public var resourcesRemoved: [String] = []

    /// True when every shared resource is identical and no resource was added or removed.
    public var isIdentical: Bool {
        resourcesAdded.isEmpty && resourcesRemoved.isEmpty && resources.allSatisfy(\.summary.isIdentical)
    }

    /// As JSON: `resources` (`{"name": summary}`), `resourcesAdded`, `resourcesRemoved`, `identical`.
    public var descriptor: FieldValue {
        .object([
            ("resources", .object(resources.map { ($0.name, $0.summary.descriptor) })),
            ("resourcesAdded", .list(resourcesAdded.map(FieldValue.text))),
            ("resourcesRemoved", .list(resourcesRemoved.map(FieldValue.text))),
            ("identical", .boolean(isIdentical))
        ])
    }

    /// For people: each resource's summary under its name, then the resources added and removed.
    public var text: String {
        var text = resources.map { "resource \($0.name):\n" + $0.summary.text(indent: "  ") }.joined()
        if !resourcesAdded.isEmpty { text += "resources added: \(resourcesAdded.joined(separator: ", "))\n" }
        if !resourcesRemoved.isEmpty { text += "resources removed: \(resourcesRemoved.joined(separator: ", "))\n" }
        if resources.isEmpty && resourcesAdded.isEmpty && resourcesRemoved.isEmpty { text += "no resources\n" }
        return text
    }
}

extension PackageDiff {
    /// Compares each resource in both versions (see ``TableDiff``): its differing rows go to
    /// `difference` with the resource's name, resource by resource.
    public func compare(
        budget: MemoryBudget = MemoryBudget(), difference: (String, RowDifference) throws -> Void
    ) throws -> PackageDiffSummary {
        var summary = PackageDiffSummary(resourcesAdded: resourcesAdded, resourcesRemoved: resourcesRemoved)
        for resource in resources {
            var diff = TableDiff(key: resource.key, budget: budget)
            let counts = try diff.compare(old: resource.old, new: resource.new) { try difference(resource.name, $0) }
            summary.resources.append(PackageDiffSummary.ResourceSummary(name: resource.name, summary: counts))
        }
        return summary
    }

    /// The counts of a comparison of the packages at `old` and `new` (folders with
    /// `datapackage.json`, or descriptors), each resource by its `primaryKey` unless `key` is given:
    /// what changed since the last release, for a report.
    public static func summary(
        old: String, new: String, key: [String]? = nil, budget: MemoryBudget = MemoryBudget()
    ) throws -> PackageDiffSummary {
        try PackageDiff(old: old, new: new, key: key).compare(budget: budget) { _, _ in }
    }
}
