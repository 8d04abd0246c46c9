import PublicaCore
import Yams

extension PipelineLoader {
    /// `sort: {by: [F, -G]}` or `{by: F}`; a leading `-` sorts that field descending.
    func sortStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        guard let options = mapping(body, "sort", collector) else { return nil }
        checkKeys(options, known: ["by"], where: "sort", collector)
        guard let byNode = value(options, "by") else {
            collector.error(body, "sort takes {by: [fields]} (a leading '-' for descending)")
            return nil
        }
        guard let names = scalar(byNode).map({ [$0] }) ?? scalars(byNode, "sort by", collector) else { return nil }
        guard !names.isEmpty else {
            collector.error(byNode, "sort by needs at least one field")
            return nil
        }
        var keys: [SortStep.Key] = []
        for name in names {
            let descending = name.hasPrefix("-")
            let field = descending ? String(name.dropFirst()) : name
            guard !field.isEmpty else {
                collector.error(byNode, "sort by: '\(name)' names no field")
                return nil
            }
            keys.append(SortStep.Key(field: field, descending: descending))
        }
        return SortStep(keys: keys)
    }

    /// `aggregate: {by: [fields], fields: {out: {function: field}}}`; `by` may be one field or
    /// left out (one group); an unknown function is reported with a did-you-mean.
    func aggregateStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        guard let options = mapping(body, "aggregate", collector) else { return nil }
        checkKeys(options, known: ["by", "fields"], where: "aggregate", collector)
        var by: [String] = []
        if let byNode = value(options, "by") {
            guard let fields = scalar(byNode).map({ [$0] }) ?? scalars(byNode, "aggregate by", collector) else {
                return nil
            }
            by = fields
        }
        guard let fieldsNode = value(options, "fields"), let pairs = mapping(fieldsNode, "aggregate fields", collector)
        else {
            collector.error(body, "aggregate takes {by: [fields], fields: {name: {count: \"*\"} | {sum: field} | …}}")
            return nil
        }
        guard !pairs.isEmpty else {
            collector.error(fieldsNode, "aggregate fields needs at least one output")
            return nil
        }
        var outputs: [(name: String, function: AggregateFunction)] = []
        for (nameNode, specNode) in pairs {
            guard let name = scalar(nameNode), let function = aggregateFunction(specNode, collector) else { continue }
            outputs.append((name, function))
        }
        return outputs.count == pairs.count ? AggregateStep(by: by, outputs: outputs) : nil
    }

    /// One output's `{function: field}`.
    private func aggregateFunction(_ node: Node, _ collector: Collector) -> AggregateFunction? {
        let known = AggregateFunction.names.joined(separator: ", ")
        guard let spec = mapping(node, "an aggregate output", collector), spec.count == 1,
            let (functionNode, fieldNode) = spec.first, let function = scalar(functionNode)
        else {
            collector.error(node, "an aggregate output is one function and its field: {sum: amount} (\(known))")
            return nil
        }
        guard let field = scalar(fieldNode), !field.isEmpty else {
            collector.error(fieldNode, "\(function) takes a field name")
            return nil
        }
        guard let parsed = AggregateFunction(name: function, field: field) else {
            let hint = suggestion(for: function, among: AggregateFunction.names).map { "; did you mean '\($0)'?" } ?? ""
            collector.error(functionNode, "unknown aggregate function '\(function)' (\(known))\(hint)")
            return nil
        }
        if field == "*" && function != "count" {
            collector.error(fieldNode, "only count takes \"*\"; \(function) takes a field name")
            return nil
        }
        return parsed
    }

    /// `pivot: {index: [fields], key: field, value: field, columns: [names], on_error: reject|fail}`;
    /// `columns` is required (the outgoing shape is needed before the first record).
    func pivotStep(_ body: Node, _ collector: Collector) -> (any PipelineStep)? {
        guard let options = mapping(body, "pivot", collector) else { return nil }
        checkKeys(options, known: ["index", "key", "value", "columns", "on_error"], where: "pivot", collector)
        let usage = "pivot takes {index: [fields], key: field, value: field, columns: [names]}"
        guard let indexNode = value(options, "index"), let keyNode = value(options, "key"),
            let valueNode = value(options, "value")
        else {
            collector.error(body, usage)
            return nil
        }
        guard let columnsNode = value(options, "columns") else {
            collector.error(
                body,
                "pivot needs columns: [names], the key values that become fields (the output's shape is known before its first record)"
            )
            return nil
        }
        guard let index = scalar(indexNode).map({ [$0] }) ?? scalars(indexNode, "pivot index", collector),
            let columns = scalars(columnsNode, "pivot columns", collector)
        else { return nil }
        guard let key = scalar(keyNode), let valueField = scalar(valueNode) else {
            collector.error(body, usage)
            return nil
        }
        guard !columns.isEmpty else {
            collector.error(columnsNode, "pivot columns needs at least one name")
            return nil
        }
        var onError = PivotStep.OnError.reject
        if let node = value(options, "on_error") {
            guard let parsed = scalar(node).flatMap(PivotStep.OnError.init(rawValue:)) else {
                collector.error(node, "pivot on_error takes reject or fail")
                return nil
            }
            onError = parsed
        }
        return PivotStep(index: index, key: key, value: valueField, columns: columns, onError: onError)
    }
}
