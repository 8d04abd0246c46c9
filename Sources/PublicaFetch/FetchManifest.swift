import Foundation
import PublicaCore

#if canImport(Glibc)
import Glibc
#endif

/// What a fetch saved, in `manifest.json` beside the responses: the request (secrets
/// redacted), how it was paged, and each response's file, URL, size and SHA-256. Nothing in it
/// changes when the service's answers do not, so an unchanged API is "nothing to do".
public struct FetchManifest: Codable, Sendable, Hashable {
    /// One saved response.
    public struct Page: Codable, Sendable, Hashable {
        /// The page number (1 for a single response).
        public var number: Int
        /// The file's name in the fetch folder.
        public var file: String
        /// The request, as it may be shown.
        public var url: String
        /// The response's size.
        public var bytes: Int
        /// The response's SHA-256, in lowercase hex.
        public var sha256: String
        /// A download's `ETag`, sent back as `If-None-Match` by the next run.
        public var etag: String?
        /// A download's `Last-Modified`, sent back as `If-Modified-Since` by the next run.
        public var lastModified: String?
    }

    /// The source's URL, as it may be shown.
    public var url: String
    /// The paging preset (`datagokr`, `none`).
    public var paging: String
    /// The pages' format: `xml` or `json` (a page that came back as XML, the gateway's error
    /// envelope, never reaches a manifest).
    public var format: String
    /// The number of records the service said it has (nil when it does not say).
    public var totalCount: Int?
    /// The responses, in page order.
    public var pages: [Page]

    /// The manifest's file name in a fetch folder.
    public static let fileName = "manifest.json"
    /// The manifest of a fetch that failed: the pages saved in order before it did.
    public static let partialName = "partial.json"

    /// Reads the manifest of the fetch folder `folder`.
    public static func read(folder: String, name: String = fileName) throws -> FetchManifest {
        let path = folder + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PublicaError(
                .io, "no fetch manifest (was it fetched, or kept with keep_raw?)", at: SourceLocation(file: path))
        }
        let manifest: FetchManifest
        do {
            manifest = try JSONDecoder().decode(FetchManifest.self, from: data)
        } catch {
            throw PublicaError(.data, "not a fetch manifest: \(error)", at: SourceLocation(file: path))
        }
        // A kept folder may come from anywhere (`--replay`): its pages are names in it, nothing else.
        if let bad = manifest.pages.first(where: { !FetchManifest.isPlainName($0.file) }) {
            throw PublicaError(
                .data, "page \(bad.number)'s file '\(bad.file)' is not a name in the folder",
                at: SourceLocation(file: path))
        }
        return manifest
    }

    private static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && name != fileName && name != partialName
    }

    /// Puts the fetch folder `folder`'s manifest and the pages it lists (nothing else) into the new
    /// folder `target`: hard links when `linking` (a run's own fetch folder, on the same file
    /// system), copies otherwise (a folder kept by an earlier run, which its owner may change).
    public static func keep(folder: String, in target: String, linking: Bool) throws -> FetchManifest {
        let manifest = try read(folder: folder)
        for name in manifest.pages.map(\.file) + [fileName] {
            let from = folder + "/" + name
            let to = target + "/" + name
            if linking && link(from, to) == 0 {
                try SavedFile.sync(to)
                continue
            }
            try SavedFile.copy(from, to: to)
        }
        return manifest
    }

    /// Writes the manifest into `folder` (keys sorted, so equal fetches give equal bytes).
    func write(folder: String, name: String = fileName) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try SavedFile.write(Array(try encoder.encode(self)) + [0x0A], to: folder + "/" + name)
    }
}
