/// How the user spells the reading options a message tells them to change: command-line flags
/// (`--max-record-size`) or the keys of a pipeline file's source (`max_record_size`).
///
/// Library messages write such an option as `{--max-record-size}`; the caller that knows what
/// the user wrote fills ``PublicaError/naming`` (`publica run` says a pipeline file), and the
/// message shows that spelling. So a pipeline's user is never told about a flag they cannot pass.
public enum OptionNaming: Sendable, Hashable {
    case commandLine
    case pipelineFile

    /// `template` with every `{--flag}` spelled this way.
    public func render(_ template: String) -> String {
        guard template.contains("{--") else { return template }
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstRange(of: "{--"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            result += rest[..<open.lowerBound]
            let flag = rest[open.upperBound..<close]
            result += self == .commandLine ? "--" + flag : String(flag.map { $0 == "-" ? "_" : $0 })
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
