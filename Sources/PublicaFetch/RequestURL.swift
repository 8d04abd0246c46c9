import Foundation
import PublicaCore

/// A request's URL, and the same URL as it may be written anywhere: secrets as `***`.
public struct RequestURL: Sendable, Hashable {
    /// What is sent.
    public let sent: String
    /// What logs, errors, provenance and reports show.
    public let shown: String

    /// `source`'s URL with its parameters and then `extra` (the page's), each value encoded once.
    public init(_ source: RemoteSource, extra: [(name: String, value: String)] = []) {
        if source.paging == .seoul {  // Every value a path segment, the key's too.
            self = SeoulPreset(source: source).url(start: "{START}", end: "{END}")
            return
        }
        var sent = source.url
        var shown = source.url
        var separator = source.url.contains("?") ? "&" : "?"
        for (name, value) in source.parameters + extra {
            let encodedName = RequestURL.encode(name)
            sent += separator + encodedName + "=" + RequestURL.encode(RequestURL.decodedIfEncoded(value))
            shown += separator + encodedName + "=" + (RemoteSource.isSecret(name) ? "***" : RequestURL.encode(value))
            separator = "&"
        }
        self.sent = sent
        self.shown = shown
    }

    /// A request sent as `sent`, shown as `shown` (its secrets `***`).
    init(sent: String, shown: String) {
        self.sent = sent
        self.shown = shown
    }

    /// Percent-encodes everything but the unreserved characters (RFC 3986).
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out +=
                    "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 15, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// A value given already percent-encoded (data.go.kr's "Encoding" key) decoded, so it is
    /// encoded once, not twice (which the portal answers with code 30); others as they are.
    static func decodedIfEncoded(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "%")) else { return text }
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else if bytes[index] == UInt8(ascii: "%") {
                return text  // A lone `%`: not an encoded value.
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(validating: out, as: UTF8.self) ?? text
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `text` with every secret of `source` (as given, and encoded) replaced by `***`: for
    /// messages from below (a library's error may quote the URL it was given).
    public static func scrub(_ text: String, secrets: [String]) -> String {
        var text = text
        for secret in secrets {
            for form in Set([secret, encode(secret), encode(decodedIfEncoded(secret)), decodedIfEncoded(secret)])
            where !form.isEmpty {
                text = text.replacingOccurrences(of: form, with: "***")
            }
        }
        return text
    }
}
