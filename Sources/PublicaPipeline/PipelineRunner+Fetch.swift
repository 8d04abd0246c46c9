import Foundation
import PublicaCore
import PublicaFetch

#if canImport(Glibc)
import Glibc
#endif

extension PipelineRunner {
    /// Fetches every remote source (`url:`) into a folder of this run's own beside the output
    /// folder, before anything is compared or read, and points the sources there; the folder's
    /// path, for the caller to remove when the run ends (a killed run's is removed by the next).
    /// Nil when the pipeline has no remote source.
    func fetchRemoteSources() throws -> String? {
        guard pipeline.sources.contains(where: { $0.remote != nil }) else { return nil }
        let folder = parent + "/.\(baseName).publica-fetch-\(getpid())"
        removeTree(folder)
        guard mkdir(folder, 0o700) == 0 else {
            throw PublicaError.system(errno, "cannot create the fetch folder", path: folder)
        }
        do {
            var fetched: [String: String] = [:]
            pipeline.sources = try pipeline.sources.map { try fetch($0, into: folder, &fetched) }
            for index in pipeline.resources.indices {
                pipeline.resources[index].sources = try pipeline.resources[index].sources.map {
                    try fetch($0, into: folder, &fetched)
                }
            }
        } catch {
            removeTree(folder)
            throw error
        }
        return folder
    }

    /// True when every source is remote and every service answered that it has no data (03,
    /// `totalCount` 0): an empty result, not an error, and no reason to replace what was published.
    var onlyEmptyResults: Bool {
        pipeline.sources.allSatisfy { source in
            guard source.remote != nil, let manifest = try? FetchManifest.read(folder: source.path) else {
                return false
            }
            return manifest.pages.isEmpty || manifest.totalCount == 0
        }
    }

    /// The source, fetched into a folder of its own under `folder` if it is remote. A release's
    /// sources are those of its resources: each is fetched once, its path shared.
    private func fetch(
        _ source: Pipeline.Source, into folder: String, _ fetched: inout [String: String]
    ) throws -> Pipeline.Source {
        guard let remote = source.remote else { return source }
        var source = source
        let shown = RequestURL(remote).shown
        if let done = fetched[shown] {
            source.path = done
            return source
        }
        let own = folder + "/" + String(fetched.count + 1)
        guard mkdir(own, 0o700) == 0 else {
            throw PublicaError.system(errno, "cannot create the fetch folder", path: own)
        }
        var fetcher = Fetcher(source: remote, name: source.name)
        let log = options.log
        fetcher.note = { log.info($0, []) }
        _ = try fetcher.fetch(into: own)
        fetched[shown] = own
        source.path = own
        return source
    }
}
