import PublicaCore

/// What a data.go.kr result code means for the run: go on, an empty result, another attempt,
/// or a stop with its exit code and what to check.
public enum ResultAction: Sendable, Hashable {
    case success
    /// `03` (no data): an empty result, not an error.
    case empty
    /// Worth another attempt (01, 02, 04, 05, 99); past the attempts, exit 69.
    case retry
    /// Stop with this kind of error (its exit code) and this advice.
    case stop(PublicaError.Kind, String)

    /// The action for `code` (nil: a response without a code, taken as success).
    public init(code: String?) {
        guard let code, !DataGoKrPage.successCodes.contains(code) else {
            self = .success
            return
        }
        switch code {
        case "03": self = .empty
        case "01", "02", "04", "05", "99": self = .retry
        case "10": self = .stop(.usage, "a parameter is invalid: check params")
        case "11": self = .stop(.usage, "a required parameter is missing: check params")
        case "12": self = .stop(.unavailable, "no such service (or it was withdrawn): check the URL")
        case "20": self = .stop(.permission, "access denied: is the key approved for this service?")
        case "21": self = .stop(.quota, "the key is disabled for now: try again later or ask the provider")
        case "22": self = .stop(.quota, "the daily quota is used up: try again after midnight (KST)")
        case "23": self = .stop(.quota, "more requests a second than allowed: lower rate:, try again later")
        case "30":
            self = .stop(
                .permission, "the key is not registered: is it the Decoding form, and approved for this service?")
        case "31": self = .stop(.permission, "the key has expired: renew it on data.go.kr")
        case "32": self = .stop(.permission, "this machine's IP address is not registered for the key")
        case "33": self = .stop(.permission, "the call is not signed as the service requires")
        default: self = .stop(.data, "an unknown result code")
        }
    }
}
