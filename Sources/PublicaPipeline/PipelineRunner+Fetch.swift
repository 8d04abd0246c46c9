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
    ///
    /// A download the last published run fetched is asked for only if it changed (its `ETag`
    /// and `Last-Modified` sent back) when `previous` is given; one that has not (HTTP 304) is
    /// not fetched, its source left pointing at its URL and named in ``unchangedDownloads``.
    func fetchRemoteSources(previous: FieldValue?) throws -> String? {
        guard hasRemoteSources else { return nil }
        if let replay = options.replay {
            try replayRemoteSources(from: replay)
            return nil
        }
        let folder = parent + "/.\(baseName).publica-fetch-\(getpid())"
        removeTree(folder)
        guard mkdir(folder, 0o700) == 0 else {
            throw PublicaError.system(errno, "cannot create the fetch folder", path: folder)
        }
        // A dry run neither uses nor leaves kept pages.
        resumable = options.resume && !options.dryRun ? resumableFolder() : nil
        do {
            try fetchSources(into: folder, lastDownloads: PipelineRunner.downloads(in: previous))
        } catch let error as PublicaError {
            if options.dryRun {
                removeTree(folder)
            } else if error.kind == .data {
                // Paging found broken or changed: the next run fetches again from the start.
                removeTree(folder)
                removeTree(resumeFolder)
            } else {
                keepForResume(folder)
            }
            throw error
        } catch {
            removeTree(folder)
            throw error
        }
        if !options.dryRun { removeTree(resumeFolder) }
        return folder
    }

    /// Fetches the downloads that were not fetched because they had not changed: the run has
    /// something to do after all (the pipeline or another input changed), and needs them.
    func fetchUnchangedDownloads(into folder: String) throws {
        guard !unchangedDownloads.isEmpty else { return }
        unchangedDownloads = []
        try fetchSources(into: folder, lastDownloads: [:])
    }

    private func fetchSources(into folder: String, lastDownloads: [String: LastDownload]) throws {
        var fetched: [String: String] = [:]
        let fetch = { (source: Pipeline.Source) throws -> Pipeline.Source in
            try self.fetch(source, into: folder, &fetched, lastDownloads: lastDownloads)
        }
        pipeline.sources = try pipeline.sources.map(fetch)
        for index in pipeline.resources.indices {
            pipeline.resources[index].sources = try pipeline.resources[index].sources.map(fetch)
        }
    }

    /// The downloads (`paging: none`) the state `previous` lists, by URL, with what their
    /// responses said of their version.
    private static func downloads(in previous: FieldValue?) -> [String: LastDownload] {
        var downloads: [String: LastDownload] = [:]
        for file in previous?["files"]?.items ?? [] {
            guard let url = file["path"]?.string, file["etag"] != nil || file["lastModified"] != nil else { continue }
            downloads[url] = (file["etag"]?.string, file["lastModified"]?.string)
        }
        return downloads
    }

    /// What a download's last response said of its version.
    typealias LastDownload = (etag: String?, lastModified: String?)

    var hasRemoteSources: Bool { pipeline.sources.contains { $0.remote != nil } }

    /// The folder under `raw/` each remote source's responses are kept in (`keep_raw: true`),
    /// by the request it makes (its URL as shown): the source's name made one plain file name,
    /// with `-2`, `-3`… when another request took it (two sources of one resource share its name).
    func rawFolders() -> [String: String] {
        var folders: [String: String] = [:]
        var taken = Set<String>()
        for source in pipeline.sources + pipeline.resources.flatMap(\.sources) {
            guard let remote = source.remote else { continue }
            let url = RequestURL(remote).shown
            guard folders[url] == nil else { continue }
            let plain = source.name.replacingOccurrences(of: "/", with: "_")
            let base = plain.hasPrefix(".") || plain.isEmpty ? "_" + plain : plain
            var name = base
            var suffix = 2
            while !taken.insert(name).inserted {
                name = base + "-\(suffix)"
                suffix += 1
            }
            folders[url] = "raw/" + name
        }
        return folders
    }

    /// `--replay DIR`: every remote source reads the responses an earlier run kept (`DIR` is its
    /// output folder, or the `raw/` folder in it), which must answer the request this pipeline makes.
    private func replayRemoteSources(from folder: String) throws {
        let folders = rawFolders()
        func replayed(_ source: Pipeline.Source) throws -> Pipeline.Source {
            guard let remote = source.remote, let kept = folders[RequestURL(remote).shown] else { return source }
            let candidates = [folder + "/" + kept, folder + "/" + String(kept.dropFirst("raw/".count))]
            guard let found = candidates.first(where: { OutputFolder.isKind(of: "/", at: $0) }) else {
                throw PublicaError(
                    .usage,
                    "no kept responses for source '\(source.name)' in \(folder) (\(kept)/): was it run with keep_raw: true?"
                )
            }
            let manifest = try FetchManifest.read(folder: found)
            // What an earlier run kept is read as it was written: regular files, never a link or a FIFO.
            for name in manifest.pages.map(\.file) + [FetchManifest.fileName]
            where !OutputFolder.isKind(of: name, at: found + "/" + name) {
                throw PublicaError(
                    .data, "not a regular file as a kept response is", at: SourceLocation(file: found + "/" + name))
            }
            guard manifest.url == RequestURL(remote).shown else {
                throw PublicaError(
                    .usage,
                    "the responses kept in \(found) answer \(manifest.url), not this pipeline's request "
                        + RequestURL(remote).shown)
            }
            var source = source
            source.path = found
            return source
        }
        pipeline.sources = try pipeline.sources.map(replayed)
        for index in pipeline.resources.indices {
            pipeline.resources[index].sources = try pipeline.resources[index].sources.map(replayed)
        }
    }

    /// With `keep_raw: true`, a remote source's manifest and responses go into the staging
    /// folder's `raw/<source>/`, to be published with the outputs (and read by `--replay`).
    func keepRawResponses(in staging: String) throws {
        let kept = (pipeline.sources + pipeline.resources.flatMap(\.sources)).filter { $0.remote?.keepRaw == true }
        let folders = rawFolders()
        var done = Set<String>()
        for source in kept {
            guard let remote = source.remote, let folder = folders[RequestURL(remote).shown],
                done.insert(folder).inserted
            else { continue }
            let target = staging + "/" + folder
            for folder in [staging + "/raw", target] where mkdir(folder, 0o755) != 0 && errno != EEXIST {
                throw PublicaError.system(errno, "cannot create the folder of kept responses", path: folder)
            }
            _ = try FetchManifest.keep(folder: source.path, in: target, linking: options.replay == nil)
        }
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
        _ source: Pipeline.Source, into folder: String, _ fetched: inout [String: String],
        lastDownloads: [String: LastDownload]
    ) throws -> Pipeline.Source {
        guard let remote = source.remote, source.path == RequestURL(remote).shown else { return source }
        var source = source
        let shown = source.path
        if let done = fetched[shown] {
            source.path = done
            return source
        }
        let own = folder + "/" + String(OutputFolder.entries(of: folder).count + 1)
        guard mkdir(own, 0o700) == 0 else {
            throw PublicaError.system(errno, "cannot create the fetch folder", path: own)
        }
        var fetcher = Fetcher(source: remote, name: source.name)
        let log = options.log
        fetcher.note = { log.info($0, []) }
        if let kept = resumable, let (saved, complete) = resumedFetch(of: shown, from: kept, into: own) {
            if !complete { _ = try fetcher.fetch(into: own, resuming: saved) }
        } else if remote.paging == .none, let last = lastDownloads[shown] {
            guard try fetcher.fetchDownload(into: own, etag: last.etag, lastModified: last.lastModified) != nil else {
                rmdir(own)
                unchangedDownloads.insert(shown)
                fetched[shown] = shown  // asked once: another source of the same URL is unchanged too
                return source
            }
        } else {
            _ = try fetcher.fetch(into: own)
        }
        fetched[shown] = own
        source.path = own
        return source
    }
}
