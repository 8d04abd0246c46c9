import PublicaCore
import PublicaIngest

/// KOSIS `statisticsParameterData.do` (`method=getList`, `format=json`, `jsonVD=Y`): one
/// request, answered with a JSON array of rows, or `{"err":"30","errMsg":"…"}` (KOSIS OpenAPI
/// manual §1.4.2: 10/11 the key, 20/21 the parameters, 30 no data, 31 more than 40,000 cells,
/// 40–42 call limits, 50 a server error). Not paged: there is no total to follow.
struct KosisPreset: PagingPreset {
    let source: RemoteSource
    var paged: Bool { false }
    var rowsPerPage: Int { 0 }

    func url(page number: Int) -> RequestURL { RequestURL(source) }

    func envelope(_ body: [UInt8], status: Int, savedAt path: String) throws -> PageEnvelope {
        let first = body.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        if first == UInt8(ascii: "[") { return PageEnvelope(code: nil, message: "", label: "KOSIS", action: .success) }
        var code: String?
        var message = ""
        if DataGoKrPage.isXML(body) {
            code = XMLLeaf.first("err", in: body)
            message = XMLLeaf.first("errMsg", in: body) ?? ""
        } else if let document = try? JSONDocument.read(path: path) {
            code = (document["err"] ?? document["errCode"]).flatMap(JSONPage.text)
            message = document["errMsg"].flatMap(JSONPage.text) ?? ""
        } else {
            // Without jsonVD=Y KOSIS writes its keys unquoted: `{err:"30",errMsg:"…"}`.
            code = KosisPreset.unquoted("err", in: body)
            message = KosisPreset.unquoted("errMsg", in: body) ?? ""
        }
        guard let code else {
            guard (200..<300).contains(status) else {
                return PageEnvelope(code: nil, message: "", label: "KOSIS", action: .success)
            }
            throw PublicaError(.data, "KOSIS answered neither a JSON array of rows nor err (is format json, jsonVD Y?)")
        }
        return PageEnvelope(code: code, message: message, label: "KOSIS err \(code)", action: KosisPreset.action(code))
    }

    /// What a KOSIS `err` means for the run.
    static func action(_ code: String) -> ResultAction {
        switch code {
        case "10": .stop(.permission, "the key is missing: give params.apiKey from the environment")
        case "11": .stop(.permission, "the key has expired: extend it on kosis.kr/openapi")
        case "20": .stop(.usage, "a required parameter is missing: check params (orgId, tblId, itmId, objL1, prdSe…)")
        case "21": .stop(.usage, "a parameter is invalid: check params (orgId, tblId, itmId, objL1…, the periods)")
        case "30": .empty
        case "31":
            .stop(
                .usage, "more than 40,000 cells in one request: narrow itmId, objL1… or the periods (one source each)")
        case "40", "41": .stop(.quota, "the key's call limit is reached: try again later (tomorrow for a daily limit)")
        case "42": .stop(.quota, "the use of this key is restricted: ask KOSIS, then try again")
        case "50": .retry
        default: .stop(.data, "an unknown result code")
        }
    }

    /// The value of `name` in KOSIS's unquoted-key JSON: `name:"value"`.
    static func unquoted(_ name: String, in body: [UInt8]) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        for prefix in ["\(name):\"", "\"\(name)\":\""] {
            guard let start = text.range(of: prefix)?.upperBound, let end = text[start...].firstIndex(of: "\"")
            else { continue }
            return String(text[start..<end])
        }
        return nil
    }
}
