import PublicaCore
import PublicaIngest

/// Seoul Open Data (`http://openapi.seoul.go.kr:8088`): every value is a path segment,
/// `/{KEY}/{TYPE}/{SERVICE}/{START}/{END}/{ARGS…}/`, START and END 1-based and inclusive, at
/// most 1000 rows a request. The answer is `{"SERVICE":{"list_total_count":N,"RESULT":{"CODE":
/// "INFO-000","MESSAGE":"…"},"row":[…]}}` (XML: the same elements under `<SERVICE>`), or without
/// data only `{"RESULT":{"CODE":"INFO-200",…}}`.
///
/// In the pipeline file: `params: {key: "${SEOUL_KEY}", service: NAME, rows: 1000, args: "A/B"}`
/// (`args`: the service's optional request arguments, in order); TYPE is `format:`.
struct SeoulPreset: PagingPreset {
    let source: RemoteSource
    /// The most rows one request may ask for (more is ERROR-336).
    static let maxRows = 1000
    /// The parameters this preset takes.
    static let parameterNames = ["key", "service", "rows", "args"]
    var paged: Bool { true }
    var rowsPerPage: Int { source.parameter("rows").flatMap { Int($0) } ?? SeoulPreset.maxRows }

    func url(page number: Int) -> RequestURL {
        url(start: String((number - 1) * rowsPerPage + 1), end: String(number * rowsPerPage))
    }

    /// The request for rows `start` to `end` (the source's URL: `{START}`, `{END}`).
    func url(start: String, end: String) -> RequestURL {
        var base = source.url
        while base.hasSuffix("/") { base.removeLast() }
        let key = source.parameter("key") ?? ""
        let args = (source.parameter("args") ?? "").split(separator: "/").map { RequestURL.encode(String($0)) }
        let rest =
            ([source.format.rawValue, RequestURL.encode(source.parameter("service") ?? ""), start, end] + args)
            .joined(separator: "/") + "/"
        return RequestURL(
            sent: base + "/" + RequestURL.encode(RequestURL.decodedIfEncoded(key)) + "/" + rest,
            shown: base + "/***/" + rest)
    }

    func envelope(_ body: [UInt8], status: Int, savedAt path: String) throws -> PageEnvelope {
        var code: String?
        var message = ""
        var total: Int?
        if DataGoKrPage.isXML(body) {
            code = XMLLeaf.first("CODE", in: body)
            message = XMLLeaf.first("MESSAGE", in: body) ?? ""
            total = XMLLeaf.first("list_total_count", in: body).flatMap { Int($0) }
        } else {
            let document = try JSONDocument.read(path: path)
            let service = SeoulPreset.service(document)
            let result = service?["RESULT"] ?? document["RESULT"]
            code = result?["CODE"].flatMap(JSONPage.text)
            message = result?["MESSAGE"].flatMap(JSONPage.text) ?? ""
            total = service?["list_total_count"].flatMap(JSONPage.integer)
        }
        var envelope = PageEnvelope(
            code: code, message: message, label: "Seoul RESULT.CODE \(code ?? "")", action: SeoulPreset.action(code))
        envelope.totalCount = total
        if case .success = envelope.action, total == nil, (200..<300).contains(status) {
            envelope.action = .stop(.data, "the response has no list_total_count: its pages cannot be counted")
            envelope.label = "Seoul response"
        }
        return envelope
    }

    /// The service's object of a JSON answer: the top-level value that holds `RESULT` or `row`.
    static func service(_ document: FieldValue) -> FieldValue? {
        guard case .object(let pairs) = document else { return nil }
        return pairs.first { $0.key != "RESULT" && ($0.value["row"] != nil || $0.value["RESULT"] != nil) }?.value
    }

    /// What a Seoul result code means for the run.
    static func action(_ code: String?) -> ResultAction {
        switch code {
        case nil, "INFO-000": .success
        case "INFO-200": .empty
        case "INFO-100":
            .stop(.permission, "the key is not valid: check params.key (the 인증키 of data.seoul.go.kr for this service)")
        case "ERROR-300": .stop(.usage, "a required value is missing: check params.key and params.service")
        case "ERROR-301": .stop(.usage, "the TYPE is missing or invalid: check format (json or xml)")
        case "ERROR-310": .stop(.usage, "no such service: check params.service")
        case "ERROR-331", "ERROR-332", "ERROR-333", "ERROR-334":
            .stop(.usage, "the START/END positions were refused: check params.rows (1 to 1000)")
        case "ERROR-335": .stop(.usage, "the sample key serves 5 rows at most: give your own key in params.key")
        case "ERROR-336": .stop(.usage, "more than 1000 rows in one request: give params.rows 1000 or fewer")
        case "ERROR-337":
            .stop(.quota, "the key's daily request limit is used up: try again tomorrow (after midnight KST)")
        case "ERROR-500", "ERROR-600", "ERROR-601": .retry
        default: .stop(.data, "an unknown result code")
        }
    }
}
