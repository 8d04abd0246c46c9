import Foundation
import PublicaCore
import PublicaFetch
import Yams

/// Sources fetched over HTTP(S): `url:` instead of `path:` (INTERFACE.md, "Remote sources").
extension PipelineLoader {
    static let remoteKeys = [
        "url", "params", "paging", "format", "retry", "timeout", "rate", "concurrency", "keep_raw", "max_bytes"
    ]
    static let retryKeys = ["attempts", "backoff", "max_backoff"]

    /// A source with `url:`: the request checked (URL syntax, paging, secrets from the
    /// environment only), read as `fetched` pages or, for `paging: none`, as the file downloaded.
    func buildRemoteSource(
        _ name: String, _ source: [(Node, Node)], _ urlNode: Node, base: String, _ collector: Collector
    ) -> Pipeline.Source? {
        let readingKeys = PipelineLoader.sourceKeys.filter { $0 != "path" && $0 != "format" }
        checkKeys(source, known: PipelineLoader.remoteKeys + readingKeys, where: "source '\(name)'", collector)
        if let path = value(source, "path") { collector.error(path, "source '\(name)' takes url: or path:, not both") }
        guard let url = scalar(urlNode), let checkedURL = checkURL(url, urlNode, collector) else { return nil }
        let paging = remotePaging(source, collector)
        let format = remoteFormat(source, paging: paging, url: checkedURL, urlNode, collector)
        var remote = RemoteSource(
            url: checkedURL, parameters: parameters(source, name, collector), paging: paging, format: format)
        remoteLimits(source, into: &remote, collector)
        checkPresetParameters(remote, value(source, "params") ?? urlNode, collector)
        let shown = RequestURL(remote).shown
        return Pipeline.Source(
            name: name, format: "fetched", path: shown,
            options: sourceOptions(source, base: base, collector), remote: remote)
    }

    private func checkURL(_ url: String, _ node: Node, _ collector: Collector) -> String? {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = parts.host, !host.isEmpty
        else {
            collector.error(node, "url must be an http:// or https:// address with a host, not '\(url)'")
            return nil
        }
        guard parts.query == nil, parts.fragment == nil else {
            collector.error(node, "url takes the address without its query; give the query's parameters under params:")
            return nil
        }
        return url
    }

    private func remotePaging(_ source: [(Node, Node)], _ collector: Collector) -> RemoteSource.Paging {
        guard let node = value(source, "paging") else { return .none }
        let given = scalar(node) ?? ""
        if let paging = RemoteSource.Paging(rawValue: given) { return paging }
        let known = RemoteSource.Paging.allCases.map(\.rawValue)
        let hint = suggestion(for: given, among: known).map { "; did you mean '\($0)'?" } ?? ""
        collector.error(node, "unknown paging '\(given)' (known: \(known.joined(separator: ", ")))\(hint)")
        return .none
    }

    private func remoteFormat(
        _ source: [(Node, Node)], paging: RemoteSource.Paging, url: String, _ urlNode: Node, _ collector: Collector
    ) -> RemoteSource.Format {
        let allowed = PipelineLoader.formats(paging)
        let names = allowed.map(\.rawValue).joined(separator: ", ")
        guard let node = value(source, "format") else {
            let path = URLComponents(string: url)?.path ?? url
            if paging == .none, let implied = Formats.sources.format(forPath: path),
                let format = RemoteSource.Format(rawValue: implied)
            {
                return format
            }
            if paging != .none { return allowed[0] }
            collector.error(urlNode, "cannot tell the format of '\(path)' from its name; add 'format:' (\(names))")
            return .xml
        }
        let given = scalar(node) ?? ""
        guard let format = RemoteSource.Format(rawValue: given), allowed.contains(format) else {
            let hint = suggestion(for: given, among: allowed.map(\.rawValue)).map { "; did you mean '\($0)'?" } ?? ""
            collector.error(node, "format '\(given)' is not one paging \(paging.rawValue) reads (\(names))\(hint)")
            return .xml
        }
        return format
    }

    /// `params:`, in order; a secret (a key, a token) must come from the environment, so it is
    /// never written in the pipeline file.
    private func parameters(_ source: [(Node, Node)], _ name: String, _ collector: Collector) -> [(
        name: String, value: String
    )] {
        guard let node = value(source, "params") else { return [] }
        guard let pairs = mapping(node, "params of source '\(name)'", collector) else { return [] }
        var parameters: [(name: String, value: String)] = []
        for (keyNode, valueNode) in pairs {
            guard let key = scalar(keyNode), case .scalar(let raw) = valueNode,
                let text = RemoteSource.isSecret(key) ? secretScalar(valueNode) : scalar(valueNode)
            else {
                collector.error(valueNode, "params takes plain values (text or numbers)")
                continue
            }
            if RemoteSource.isSecret(key), !raw.string.contains("${"), !text.isEmpty {
                collector.error(
                    valueNode,
                    "\(key) is a secret: take it from the environment (\(key): \"${DATA_GO_KR_KEY}\"), never the file")
            }
            parameters.append((key, text))
        }
        return parameters
    }

    private func remoteLimits(_ source: [(Node, Node)], into remote: inout RemoteSource, _ collector: Collector) {
        if let node = value(source, "retry"), let pairs = mapping(node, "retry", collector) {
            checkKeys(pairs, known: PipelineLoader.retryKeys, where: "retry", collector)
            if let attempts = value(pairs, "attempts") {
                remote.attempts = integer(attempts, "attempts", minimum: 1, collector) ?? remote.attempts
            }
            remote.backoff = value(pairs, "backoff").flatMap { duration($0, "backoff", collector) } ?? remote.backoff
            remote.maxBackoff =
                value(pairs, "max_backoff").flatMap { duration($0, "max_backoff", collector) } ?? remote.maxBackoff
        }
        remote.timeout = value(source, "timeout").flatMap { duration($0, "timeout", collector) } ?? remote.timeout
        if let node = value(source, "rate") { remote.rate = rate(node, collector) }
        if let node = value(source, "concurrency"), let count = integer(node, "concurrency", minimum: 1, collector) {
            if count > 16 { collector.error(node, "concurrency takes 1 to 16 pages in flight") }
            remote.concurrency = min(count, 16)
        }
        if let node = value(source, "max_bytes") {
            if let size = scalar(node).flatMap(ReadLimits.parseSize), size > 0 {
                remote.maxBytes = size
            } else {
                collector.error(node, "max_bytes takes a size such as 64MiB, 512KiB or a number of bytes")
            }
        }
        if let node = value(source, "keep_raw") {
            if let keep = node.bool {
                remote.keepRaw = keep
            } else {
                collector.error(node, "keep_raw takes true or false")
            }
        }
    }

    /// `1s`, `500ms`, `2m` or a number of seconds.
    func duration(_ node: Node, _ key: String, _ collector: Collector) -> Double? {
        let text = scalar(node) ?? ""
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let unit = units.first { text.hasSuffix($0.0) && Double(text.dropLast($0.0.count)) != nil }
        let number = unit.map { Double(text.dropLast($0.0.count))! * $0.1 } ?? Double(text)
        guard let number, number.isFinite, number > 0 else {
            collector.error(node, "\(key) takes a duration such as 30s, 500ms or 2m")
            return nil
        }
        return number
    }

    /// `10/s`, `600/m` or a number of requests a second.
    private func rate(_ node: Node, _ collector: Collector) -> Double? {
        let text = scalar(node) ?? ""
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let per: [Substring: Double] = ["s": 1, "m": 60, "h": 3600]
        let count = parts.first.flatMap { Double($0) }
        let seconds = parts.count == 2 ? per[parts[1]] : parts.count == 1 ? 1 : nil
        guard let count, let seconds, count.isFinite, count > 0 else {
            collector.error(node, "rate takes requests per time, such as 10/s or 600/m")
            return nil
        }
        return count / seconds
    }
}
