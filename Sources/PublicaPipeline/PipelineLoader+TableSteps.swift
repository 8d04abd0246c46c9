import PublicaCore
import Yams

extension PipelineLoader {
    /// `sort:` (not built yet).
    func sortStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        collector.error(body, "the sort step is not available yet")
        return nil
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
