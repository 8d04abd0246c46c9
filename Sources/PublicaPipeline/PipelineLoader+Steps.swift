import PublicaCore
import PublicaValidation
import Yams

extension PipelineLoader {
    /// One entry of `steps:`, a single key naming the step; nil, with the problem reported, for
    /// an unknown step or one whose options cannot be read.
    func buildStep(_ node: Node, schema: TableSchema?, _ collector: Collector) -> (any PipelineStep)? {
        guard let step = mapping(node, "a step", collector), step.count == 1, let (keyNode, body) = step.first,
            let name = scalar(keyNode)
        else {
            collector.error(node, "a step is one key: \(PipelineLoader.stepNames.joined(separator: ", "))")
            return nil
        }
        switch name {
        case "select":
            guard let fields = scalars(body, "select", collector) else { return nil }
            return SelectStep(fields: fields)
        case "rename":
            guard let pairs = mapping(body, "rename", collector) else { return nil }
            return RenameStep(
                mapping: Dictionary(
                    pairs.compactMap { key, value in scalar(key).flatMap { old in scalar(value).map { (old, $0) } } },
                    uniquingKeysWith: { first, _ in first }))
        case "derive": return deriveStep(body, collector)
        case "filter": return filterStep(body, collector)
        case "cast", "validate":
            guard let schema else { collector.error(keyNode, "\(name) needs the pipeline's schema"); return nil }
            return schemaStep(name, body, schema: schema, collector)
        case "head":
            guard let count = integer(body, "head", minimum: 0, collector) else { return nil }
            return HeadStep(count: count)
        case "dedupe": return dedupeStep(body, collector)
        // Row steps (PipelineLoader+RowSteps.swift): one record into one or several.
        case "unpivot": return unpivotStep(body, collector)
        case "split": return splitStep(body, collector)
        case "explode": return explodeStep(body, collector)
        case "replace": return replaceStep(body, collector)
        case "map": return mapStep(body, collector)
        case "trim": return trimStep(body, collector)
        case "fill_down": return fillDownStep(body, collector)
        case "slice": return sliceStep(body, collector)
        // Table steps (PipelineLoader+TableSteps.swift): they need every record first.
        case "sort": return sortStep(body, collector)
        case "aggregate": return aggregateStep(body, collector)
        case "pivot": return pivotStep(body, collector)
        // Across resources and code lists (PipelineLoader+Join.swift).
        case "join": return joinStep(body, collector)
        default:
            let hint = suggestion(for: name, among: PipelineLoader.stepNames).map { "; did you mean '\($0)'?" } ?? ""
            collector.error(keyNode, "unknown step '\(name)'\(hint)")
            return nil
        }
    }

    /// `derive: {field: {value|copy|concat|source: …}}`; an unknown rule is reported and left out.
    func deriveStep(_ body: Node, _ collector: Collector) -> DeriveStep? {
        guard let pairs = mapping(body, "derive", collector) else { return nil }
        var rules: [(field: String, rule: DeriveStep.Rule)] = []
        for (key, ruleNode) in pairs {
            guard let field = scalar(key), let rule = mapping(ruleNode, "derive rule", collector),
                let (kind, argument) = rule.first
            else { continue }
            switch scalar(kind) {
            case "value": rules.append((field, .constant(scalar(argument) ?? "")))
            case "copy": rules.append((field, .copy(scalar(argument) ?? "")))
            case "concat":
                if let parts = scalars(argument, "concat", collector) { rules.append((field, .concat(parts))) }
            case "source": rules.append((field, .source(scalar(argument) ?? "file")))
            default: collector.error(kind, "unknown derive rule '\(scalar(kind) ?? "")' (value, copy, concat, source)")
            }
        }
        return DeriveStep(rules: rules)
    }

    /// `filter: {field: {comparison: operand}}`; an unknown comparison is reported (with a
    /// did-you-mean) and left out.
    func filterStep(_ body: Node, _ collector: Collector) -> FilterStep? {
        guard let pairs = mapping(body, "filter", collector) else { return nil }
        var conditions: [(field: String, condition: FilterStep.Condition)] = []
        for (key, conditionNode) in pairs {
            guard let field = scalar(key), let condition = mapping(conditionNode, "filter condition", collector),
                let (opNode, operand) = condition.first, let op = scalar(opNode)
            else { continue }
            switch op {
            case "eq", "ne", "lt", "le", "gt", "ge": conditions.append((field, .compare(op, scalar(operand) ?? "")))
            case "in":
                if let options = scalars(operand, "in", collector) { conditions.append((field, .oneOf(options))) }
            case "not_empty": conditions.append((field, .notEmpty))
            default:
                let hint =
                    suggestion(for: op, among: ["eq", "ne", "lt", "le", "gt", "ge", "in", "not_empty"]).map {
                        "; did you mean '\($0)'?"
                    } ?? ""
                collector.error(opNode, "unknown comparison '\(op)'\(hint)")
            }
        }
        return FilterStep(conditions: conditions)
    }

    /// `cast` or `validate` against the pipeline's schema, with `on_error: {field: fail|reject|null}`.
    func schemaStep(_ name: String, _ body: Node, schema: TableSchema, _ collector: Collector) -> SchemaStep {
        var onError: [String: SchemaStep.OnError] = [:]
        if let options = mapping(body, name, collector),
            let policies = value(options, "on_error").flatMap({ mapping($0, "on_error", collector) })
        {
            for (field, policy) in policies {
                guard let fieldName = scalar(field),
                    let parsed = scalar(policy).flatMap(SchemaStep.OnError.init(rawValue:))
                else {
                    collector.error(policy, "on_error takes fail, reject or null")
                    continue
                }
                onError[fieldName] = parsed
            }
        }
        return SchemaStep(schema: schema, converts: name == "cast", onError: onError)
    }

    /// `dedupe: {key: field}` or `{key: [fields]}`.
    func dedupeStep(_ body: Node, _ collector: Collector) -> DedupeStep? {
        guard let options = mapping(body, "dedupe", collector), let keyNode = value(options, "key") else {
            collector.error(body, "dedupe takes {key: [fields]}")
            return nil
        }
        if let field = scalar(keyNode) { return DedupeStep(key: [field]) }
        guard let fields = scalars(keyNode, "dedupe key", collector) else { return nil }
        return DedupeStep(key: fields)
    }
}
