import PublicaCore
import Yams

extension PipelineLoader {
    /// `join:` (not built yet).
    func joinStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        collector.error(body, "the join step is not available yet")
        return nil
    }
}
