import PublicaCore
import PublicaJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes rejected records as NDJSON, one line each: the raw record, where it was, and why.
///
/// `{"source":"a.csv","line":7,"endLine":7,"recordNumber":6,"field":null,"rule":"field-count",
/// "message":"expected 3 fields, found 4","raw":["1","2","3","4"]}`. The raw record is an
/// object when its values match the field names one to one, else an array. The file is
/// created only when something is rejected; a run with no rejects removes the one an
/// earlier run left, so the rejects beside an output always belong to it. With a
/// ``Publication``, the file (or the removal of a stale one) is published with the output.
public struct RejectsWriter {
    /// Where the rejects file is published (`-` for standard output).
    public let path: String
    private let publication: Publication?
    /// Whether a run without rejects removes the file an earlier run left (false where the
    /// path is only a default the user never named, such as `<resource>.rejects.ndjson` in the
    /// working directory of a conversion to standard output).
    public var removesStale = true
    private var output: OutputBuffer?
    /// Rejections written so far.
    public private(set) var count = 0
    /// The rejections grouped by rule and field, for the run report.
    public private(set) var tally = RejectTally()

    /// A writer for `path`; the file is created only at the first rejection.
    public init(path: String, publication: Publication? = nil) {
        self.path = path
        self.publication = publication
    }

    /// Writes one rejection as an NDJSON line (creating the file at the first one).
    public mutating func write(_ rejection: Rejection) throws {
        if output == nil { output = OutputBuffer(file: try OutputFile(path: path, publication: publication)) }
        count += 1
        tally.add(rejection)
        var line: [UInt8] = []
        line.append(contentsOf: "{\"source\":".utf8)
        JSONEscaping.appendQuoted(rejection.provenance.source, to: &line)
        line.append(
            contentsOf: ",\"line\":\(rejection.provenance.line),\"endLine\":\(rejection.provenance.endLine)".utf8)
        line.append(contentsOf: ",\"recordNumber\":\(rejection.provenance.recordNumber),\"field\":".utf8)
        JSONText.append(rejection.field.map { .text($0) } ?? .null, to: &line)
        line.append(contentsOf: ",\"rule\":".utf8)
        JSONEscaping.appendQuoted(rejection.rule, to: &line)
        line.append(contentsOf: ",\"message\":".utf8)
        JSONEscaping.appendQuoted(rejection.message, to: &line)
        line.append(contentsOf: ",\"raw\":".utf8)
        let raw: FieldValue
        if let names = rejection.fieldNames, names.count == rejection.rawValues.count {
            raw = .object(zip(names, rejection.rawValues).map { (key: $0, value: FieldValue.text($1)) })
        } else {
            raw = .list(rejection.rawValues.map { .text($0) })
        }
        JSONText.append(raw, to: &line)
        line.append(contentsOf: "}\n".utf8)
        try output!.append(line)
    }

    /// Publishes the rejects file, or removes a stale one when nothing was rejected.
    public mutating func finish() throws {
        if var output {
            try output.commitFile()
        } else if path != "-" {
            OutputFile.removeStaleTemporaries(besides: path)
            guard removesStale else { return }
            if let publication { publication.remove(path) } else { unlink(path) }
        }
    }
}
