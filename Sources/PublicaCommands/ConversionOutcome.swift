import PublicaCore
import PublicaExport
import PublicaPipeline
import PublicaValidation

/// What a conversion did: the counts that prove no record was lost.
struct ConversionOutcome {
    var written = 0
    var rejected = 0
    /// Left out on purpose by a step (`--filter`, `--head`).
    var dropped = 0
    var counters: [(name: String, value: Int)] = []

    /// The summary line of a text log: `publica: IN -> OUT: 3 records written, …`.
    func summary(input: String, output: String, rejectsPath: String) -> String {
        "publica: " + message(input: input, output: output, rejectsPath: rejectsPath)
    }

    /// The summary as an event's fields: the paths and every count, by name.
    func fields(input: String, output: String, rejectsPath: String) -> [(String, FieldValue)] {
        var fields: [(String, FieldValue)] = [
            ("input", .text(input)), ("output", .text(output)), ("written", .integer(Int64(written))),
            ("rejected", .integer(Int64(rejected))), ("dropped", .integer(Int64(dropped)))
        ]
        if rejected > 0 { fields.append(("rejects", .text(rejectsPath))) }
        for counter in counters where counter.name != "rows" && counter.name != "rejected" {
            fields.append((counter.name, .integer(Int64(counter.value))))
        }
        return fields
    }

    /// The summary's words: `IN -> OUT: 3 records written, 1 rejected (see REJECTS); …`.
    func message(input: String, output: String, rejectsPath: String) -> String {
        var text = "\(input) -> \(output): \(counted(written, "record")) written"
        if rejected > 0 { text += ", \(rejected) rejected (see \(rejectsPath))" }
        if dropped > 0 { text += ", \(dropped) left out by --filter or --head" }
        let extra = counters.filter { $0.name != "rows" && $0.name != "rejected" }
        var parts = extra.filter { !$0.name.hasPrefix("paging ") }.map { counter in
            "\(counter.value) "
                + (counter.value == 1 && counter.name.hasSuffix("s") ? String(counter.name.dropLast()) : counter.name)
        }
        let paging = extra.filter { $0.name.hasPrefix("paging ") }.map {
            "\($0.name.dropFirst("paging ".count)) \($0.value)"
        }
        if !paging.isEmpty { parts.append("paging: " + paging.joined(separator: ", ")) }
        if !parts.isEmpty { text += "; " + parts.joined(separator: ", ") }
        return text
    }
}

/// `1 record`, `2 records`.
func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
