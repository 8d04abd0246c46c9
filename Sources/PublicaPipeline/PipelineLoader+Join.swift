import PublicaCore
import Yams

extension PipelineLoader {
    static let joinKeys = ["with", "on", "take", "how", "unmatched"]

    /// `join: {with: RESOURCE | {path: FILE, …}, on: {left: right} | field | [fields], take:
    /// {right: new} | [fields], how: left|inner, unmatched: reject|null|drop}`.
    func joinStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        guard let pairs = mapping(body, "join", collector) else { return nil }
        checkKeys(pairs, known: PipelineLoader.joinKeys, where: "join", collector)
        guard let withNode = value(pairs, "with"), let onNode = value(pairs, "on") else {
            collector.error(body, "join needs with: (a resource, or {path: FILE}) and on: {field: right_field}")
            return nil
        }
        let right: JoinStep.Right
        if let resource = scalar(withNode) {
            right = .resource(resource)
        } else {
            let base = collector.file.lastIndex(of: "/").map { String(collector.file[...$0]) } ?? ""
            guard let source = buildSource(withNode, withNode, base: base, collector, named: "join") else { return nil }
            right = .file(source)
        }
        guard let on = fieldPairs(onNode, "on", collector), !on.isEmpty else { return nil }
        let take = value(pairs, "take").flatMap { fieldPairs($0, "take", collector) } ?? []
        guard let unmatched = joinUnmatched(pairs, collector) else { return nil }
        return JoinStep(
            right: right, on: on.map { (left: $0.0, right: $0.1) }, take: take.map { (field: $0.0, as: $0.1) },
            unmatched: unmatched)
    }

    /// `how:` and `unmatched:`; `how` gives `unmatched` its default (left: null, inner: drop).
    private func joinUnmatched(_ pairs: [(Node, Node)], _ collector: Collector) -> JoinStep.Unmatched? {
        var unmatched = JoinStep.Unmatched.null
        if let node = value(pairs, "how") {
            switch scalar(node) {
            case "left": unmatched = .null
            case "inner": unmatched = .drop
            default:
                collector.error(node, "how takes left or inner")
                return nil
            }
        }
        if let node = value(pairs, "unmatched") {
            guard let given = scalar(node).flatMap(JoinStep.Unmatched.init(rawValue:)) else {
                collector.error(node, "unmatched takes reject, null or drop")
                return nil
            }
            if value(pairs, "how").flatMap(scalar) == "inner" && given == .null {
                collector.error(node, "how: inner keeps only matched records; unmatched: null needs how: left")
                return nil
            }
            unmatched = given
        }
        return unmatched
    }

    /// `{a: b, c: d}` as pairs, or `a` / `[a, c]` as pairs of a name with itself.
    func fieldPairs(_ node: Node, _ what: String, _ collector: Collector) -> [(String, String)]? {
        if let name = scalar(node) { return [(name, name)] }
        if case .sequence = node { return scalars(node, what, collector)?.map { ($0, $0) } }
        guard let pairs = mapping(node, what, collector) else { return nil }
        var result: [(String, String)] = []
        for (key, value) in pairs {
            guard let left = scalar(key), let right = scalar(value) else {
                collector.error(value, "\(what) takes field names")
                continue
            }
            result.append((left, right))
        }
        return result
    }
}
