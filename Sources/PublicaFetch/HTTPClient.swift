import Foundation
import PublicaCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP response: its status, its headers (names in lowercase), its body's bytes.
public struct HTTPResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The headers, by lowercase name.
    public var headers: [String: String]
    /// The body as received.
    public var body: [UInt8]
}

/// Why a request got no response: the failures worth another attempt, and those that are not.
public enum HTTPFailure: Error, Sendable {
    /// No answer in time.
    case timedOut
    /// The connection failed or broke (refused, reset, closed before the body's end).
    case connection(String)
    /// The body outgrew the limit.
    case tooLarge(Int)
    /// Too many redirects, or one to another scheme.
    case redirects(String)
    /// Anything else (a bad URL, TLS): not retried.
    case other(String)

    /// Whether another attempt may succeed.
    public var isTransient: Bool {
        switch self {
        case .timedOut, .connection: true
        case .tooLarge, .redirects, .other: false
        }
    }
}

/// A blocking GET over Foundation's `URLSession` (libcurl on Linux: nothing to build, TLS
/// verified, proxies from the environment); threads may share a client, each request its own
/// task. The body is gathered in memory up to a limit (`max_bytes`), then saved whole.
public final class HTTPClient: @unchecked Sendable {
    private let session: URLSession
    private let delegate: Delegate

    /// A client whose requests give up after `timeout` seconds, following at most `redirects`.
    public init(timeout: Double, redirects: Int = 5) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        delegate = Delegate(redirects: redirects)
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }

    deinit { session.invalidateAndCancel() }

    /// GETs `url`, the body in memory (at most `maxBytes`).
    public func get(_ url: String, headers: [String: String] = [:], maxBytes: Int) throws(HTTPFailure) -> HTTPResponse {
        guard let target = URL(string: url), ["http", "https"].contains(target.scheme?.lowercased() ?? "") else {
            throw .other("not an http(s) URL")
        }
        var request = URLRequest(url: target)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let task = session.dataTask(with: request)
        let exchange = delegate.start(task, maxBytes: maxBytes)
        task.resume()
        exchange.done.wait()
        if let failure = exchange.failure { throw failure }
        guard let response = exchange.response else { throw .connection("no response") }
        var names: [String: String] = [:]
        for (name, value) in response.allHeaderFields {
            if let name = name as? String, let value = value as? String { names[name.lowercased()] = value }
        }
        return HTTPResponse(status: response.statusCode, headers: names, body: exchange.body)
    }

    /// One request's state, filled on the session's queue and read once `done` is signalled.
    final class Exchange: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        let maxBytes: Int
        var body: [UInt8] = []
        var response: HTTPURLResponse?
        var failure: HTTPFailure?
        var redirects = 0
        init(maxBytes: Int) { self.maxBytes = maxBytes }
    }

    final class Delegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        private let lock = NSLock()
        private var exchanges: [Int: Exchange] = [:]
        let redirects: Int

        init(redirects: Int) { self.redirects = redirects }

        func start(_ task: URLSessionTask, maxBytes: Int) -> Exchange {
            let exchange = Exchange(maxBytes: maxBytes)
            lock.withLock { exchanges[task.taskIdentifier] = exchange }
            return exchange
        }

        private func exchange(_ task: URLSessionTask) -> Exchange? {
            lock.withLock { exchanges[task.taskIdentifier] }
        }

        func urlSession(
            _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
            completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
        ) {
            let exchange = exchange(dataTask)
            exchange?.response = response as? HTTPURLResponse
            if let length = exchange?.response?.expectedContentLength, let exchange, length > exchange.maxBytes {
                exchange.failure = .tooLarge(exchange.maxBytes)
                completionHandler(.cancel)
                return
            }
            completionHandler(.allow)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            guard let exchange = exchange(dataTask) else { return }
            if exchange.body.count + data.count > exchange.maxBytes {
                exchange.failure = .tooLarge(exchange.maxBytes)
                dataTask.cancel()
                return
            }
            exchange.body.append(contentsOf: data)
        }

        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
        ) {
            guard let exchange = exchange(task) else { return completionHandler(nil) }
            exchange.redirects += 1
            let scheme = request.url?.scheme?.lowercased() ?? ""
            if exchange.redirects > redirects || !["http", "https"].contains(scheme) {
                exchange.failure = .redirects(
                    exchange.redirects > redirects ? "more than \(redirects) redirects" : "a redirect to \(scheme):")
                completionHandler(nil)
                task.cancel()
                return
            }
            completionHandler(request)
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
            guard let exchange = lock.withLock({ exchanges.removeValue(forKey: task.taskIdentifier) }) else { return }
            if exchange.failure == nil, let error = error as? URLError {
                exchange.failure = HTTPClient.failure(error)
            } else if exchange.failure == nil, let error {
                exchange.failure = .other("\(error)")
            } else if exchange.failure == nil, let response = exchange.response,
                response.expectedContentLength > 0, exchange.body.count < response.expectedContentLength
            {
                exchange.failure = .connection(
                    "the body ended after \(exchange.body.count) of \(response.expectedContentLength) bytes")
            }
            exchange.done.signal()
        }
    }

    /// A URLError as a failure: a bad URL or a TLS problem is not worth another attempt;
    /// anything the network did (refused, reset, closed early) is.
    static func failure(_ error: URLError) -> HTTPFailure {
        switch error.code {
        case .timedOut: return .timedOut
        case .httpTooManyRedirects, .redirectToNonExistentLocation: return .redirects("too many redirects")
        case .badURL, .unsupportedURL, .cancelled, .secureConnectionFailed, .serverCertificateHasBadDate,
            .serverCertificateUntrusted, .serverCertificateHasUnknownRoot, .serverCertificateNotYetValid,
            .clientCertificateRejected, .clientCertificateRequired, .userAuthenticationRequired,
            .userCancelledAuthentication, .appTransportSecurityRequiresSecureConnection:
            return .other(error.localizedDescription)
        default: return .connection(error.localizedDescription)
        }
    }
}
