import Foundation
import PublicaCore
import PublicaPipeline
import PublicaValidation

/// `convert`'s everyday steps as flags, as Miller and qsv users expect; they apply in this
/// order: `--filter`, `--select`, `--rename`, the `--schema` cast, `--head`.
struct ConvertSteps {
    var filters: [String] = []
    var select: String?
    var rename: String?
    var schema: TableSchema?
    var head: Int?

    /// The pipeline steps the flags describe.
    func steps() throws -> [any PipelineStep] {
        var steps: [any PipelineStep] = []
        if !filters.isEmpty { steps.append(FilterStep(conditions: try filters.map(ConvertSteps.condition))) }
        if let select { steps.append(SelectStep(fields: ConvertSteps.list(select))) }
        if let rename {
            var mapping: [String: String] = [:]
            for pair in ConvertSteps.list(rename) {
                guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex,
                    pair.index(after: equals) != pair.endIndex
                else {
                    throw PublicaError(.usage, "--rename takes OLD=NEW pairs separated by commas, not '\(pair)'")
                }
                mapping[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            steps.append(RenameStep(mapping: mapping))
        }
        if let schema { steps.append(SchemaStep(schema: schema, converts: true)) }
        if let head {
            guard head >= 0 else { throw PublicaError(.usage, "--head takes a count of records (0 or more)") }
            steps.append(HeadStep(count: head))
        }
        return steps
    }

    /// `a, b ,c` → `[a, b, c]`.
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `FIELD=VALUE`, `FIELD!=VALUE`, `FIELD<VALUE`, `<=`, `>`, `>=` (numbers compare as numbers).
    static func condition(_ text: String) throws -> (field: String, condition: FilterStep.Condition) {
        guard let first = text.firstIndex(where: { "!<>=".contains($0) }), first != text.startIndex else {
            throw PublicaError(.usage, "--filter takes FIELD=VALUE (or !=, <, <=, >, >=), not '\(text)'")
        }
        let next = text.index(after: first)
        let twoCharacters = next < text.endIndex && text[next] == "=" && text[first] != "="
        let symbol = twoCharacters ? String(text[first...next]) : String(text[first])
        let names = ["=": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"]
        guard let name = names[symbol] else {
            throw PublicaError(.usage, "--filter: '\(symbol)' is not a comparison (=, !=, <, <=, >, >=)")
        }
        return (
            String(text[..<first]), .compare(name, String(text[(twoCharacters ? text.index(after: next) : next)...]))
        )
    }
}
