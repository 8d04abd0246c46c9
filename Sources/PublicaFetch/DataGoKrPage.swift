import Foundation
import PublicaCore
import PublicaIngest
import PublicaJSON

/// What a data.go.kr response says about itself: its result code and message, and its paging.
///
/// Two envelopes carry errors: the gateway's `OpenAPI_ServiceResponse/cmmMsgHeader` (XML even
/// when JSON was asked for, with HTTP 200 or 403) and the agency's `response/header`; older
/// services use `cmmMsgHeader` with `successYN`/`returnCode`. Success is `00`, `0`, `000` or `0000`.
public struct DataGoKrPage: Sendable, Hashable {
    /// The result code as written (nil when the response has none).
    public var code: String?
    /// The result message, or the gateway's `errMsg`/`returnAuthMsg`.
    public var message: String
    /// The response came from the gateway rather than the agency.
    public var fromGateway = false
    /// The records the service says it has, in all pages.
    public var totalCount: Int?
    /// The page the response says it is.
    public var pageNo: Int?
    /// The records a page holds.
    public var numOfRows: Int?

    /// The success codes.
    public static let successCodes: Set<String> = ["0", "00", "000", "0000"]

    /// Reads the envelope of a response's body, saved at `path`; XML whatever was asked when it
    /// starts with `<`.
    public static func inspect(_ body: [UInt8], savedAt path: String) throws -> DataGoKrPage {
        isXML(body) ? inspectXML(body) : try inspectJSON(JSONDocument.read(path: path))
    }

    /// Whether the body is XML: its first byte past spaces and a byte-order mark is `<`.
    static func isXML(_ body: [UInt8]) -> Bool {
        body.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) } == UInt8(ascii: "<")
    }

    static func inspectXML(_ body: [UInt8]) -> DataGoKrPage {
        func leaf(_ name: String) -> String? { XMLLeaf.first(name, in: body) }
        var page = DataGoKrPage(code: nil, message: "")
        if XMLLeaf.contains("<OpenAPI_ServiceResponse", in: body) {
            page.fromGateway = true
            page.code = leaf("returnReasonCode") ?? "99"
            page.message = [leaf("errMsg"), leaf("returnAuthMsg")].compactMap { $0 }.filter { !$0.isEmpty }
                .joined(separator: ": ")
        } else if let code = leaf("resultCode") {
            page.code = code
            page.message = leaf("resultMsg") ?? ""
        } else if let code = leaf("returnCode") {
            page.code = leaf("successYN") == "N" && successCodes.contains(code) ? "99" : code
            page.message = leaf("errMsg") ?? ""
        }
        page.totalCount = leaf("totalCount").flatMap { Int($0) }
        page.pageNo = (leaf("pageNo") ?? leaf("currentPage")).flatMap { Int($0) }
        page.numOfRows = (leaf("numOfRows") ?? leaf("countPerPage")).flatMap { Int($0) }
        return page
    }

    static func inspectJSON(_ document: FieldValue) -> DataGoKrPage {
        let response = document["response"] ?? document
        let header = response["header"]
        var page = DataGoKrPage(
            code: header?["resultCode"].flatMap(JSONPage.text), message: header?["resultMsg"]?.string ?? "")
        let body = response["body"]
        page.totalCount = body?["totalCount"].flatMap(JSONPage.integer)
        page.pageNo = body?["pageNo"].flatMap(JSONPage.integer)
        page.numOfRows = body?["numOfRows"].flatMap(JSONPage.integer)
        return page
    }
}

/// The first text of a leaf element, found by its tag in an XML response's bytes: enough for an
/// envelope's few leaves, which the full reader checks again when the records are read.
enum XMLLeaf {
    static func first(_ name: String, in body: [UInt8]) -> String? {
        let open = Array("<\(name)>".utf8)
        guard let start = find(open, in: body, from: 0) else { return nil }
        let valueStart = start + open.count
        guard let end = find(Array("</\(name)>".utf8), in: body, from: valueStart) else { return nil }
        let text = String(decoding: body[valueStart..<end], as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func contains(_ text: String, in body: [UInt8]) -> Bool {
        find(Array(text.utf8), in: body, from: 0) != nil
    }

    private static func find(_ needle: [UInt8], in body: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, body.count >= needle.count else { return nil }
        var index = start
        let last = body.count - needle.count
        while index <= last {
            if body[index] == needle[0] && body[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

/// Values of a JSON response's envelope.
enum JSONPage {
    static func text(_ value: FieldValue) -> String? {
        switch value {
        case .text(let text): text.trimmingCharacters(in: .whitespaces)
        case .integer(let number): String(number)
        case .decimal(let number): number.description
        default: nil
        }
    }

    static func integer(_ value: FieldValue) -> Int? { text(value).flatMap { Int($0) } }
}
