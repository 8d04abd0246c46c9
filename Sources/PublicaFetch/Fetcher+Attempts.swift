import Foundation
import PublicaCore

/// A conditional request's answer: the resource is unchanged (HTTP 304).
struct NotModified: Error {}

extension Fetcher {
    /// What one attempt at a page came to.
    private enum Attempt {
        /// Saved; with its envelope when it was inspected (nil: an empty result, 03, no data).
        case saved(FetchManifest.Page, PageEnvelope?)
        /// Worth another attempt, for this reason.
        case again(String)
    }

    /// Fetches page `number` into `folder`, trying again as the source allows; `headers` go
    /// with the request (a conditional one's 304 throws ``NotModified``).
    func fetchPage(
        _ url: RequestURL, number: Int, into folder: String, inspect: Bool, headers: [String: String] = [:]
    ) throws -> (FetchManifest.Page, PageEnvelope?) {
        var attempt = 1
        while true {
            switch try self.attempt(url, number: number, into: folder, inspect: inspect, headers: headers) {
            case .saved(let page, let status): return (page, status)
            case .again(let reason):
                guard attempt < source.attempts else {
                    throw PublicaError(
                        .unavailable, "page \(number): \(reason), \(attempt) attempts made",
                        at: SourceLocation(file: url.shown))
                }
                let wait = Pacer.backoff(attempt: attempt, base: source.backoff, max: source.maxBackoff)
                note("\(name): page \(number): \(reason); attempt \(attempt + 1) in \(String(format: "%.2f", wait)) s")
                try Pacer.sleep(wait)
                attempt += 1
            }
        }
    }

    private func attempt(
        _ url: RequestURL, number: Int, into folder: String, inspect: Bool, headers: [String: String]
    ) throws -> Attempt {
        try pacer.waitForTurn()
        let place = SourceLocation(file: url.shown)
        let response: HTTPResponse
        do throws(HTTPFailure) {
            response = try client.get(url.sent, headers: headers, maxBytes: source.maxBytes)
        } catch {
            let reason = RequestURL.scrub(describe(error), secrets: source.secrets)
            guard error.isTransient else { throw PublicaError(.unavailable, "page \(number): \(reason)", at: place) }
            return .again(reason)
        }
        if response.status == 304 && !headers.isEmpty { throw NotModified() }
        let extensionName = DataGoKrPage.isXML(response.body) ? "xml" : source.format.rawValue
        let file = String(format: "page-%05d.", number) + extensionName
        try SavedFile.write(response.body, to: folder + "/" + file)
        var page = FetchManifest.Page(
            number: number, file: file, url: url.shown, bytes: response.body.count,
            sha256: SHA256.hex(response.body))
        if !inspect {  // a download: what tells its next run whether it changed
            page.etag = response.headers["etag"]
            page.lastModified = response.headers["last-modified"]
        }
        let status = try envelope(response, inspect: inspect, at: folder + "/" + file, place: place)
        if let problem = try problem(response, status, number: number, place: place) { return problem }
        guard inspect else { return .saved(page, nil) }
        if case .empty? = status?.action { return .saved(page, nil) }
        if extensionName != source.format.rawValue {
            throw PublicaError(.data, "page \(number) came back as XML, not \(source.format.rawValue)", at: place)
        }
        return .saved(page, status)
    }

    /// The envelope, when the response has one worth reading: always for a paged service's page
    /// (read as its preset says), and for an error status of a download (the data.go.kr gateway
    /// answers 403 with its XML envelope).
    private func envelope(_ response: HTTPResponse, inspect: Bool, at path: String, place: SourceLocation) throws
        -> PageEnvelope?
    {
        let ok = (200..<300).contains(response.status)
        guard inspect || (!ok && DataGoKrPage.isXML(response.body)) else { return nil }
        let preset = inspect ? source.preset ?? DataGoKrPreset(source: source) : DataGoKrPreset(source: source)
        do {
            return try preset.envelope(response.body, status: response.status, savedAt: path)
        } catch var error as PublicaError {
            error.location = place
            guard ok else { return nil }
            throw error
        }
    }

    /// An HTTP status or result code that is not success: another attempt, or a stop.
    private func problem(_ response: HTTPResponse, _ status: PageEnvelope?, number: Int, place: SourceLocation)
        throws -> Attempt?
    {
        if let status {
            let said = RequestURL.scrub(status.message, secrets: source.secrets)
            let what = said.isEmpty ? status.label : "\(status.label) (\(said))"
            switch status.action {
            case .success, .empty: break
            case .retry: return .again(what)
            case .stop(let kind, let advice):
                throw PublicaError(kind, "page \(number): \(what): \(advice)", at: place)
            }
        }
        switch response.status {
        case 200..<300: return nil
        case 429, 500...599: return .again("HTTP \(response.status)")
        case 401, 403:
            throw PublicaError(
                .permission, "page \(number): HTTP \(response.status): the key or caller was refused", at: place)
        case 404:
            throw PublicaError(.unavailable, "page \(number): HTTP 404: no such service: check the URL", at: place)
        default:
            throw PublicaError(
                .usage, "page \(number): HTTP \(response.status): the request was refused: check url and params",
                at: place)
        }
    }

    private func describe(_ failure: HTTPFailure) -> String {
        switch failure {
        case .timedOut: "no answer within \(source.timeout) s"
        case .connection(let why): "the connection failed (\(why))"
        case .tooLarge(let limit): "the response is larger than \(limit) bytes"
        case .redirects(let why): "redirects: \(why)"
        case .other(let why): why
        }
    }
}
