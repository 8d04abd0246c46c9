import PublicaCore
import PublicaJSON

/// What a row step does with a value it cannot use (`split` that does not fit, `map` of an
/// unknown code): `reject` sends the record to the rejects file, `null` sets the target to null,
/// `fail` stops the run with a data error at the record's place.
public enum RowStepOnError: String, Sendable {
    /// Stops the run with a data error at the record's line and field.
    case fail
    /// Sends the record to the rejects file with the step's rule and a message.
    case reject
    /// Sets the target fields to null and keeps the record.
    case null
}

extension Record {
    /// The record rejected by `rule` for `field`: its values as text, with the stream's field names.
    func rejection(fieldNames: [String], field: String, rule: String, message: String) -> Rejection {
        Rejection(
            rawValues: values.map { $0.textValue ?? "" }, fieldNames: fieldNames, provenance: provenance,
            field: field, rule: rule, message: message)
    }

    /// The data error that stops a run (`on_error: fail`), at the record's line and `field`.
    func failure(_ message: String, field: String) -> PublicaError {
        PublicaError(
            .data, message, at: SourceLocation(file: provenance.source, line: provenance.line, field: field))
    }

    /// The value at `index`, null where a short record has none.
    @inline(__always)
    func value(at index: Int) -> FieldValue { index < values.count ? values[index] : .null }
}

extension String {
    /// The parts between occurrences of `separator` (not empty), at most `maxSplits` cuts, the
    /// rest staying in the last part. Cut on UTF-8 bytes: a separator that is valid UTF-8 only
    /// ever matches on scalar boundaries, and no grapheme rules apply.
    func parts(separatedBy separator: [UInt8], maxSplits: Int = .max) -> [Substring] {
        let bytes = utf8
        var parts: [Substring] = []
        var start = bytes.startIndex
        var index = start
        var cuts = 0
        while index != bytes.endIndex && cuts < maxSplits {
            if bytes[index...].starts(with: separator) {
                parts.append(self[start..<index])
                index = bytes.index(index, offsetBy: separator.count)
                start = index
                cuts += 1
            } else {
                index = bytes.index(after: index)
            }
        }
        parts.append(self[start...])
        return parts
    }
}

extension String {
    /// The text as a message quotes it: at most 80 characters, then `…`.
    var excerpt: String { count <= 80 ? self : prefix(80) + "…" }
}
