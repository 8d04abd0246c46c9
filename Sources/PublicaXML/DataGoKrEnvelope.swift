import PublicaCore

/// The envelopes of Korea's public data portal (data.go.kr) and the older agency APIs.
///
/// - `response/header/resultCode` + `resultMsg`, records at `response/body/items/item`, paging
///   in `body/numOfRows`, `pageNo`, `totalCount`. Success is `00` (some providers: `000`, `0000`).
/// - The gateway's error envelope `OpenAPI_ServiceResponse/cmmMsgHeader` (`errMsg`,
///   `returnAuthMsg`, `returnReasonCode`): always an error.
/// - Legacy services: `<…Response><cmmMsgHeader>` with `successYN`, `returnCode`, `errMsg`;
///   the root's other children are the records.
enum DataGoKrEnvelope {
    static let successCodes: Set<String> = ["0", "00", "000", "0000"]

    /// Checks the envelope once its header element has closed; an error when the API reported one.
    static func check(metadata: [(path: String, value: String)], root: String) -> String? {
        func value(_ path: String) -> String? {
            metadata.first { $0.path == path }?.value.trimmingSpaces
        }
        if root == "OpenAPI_ServiceResponse" {
            let code = value("OpenAPI_ServiceResponse/cmmMsgHeader/returnReasonCode") ?? "?"
            let message = [
                value("OpenAPI_ServiceResponse/cmmMsgHeader/errMsg"),
                value("OpenAPI_ServiceResponse/cmmMsgHeader/returnAuthMsg")
            ]
            .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return "data.go.kr gateway error \(code): \(message.isEmpty ? "no message" : message)"
        }
        if let code = value("response/header/resultCode"), !successCodes.contains(code) {
            return "data.go.kr error resultCode \(code): \(value("response/header/resultMsg") ?? "no resultMsg")"
        }
        let successFlag = value(root + "/cmmMsgHeader/successYN")
        let returnCode = value(root + "/cmmMsgHeader/returnCode")
        if successFlag == "N" || (returnCode.map { !$0.isEmpty && !successCodes.contains($0) } ?? false) {
            let message = value(root + "/cmmMsgHeader/errMsg") ?? ""
            return "API error returnCode \(returnCode ?? "?"): \(message.isEmpty ? "no errMsg" : message)"
        }
        return nil
    }

    /// Paging numbers found in the envelope, for the run report.
    static func paging(metadata: [(path: String, value: String)]) -> [(name: String, value: Int)] {
        let names = ["numOfRows", "pageNo", "totalCount", "countPerPage", "totalPage", "currentPage"]
        return metadata.compactMap { entry in
            let last = entry.path.split(separator: "/").last.map(String.init) ?? ""
            guard names.contains(last), let number = Int(entry.value.trimmingSpaces) else { return nil }
            return ("paging " + last, number)
        }
    }
}
