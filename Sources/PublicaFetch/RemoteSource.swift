import PublicaCore

/// A source fetched over HTTP(S) (`url:` in a pipeline file): the request, how its pages are
/// walked, and how hard to try.
public struct RemoteSource: Sendable {
    /// How a service's pages are asked for and counted.
    public enum Paging: String, Sendable, Hashable, CaseIterable {
        /// data.go.kr: `pageNo` / `numOfRows`, `totalCount` in the body, its result codes.
        case datagokr
        /// odcloud file-data APIs (`api.odcloud.kr`): `page` / `perPage`, `matchCount` (or
        /// `totalCount`) in the JSON, records under `data`.
        case odcloud
        /// Seoul Open Data (`openapi.seoul.go.kr:8088`): `/{KEY}/{TYPE}/{SERVICE}/{START}/{END}/`,
        /// at most 1000 rows a request, `list_total_count`, `RESULT.CODE`.
        case seoul
        /// KOSIS `statisticsParameterData.do`: one request, a JSON array of rows or `err`/`errMsg`.
        case kosis
        /// One request, the response saved as it is (a file download).
        case none
    }

    /// The response's format: how a page is read (a paged service's pages are XML or JSON; a
    /// file download may be any format Publica reads).
    public enum Format: String, Sendable, Hashable, CaseIterable {
        case xml, json, csv, tsv, ndjson, xlsx
    }

    /// The URL without the query (the parameters are ``parameters``).
    public var url: String
    /// Query parameters in order, as given (values already expanded from the environment).
    public var parameters: [(name: String, value: String)]
    /// How pages are asked for and counted.
    public var paging: Paging
    /// The format the responses are read in.
    public var format: Format
    /// Attempts per request (the first included) before a transient failure stops the run.
    public var attempts = 5
    /// The first wait between attempts, doubled each time up to ``maxBackoff``, with jitter.
    public var backoff = 1.0
    /// The longest wait between attempts, in seconds.
    public var maxBackoff = 60.0
    /// Seconds a request may take (connecting, waiting, receiving).
    public var timeout = 30.0
    /// Requests a second at most; nil for no limit.
    public var rate: Double?
    /// Pages fetched at once (written in page order whatever order they arrive in).
    public var concurrency = 1
    /// The most bytes one response may have.
    public var maxBytes = 256 << 20
    /// Keep every response beside the outputs (`raw/`), for `--replay`.
    public var keepRaw = false

    /// A request for `url` with `parameters`, walked as `paging` says.
    public init(url: String, parameters: [(name: String, value: String)], paging: Paging, format: Format) {
        self.url = url
        self.parameters = parameters
        self.paging = paging
        self.format = format
    }

    /// Parameters whose values are secrets (a service key, a token), by name: never written
    /// anywhere, redacted as `***`.
    public static func isSecret(_ name: String) -> Bool {
        let lower = name.lowercased()
        return ["key", "token", "secret", "password", "auth"].contains { lower.contains($0) }
    }

    /// The secret values, for scrubbing text that might quote them (a library's error message).
    public var secrets: [String] {
        parameters.filter { RemoteSource.isSecret($0.name) && !$0.value.isEmpty }.map(\.value)
    }
}
