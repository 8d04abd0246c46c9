import Foundation
import PublicaCore

#if canImport(Glibc)
import Glibc
#endif

/// Fetches a remote source's responses into a folder of its own: one file per page, then
/// `manifest.json`. Pages follow `totalCount`; a transient failure is tried again with backoff;
/// a result code becomes its action (``ResultAction``); anything that would lose a page stops
/// the fetch with the page named. Nothing a fetch writes or says holds a secret.
public struct Fetcher {
    /// The source fetched.
    public let source: RemoteSource
    /// The source's name in the pipeline, for messages.
    public let name: String
    /// Told each page fetched and each attempt that failed (lines for the run's log).
    public var note: (String) -> Void = { _ in }
    let client: HTTPClient
    let pacer: Pacer

    /// A fetcher for `source`, named `name` in messages.
    public init(source: RemoteSource, name: String) {
        self.source = source
        self.name = name
        client = HTTPClient(timeout: source.timeout)
        pacer = Pacer(rate: source.rate)
    }

    /// The most pages one source may have: past it the paging is taken to be broken.
    public static let maxPages = 1_000_000

    /// Fetches every page into `folder` (which must exist and be the caller's own), writes the
    /// manifest and returns it.
    ///
    /// With `partial` (the pages an earlier fetch of the same request saved in `folder` before it
    /// failed), the fetch goes on after its last page. If this fetch fails, the pages it has
    /// saved in order are listed in `partial.json` for the next one to go on from.
    public func fetch(into folder: String, resuming partial: FetchManifest? = nil) throws -> FetchManifest {
        var manifest = FetchManifest(
            url: RequestURL(source).shown, paging: source.paging.rawValue, format: source.format.rawValue,
            totalCount: nil, pages: [])
        switch source.paging {
        case .none:
            let url = RequestURL(source)
            let (response, _) = try fetchPage(url, number: 1, into: folder, inspect: false)
            manifest.pages.append(response)
        case .datagokr, .odcloud, .seoul, .kosis:
            do {
                try fetchPages(into: folder, &manifest, resuming: partial)
            } catch {
                if !manifest.pages.isEmpty { try? manifest.write(folder: folder, name: FetchManifest.partialName) }
                throw error
            }
        }
        try manifest.write(folder: folder)
        unlink(folder + "/" + FetchManifest.partialName)
        return manifest
    }

    /// Fetches a download (`paging: none`) into `folder` unless it is unchanged since the
    /// response that gave `etag` and `lastModified` (sent as `If-None-Match` and
    /// `If-Modified-Since`): nil when the server answers 304 Not Modified, and nothing is saved.
    public func fetchDownload(into folder: String, etag: String?, lastModified: String?) throws -> FetchManifest? {
        var headers: [String: String] = [:]
        if let etag { headers["If-None-Match"] = etag }
        if let lastModified { headers["If-Modified-Since"] = lastModified }
        let url = RequestURL(source)
        do {
            let (page, _) = try fetchPage(url, number: 1, into: folder, inspect: false, headers: headers)
            let manifest = FetchManifest(
                url: url.shown, paging: source.paging.rawValue, format: source.format.rawValue, totalCount: nil,
                pages: [page])
            try manifest.write(folder: folder)
            return manifest
        } catch is NotModified {
            note("\(name): unchanged since the last run (HTTP 304): not downloaded")
            return nil
        }
    }

    /// The one paging walk of every preset: page 1, then as many pages as its total needs
    /// (``RemoteSource/concurrency`` at a time past the first, checked and listed in page order).
    private func fetchPages(into folder: String, _ manifest: inout FetchManifest, resuming partial: FetchManifest?)
        throws
    {
        guard let preset = source.preset else { return }
        var number = 1
        var pageCount = 1
        var ahead: [Int: Fetched] = [:]
        // A concurrent window's failure, thrown once the pages before it are checked and listed.
        var pending: Error?
        if let partial, partial.url == manifest.url, let first = partial.pages.first, preset.paged {
            let path = folder + "/" + first.file
            let body = Array(FileManager.default.contents(atPath: path) ?? Data())
            let status = try preset.envelope(body, status: 200, savedAt: path)
            manifest.pages = partial.pages
            manifest.totalCount = status.totalCount
            pageCount = try pages(status, preset: preset, at: preset.url(page: 1)) ?? 1
            number = partial.pages.count + 1
            note("\(name): going on after page \(partial.pages.count) of \(pageCount), saved earlier today")
        }
        while number <= pageCount {
            let url = preset.url(page: number)
            if ahead[number] == nil, let pending { throw pending }
            let (page, status) =
                try ahead.removeValue(forKey: number) ?? fetchPage(url, number: number, into: folder, inspect: true)
            guard let status else { break }  // An empty result (03, INFO-200, err 30).
            try checkSequence(status, page: page, number: number, url: url, &manifest)
            manifest.pages.append(page)
            if number == 1 {
                manifest.totalCount = status.totalCount
                guard let count = try pages(status, preset: preset, at: url) else { break }
                pageCount = count
            }
            // A window of pages in flight at a time, so a broken paging found in order wastes
            // at most one window's requests.
            if source.concurrency > 1, pageCount > number + 1, ahead.isEmpty, pending == nil {
                let window = (number + 1)...min(pageCount, number + source.concurrency * 4)
                let (pages, failure) = fetchConcurrently(window, preset: preset, into: folder)
                ahead = Dictionary(uniqueKeysWithValues: zip(window, pages))
                pending = failure
            }
            note("\(name): page \(number) of \(max(pageCount, 1)) fetched (\(page.bytes) bytes)")
            number += 1
        }
    }

    /// The pages the first page's total makes; nil when the service is not paged or gives none.
    private func pages(_ status: PageEnvelope, preset: any PagingPreset, at url: RequestURL) throws -> Int? {
        let rows = status.rows ?? preset.rowsPerPage
        guard preset.paged, let total = status.totalCount, rows > 0 else { return nil }
        let count = (total + rows - 1) / rows
        guard count <= Fetcher.maxPages else {
            throw PublicaError(
                .data, "a total of \(total) at \(rows) rows a page is more than \(Fetcher.maxPages) pages",
                at: SourceLocation(file: url.shown))
        }
        return count
    }

    /// A page that answers as another page, repeats the previous one, or changes the total
    /// would lose or double records: the fetch stops.
    private func checkSequence(
        _ status: PageEnvelope, page: FetchManifest.Page, number: Int, url: RequestURL, _ manifest: inout FetchManifest
    ) throws {
        let place = SourceLocation(file: url.shown)
        if let answered = status.pageNo, answered != number {
            throw PublicaError(
                .data, "page \(number) was answered as page \(answered): the paging is broken", at: place)
        }
        if let previous = manifest.pages.last, previous.sha256 == page.sha256 {
            throw PublicaError(
                .data, "page \(number) is the same as page \(previous.number): the service repeats pages", at: place)
        }
        if number > 1, let first = manifest.totalCount, let now = status.totalCount, first != now {
            throw PublicaError(
                .data,
                "totalCount changed from \(first) to \(now) while paging (the data changed during the fetch): run again",
                at: place)
        }
    }
}
