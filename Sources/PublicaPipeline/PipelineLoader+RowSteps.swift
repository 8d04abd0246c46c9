import PublicaCore
import Yams

extension PipelineLoader {
    /// `unpivot:` (not built yet).
    func unpivotStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        collector.error(body, "the unpivot step is not available yet")
        return nil
    }

    /// `split:` (not built yet).
    func splitStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        collector.error(body, "the split step is not available yet")
        return nil
    }

    /// `explode:` (not built yet).
    func explodeStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        collector.error(body, "the explode step is not available yet")
        return nil
    }

    /// `replace:` (not built yet).
    func replaceStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        collector.error(body, "the replace step is not available yet")
        return nil
    }

    /// `map:` (not built yet).
    func mapStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        collector.error(body, "the map step is not available yet")
        return nil
    }

    /// `trim:` (not built yet).
    func trimStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        collector.error(body, "the trim step is not available yet")
        return nil
    }

    /// `fillDown:` (not built yet).
    func fillDownStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        collector.error(body, "the fill_down step is not available yet")
        return nil
    }

    /// `slice:` (not built yet).
    func sliceStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        collector.error(body, "the slice step is not available yet")
        return nil
    }
}
