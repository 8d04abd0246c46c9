import PublicaCore
import Yams

extension PipelineLoader {
    /// `unpivot: {keep: [fields], key: name, value: name}`, optionally `fields: [..]`.
    func unpivotStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        guard let options = mapping(body, "unpivot", collector) else { return nil }
        checkKeys(options, known: ["keep", "fields", "key", "value"], where: "unpivot", collector)
        let keep = value(options, "keep").flatMap { fieldList($0, "unpivot keep", collector) } ?? []
        let fields = value(options, "fields").flatMap { fieldList($0, "unpivot fields", collector) }
        guard let key = requiredScalar(options, "key", in: body, "unpivot", collector),
            let valueName = requiredScalar(options, "value", in: body, "unpivot", collector)
        else { return nil }
        return UnpivotStep(keep: keep, fields: fields, key: key, value: valueName)
    }

    /// `split: {field: F, into: [..], separator: S, max: N}` or `{field: F, into: [..], pattern: P}`,
    /// with `on_error: reject|null|fail`.
    func splitStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        guard let options = mapping(body, "split", collector) else { return nil }
        checkKeys(
            options, known: ["field", "into", "separator", "pattern", "max", "on_error"], where: "split", collector)
        guard let field = requiredScalar(options, "field", in: body, "split", collector),
            let intoNode = value(options, "into") ?? missing("into", body, "split", collector),
            let into = scalars(intoNode, "split into", collector)
        else { return nil }
        guard !into.isEmpty else {
            collector.error(intoNode, "split into names no field")
            return nil
        }
        let onError = value(options, "on_error").flatMap { onErrorPolicy($0, collector) } ?? .reject
        let rule: SplitStep.Rule
        let ruleNode: Node
        switch (value(options, "separator"), value(options, "pattern")) {
        case (let separator?, nil):
            let maxSplits = value(options, "max").flatMap { integer($0, "max", minimum: 1, collector) }
            guard let text = scalar(separator) else { collector.error(separator, "separator must be text"); return nil }
            (rule, ruleNode) = (.separator(text, maxSplits: maxSplits), separator)
        case (nil, let pattern?):
            if let max = value(options, "max") { collector.error(max, "max goes with separator, not pattern") }
            guard let text = scalar(pattern) else { collector.error(pattern, "pattern must be text"); return nil }
            (rule, ruleNode) = (.pattern(text), pattern)
        default:
            collector.error(body, "split takes either separator or pattern")
            return nil
        }
        do {
            return try SplitStep(field: field, into: into, rule: rule, onError: onError)
        } catch let error as PublicaError {
            collector.error(ruleNode, error.message)
        } catch {
            collector.error(ruleNode, "split: \(error)")
        }
        return nil
    }

    /// `explode: {field: F, separator: S}`.
    func explodeStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        guard let options = mapping(body, "explode", collector) else { return nil }
        checkKeys(options, known: ["field", "separator"], where: "explode", collector)
        guard let field = requiredScalar(options, "field", in: body, "explode", collector),
            let separator = requiredScalar(options, "separator", in: body, "explode", collector)
        else { return nil }
        do {
            return try ExplodeStep(field: field, separator: separator)
        } catch {
            collector.error(value(options, "separator"), (error as? PublicaError)?.message ?? "\(error)")
            return nil
        }
    }

    /// `replace: {F: {pattern: P, with: W}}` or `{F: {text: T, with: W}}`, several fields allowed.
    func replaceStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        guard let pairs = mapping(body, "replace", collector) else { return nil }
        var rules: [(field: String, rule: ReplaceStep.Rule)] = []
        for (key, ruleNode) in pairs {
            guard let field = scalar(key), let options = mapping(ruleNode, "replace rule", collector) else { continue }
            checkKeys(options, known: ["pattern", "text", "with"], where: "replace", collector)
            guard let with = requiredScalar(options, "with", in: ruleNode, "replace", collector) else { continue }
            let rule: ReplaceStep.Rule
            switch (value(options, "pattern").flatMap(scalar), value(options, "text").flatMap(scalar)) {
            case (let pattern?, nil): rule = .pattern(pattern, with: with)
            case (nil, let text?): rule = .text(text, with: with)
            default:
                collector.error(ruleNode, "a replace rule takes either pattern or text, and with")
                continue
            }
            // Compiled here, one rule at a time, so a bad pattern is reported at its own place.
            do {
                _ = try ReplaceStep(rules: [(field, rule)])
                rules.append((field, rule))
            } catch {
                collector.error(ruleNode, (error as? PublicaError)?.message ?? "\(error)")
            }
        }
        return try? ReplaceStep(rules: rules)
    }

    /// `map: {F: {values: {from: to}, otherwise: keep|null|reject}}`, several fields allowed.
    func mapStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        guard let pairs = mapping(body, "map", collector) else { return nil }
        var tables: [MapStep.Table] = []
        for (key, tableNode) in pairs {
            guard let field = scalar(key), let options = mapping(tableNode, "map table", collector) else { continue }
            checkKeys(options, known: ["values", "otherwise"], where: "map", collector)
            guard let valuesNode = value(options, "values") ?? missing("values", tableNode, "map", collector),
                let entries = mapping(valuesNode, "map values", collector)
            else { continue }
            var values: [String: String] = [:]
            for (from, to) in entries {
                guard let source = scalar(from), let target = scalar(to) else {
                    collector.error(to, "map values are plain values (code: label)")
                    continue
                }
                if values.updateValue(target, forKey: source) != nil {
                    collector.error(from, "map: '\(source)' is listed twice")
                }
            }
            var otherwise = MapStep.Otherwise.keep
            if let node = value(options, "otherwise") {
                guard let parsed = scalar(node).flatMap(MapStep.Otherwise.init(rawValue:)) else {
                    collector.error(node, "otherwise takes keep, null or reject")
                    continue
                }
                otherwise = parsed
            }
            tables.append(MapStep.Table(field: field, values: values, otherwise: otherwise))
        }
        return MapStep(tables: tables)
    }

    /// `trim: [fields]`, or `trim: all` / `trim: {}` for every field.
    func trimStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        switch body {
        case .scalar where scalar(body) == "all": return TrimStep()
        case .mapping(let pairs) where pairs.isEmpty: return TrimStep()
        case .sequence:
            guard let fields = scalars(body, "trim", collector) else { return nil }
            guard !fields.isEmpty else {
                collector.error(body, "trim takes a list of fields, or all")
                return nil
            }
            return TrimStep(fields: fields)
        default:
            collector.error(body, "trim takes a list of fields, or all")
            return nil
        }
    }

    /// `fill_down: [fields]`.
    func fillDownStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        guard let fields = fieldList(body, "fill_down", collector) else { return nil }
        guard !fields.isEmpty else {
            collector.error(body, "fill_down takes a list of fields")
            return nil
        }
        return FillDownStep(fields: fields)
    }

    /// `slice: {start: N, stop: M}` (both optional, `stop` at least `start`).
    func sliceStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        guard let options = mapping(body, "slice", collector) else { return nil }
        checkKeys(options, known: ["start", "stop"], where: "slice", collector)
        guard !options.isEmpty else {
            collector.error(body, "slice takes {start: N, stop: M}")
            return nil
        }
        guard let start = value(options, "start").map({ integer($0, "start", minimum: 0, collector) }) ?? 0
        else { return nil }
        var stop: Int?
        if let node = value(options, "stop") {
            guard let number = integer(node, "stop", minimum: start, collector) else { return nil }
            stop = number
        }
        return SliceStep(start: start, stop: stop)
    }

    // MARK: - Helpers

    /// A field name or a list of them.
    private func fieldList(_ node: Node, _ what: String, _ collector: Collector) -> [String]? {
        if case .scalar = node, let field = scalar(node) { return [field] }
        return scalars(node, what, collector)
    }

    /// The text of required key `key`; its absence is reported at the step's body.
    private func requiredScalar(
        _ options: [(Node, Node)], _ key: String, in body: Node, _ step: String, _ collector: Collector
    ) -> String? {
        guard let node = value(options, key) ?? missing(key, body, step, collector) else { return nil }
        guard let text = scalar(node) else {
            collector.error(node, "\(step): \(key) must be a plain value")
            return nil
        }
        return text
    }

    /// Reports that `key` is missing from `step`'s options; always nil.
    private func missing(_ key: String, _ body: Node, _ step: String, _ collector: Collector) -> Node? {
        collector.error(body, "\(step) needs \(key)")
        return nil
    }

    /// `reject`, `null` or `fail`.
    private func onErrorPolicy(_ node: Node, _ collector: Collector) -> RowStepOnError? {
        guard let policy = scalar(node).flatMap(RowStepOnError.init(rawValue:)) else {
            collector.error(node, "on_error takes reject, null or fail")
            return nil
        }
        return policy
    }
}
