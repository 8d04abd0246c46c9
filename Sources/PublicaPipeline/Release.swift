import PublicaCore

/// The order a release's resources run in: a resource another one joins or refers to (by a
/// foreign key) runs before it, so its records are there to look up.
enum Release {
    /// The resource a step reads, if it reads one.
    static func dependency(of step: any PipelineStep) -> String? {
        (step as? JoinStep)?.resource ?? (step as? ForeignKeyStep)?.resource
    }

    /// The resources' indices in a running order (the file's, where nothing forces another);
    /// nil when they depend on each other in a circle. Unknown names are ignored here (the
    /// loader reports them).
    static func order(_ resources: [Pipeline]) -> [Int]? {
        let names = resources.map(\.name)
        let needs = resources.map { resource in
            Set(resource.steps.compactMap(dependency).compactMap { names.firstIndex(of: $0) })
        }
        var done: [Int] = []
        while done.count < resources.count {
            guard let next = resources.indices.first(where: { !done.contains($0) && needs[$0].isSubset(of: done) })
            else { return nil }
            done.append(next)
        }
        return done
    }

    /// Whether some resource reads `name`, so its written records must be kept for it.
    static func isRead(_ name: String, in resources: [Pipeline]) -> Bool {
        resources.contains { $0.steps.contains { dependency(of: $0) == name } }
    }
}
