import PublicaCore
import Yams

extension PipelineLoader {
    /// `sort: {by: [F, -G]}` or `{by: F}`; a leading `-` sorts that field descending.
    func sortStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        guard let options = mapping(body, "sort", collector) else { return nil }
        checkKeys(options, known: ["by"], where: "sort", collector)
        guard let byNode = value(options, "by") else {
            collector.error(body, "sort takes {by: [fields]} (a leading '-' for descending)")
            return nil
        }
        guard let names = scalar(byNode).map({ [$0] }) ?? scalars(byNode, "sort by", collector) else { return nil }
        guard !names.isEmpty else {
            collector.error(byNode, "sort by needs at least one field")
            return nil
        }
        var keys: [SortStep.Key] = []
        for name in names {
            let descending = name.hasPrefix("-")
            let field = descending ? String(name.dropFirst()) : name
            guard !field.isEmpty else {
                collector.error(byNode, "sort by: '\(name)' names no field")
                return nil
            }
            keys.append(SortStep.Key(field: field, descending: descending))
        }
        return SortStep(keys: keys)
    }

    /// `aggregate:` (not built yet).
    func aggregateStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        collector.error(body, "the aggregate step is not available yet")
        return nil
    }

    /// `pivot:` (not built yet).
    func pivotStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        collector.error(body, "the pivot step is not available yet")
        return nil
    }
}
