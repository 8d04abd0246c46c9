import PublicaCore

/// What one response of a paged service says about itself, whatever the service: its result
/// code (and what the code means for the run), its paging numbers.
public struct PageEnvelope: Sendable, Hashable {
    /// The result code as written (nil when the response has none: success).
    public var code: String?
    /// The service's message for the code (may quote the request: scrub it before showing it).
    public var message: String
    /// The code as messages name it, e.g. `data.go.kr resultCode 22`, `Seoul RESULT.CODE ERROR-337`.
    public var label: String
    /// What the code means for the run.
    public var action: ResultAction
    /// The records the service says it has, in all pages.
    public var totalCount: Int?
    /// The page the response says it is.
    public var pageNo: Int?
    /// The records a page holds, as the response says.
    public var rows: Int?

    /// An envelope without paging numbers.
    public init(code: String?, message: String, label: String, action: ResultAction) {
        self.code = code
        self.message = message
        self.label = label
        self.action = action
    }
}

/// How one service's pages are asked for and read: the one paging walk of ``Fetcher`` asks the
/// preset for page N's URL, reads each response's envelope through it, and follows its total.
protocol PagingPreset: Sendable {
    /// False for a service answered in one request (KOSIS): its total is not followed.
    var paged: Bool { get }
    /// The records a page asks for (when the envelope does not say).
    var rowsPerPage: Int { get }
    /// The request for page `number` (1-based).
    func url(page number: Int) -> RequestURL
    /// The envelope of a response with HTTP status `status`, its body saved at `path`.
    func envelope(_ body: [UInt8], status: Int, savedAt path: String) throws -> PageEnvelope
}

extension RemoteSource {
    /// The preset that walks this source's pages; nil for a download (`paging: none`).
    var preset: (any PagingPreset)? {
        switch paging {
        case .datagokr: DataGoKrPreset(source: self)
        case .odcloud: OdcloudPreset(source: self)
        case .seoul: SeoulPreset(source: self)
        case .kosis: KosisPreset(source: self)
        case .none: nil
        }
    }

    /// The value of the parameter `name`, if given.
    func parameter(_ name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }

    /// This source with its parameter `name` (the page's, set by the walk) removed.
    func removing(_ name: String) -> RemoteSource {
        var source = self
        source.parameters.removeAll { $0.name == name }
        return source
    }
}
