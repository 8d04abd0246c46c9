import PublicaCore
import PublicaIngest

/// odcloud file-data APIs (`api.odcloud.kr/api/{id}/v1/uddi:…`): `page` / `perPage`, the JSON
/// `{"page","perPage","totalCount","currentCount","matchCount","data":[…]}`; pages follow
/// `matchCount` (the rows a `cond[…]` filter leaves; `totalCount` without one). Errors come as
/// `{"code":-4,"msg":"…"}` with an HTTP error status.
struct OdcloudPreset: PagingPreset {
    let source: RemoteSource
    var paged: Bool { true }
    var rowsPerPage: Int { source.parameter("perPage").flatMap { Int($0) } ?? 10 }

    func url(page number: Int) -> RequestURL {
        RequestURL(source.removing("page"), extra: [("page", String(number))])
    }

    func envelope(_ body: [UInt8], status: Int, savedAt path: String) throws -> PageEnvelope {
        // The data.go.kr gateway in front answers some refusals with its XML envelope.
        if DataGoKrPage.isXML(body) { return DataGoKrPreset.envelope(DataGoKrPage.inspectXML(body)) }
        let document = try JSONDocument.read(path: path)
        func integer(_ name: String) -> Int? { document[name].flatMap(JSONPage.integer) }
        let code = document["code"].flatMap(JSONPage.text)
        var envelope = PageEnvelope(
            code: code, message: document["msg"].flatMap(JSONPage.text) ?? "", label: "odcloud code \(code ?? "")",
            action: OdcloudPreset.action(code: code, status: status))
        envelope.totalCount = integer("matchCount") ?? integer("totalCount")
        envelope.pageNo = integer("page")
        envelope.rows = integer("perPage")
        if code == nil, (200..<300).contains(status), envelope.totalCount == nil {
            envelope.action = .stop(
                .data, "the response has neither matchCount nor totalCount: its pages cannot be counted")
            envelope.label = "odcloud response"
        }
        return envelope
    }

    /// What an odcloud code means: the key refused (-4, HTTP 401/403) exits 77, HTTP 429 is the
    /// key's limit (exit 75), a server error is tried again, another refusal is the request's (exit 64).
    static func action(code: String?, status: Int) -> ResultAction {
        guard let code, code != "0" else { return .success }
        if code == "-4" || status == 401 || status == 403 {
            return .stop(
                .permission, "the key was refused: is serviceKey the Decoding form of a key approved for this API?")
        }
        switch status {
        case 429:
            return .stop(
                .quota, "the key's request limit is used up: try again later (a daily limit after midnight KST)")
        case 500...599: return .retry
        case 400..<500: return .stop(.usage, "the request was refused: check params (page, perPage, cond[…])")
        default: return .stop(.data, "an unknown result code")
        }
    }
}
