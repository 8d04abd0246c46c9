import PublicaCore

/// data.go.kr: `pageNo` / `numOfRows`, `totalCount`, both envelopes (``DataGoKrPage``) and the
/// result codes of ``ResultAction/init(code:)``.
struct DataGoKrPreset: PagingPreset {
    let source: RemoteSource
    var paged: Bool { true }
    var rowsPerPage: Int { source.parameter("numOfRows").flatMap { Int($0) } ?? 10 }

    func url(page number: Int) -> RequestURL {
        RequestURL(source.removing("pageNo"), extra: [("pageNo", String(number))])
    }

    func envelope(_ body: [UInt8], status: Int, savedAt path: String) throws -> PageEnvelope {
        DataGoKrPreset.envelope(try DataGoKrPage.inspect(body, savedAt: path))
    }

    /// The shared envelope of a data.go.kr one.
    static func envelope(_ page: DataGoKrPage) -> PageEnvelope {
        let label = "\(page.fromGateway ? "data.go.kr gateway" : "data.go.kr") resultCode \(page.code ?? "")"
        var envelope = PageEnvelope(
            code: page.code, message: page.message, label: label, action: ResultAction(code: page.code))
        envelope.totalCount = page.totalCount
        envelope.pageNo = page.pageNo
        envelope.rows = page.numOfRows
        return envelope
    }
}
