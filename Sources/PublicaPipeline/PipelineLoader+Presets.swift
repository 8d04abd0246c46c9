import PublicaCore
import PublicaFetch
import Yams

/// What each paging preset takes in a pipeline file (README, "Remote sources").
extension PipelineLoader {
    /// The formats a preset's responses may be read in, its default first.
    static func formats(_ paging: RemoteSource.Paging) -> [RemoteSource.Format] {
        switch paging {
        case .none: RemoteSource.Format.allCases
        case .datagokr: [.xml, .json]
        case .seoul: [.json, .xml]
        case .odcloud, .kosis: [.json]
        }
    }

    /// The parameters of the Seoul Open Data preset: every value is a path segment.
    static let seoulParameters = ["key", "service", "rows", "args"]

    /// Parameters a preset needs or refuses: Seoul's `key`, `service` and at most 1000 `rows`
    /// (more is ERROR-336), nothing else; odcloud's page size; the page numbers are the preset's.
    func checkPresetParameters(_ remote: RemoteSource, _ node: Node, _ collector: Collector) {
        let names = remote.parameters.map(\.name)
        switch remote.paging {
        case .seoul:
            for name in names where !PipelineLoader.seoulParameters.contains(name) {
                collector.error(
                    node,
                    "paging seoul takes params \(PipelineLoader.seoulParameters.joined(separator: ", ")), not '\(name)' "
                        + "(the service's own arguments go in args, in order: args: \"2024/강남구\")")
            }
            for name in ["key", "service"] where !names.contains(name) {
                collector.error(node, "paging seoul needs params.\(name)")
            }
            if let rows = remote.parameters.first(where: { $0.name == "rows" })?.value,
                !(Int(rows).map { (1...1000).contains($0) } ?? false)
            {
                collector.error(node, "params.rows of paging seoul is 1 to 1000 (rows a request), not '\(rows)'")
            }
        case .odcloud:
            if let size = remote.parameters.first(where: { $0.name == "perPage" })?.value, (Int(size) ?? 0) < 1 {
                collector.error(node, "params.perPage of paging odcloud is a number of rows, not '\(size)'")
            }
            if names.contains("page") { collector.error(node, "paging odcloud sets page itself: remove params.page") }
        case .datagokr, .kosis, .none: break
        }
    }
}
