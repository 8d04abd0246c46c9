import PublicaCore
import PublicaJSON

/// What the XML mappers hand to the record source, in document order.
enum XMLOutput {
    case record(Record)
    case rejection(Rejection)
}

/// The fields met so far, in order of first appearance; fixed once the sample is read.
struct FieldTable {
    private(set) var names: [String] = []
    private var indices: [String: Int] = [:]
    /// Once frozen, a new name is not added: the record holding it is rejected.
    var isFrozen = false
    /// The most names the table takes (``ReadLimits/maxFields``): every record is padded to the
    /// table's width, so records that each bring new fields would otherwise grow the output as
    /// records × fields.
    var limit = Int.max
    /// The first name refused because the table was full; the parser stops on it.
    private(set) var overflow: String?

    /// The index of `name`, adding it while the table is open; nil for a new name once frozen or full.
    mutating func index(of name: String) -> Int? {
        if let index = indices[name] { return index }
        guard !isFrozen else { return nil }
        guard names.count < limit else {
            if overflow == nil { overflow = name }
            return nil
        }
        indices[name] = names.count
        // A blank name (an SDMX concept with an empty id) is named by position, as in a CSV header.
        names.append(name.isEmpty ? "field_\(names.count + 1)" : name)
        return names.count - 1
    }
}

/// One record being built from XML events: values by field index, repeats kept as lists.
struct RecordAssembly {
    private var values: [FieldValue] = []
    private var touched: [Int] = []
    private var unknownField: String?
    private(set) var line = 0
    private(set) var recordsStarted = 0

    mutating func begin(line: Int) {
        for index in touched { values[index] = .null }
        touched.removeAll(keepingCapacity: true)
        unknownField = nil
        self.line = line
        recordsStarted += 1
    }

    /// Sets a field; a second value for the same field makes a list.
    mutating func set(_ name: String, index: Int?, _ value: FieldValue) {
        guard let index else {
            if unknownField == nil { unknownField = name }
            return
        }
        if index >= values.count { values.append(contentsOf: repeatElement(.null, count: index - values.count + 1)) }
        switch values[index] {
        case .null:
            values[index] = value
            touched.append(index)
        case .list(var items):
            items.append(value)
            values[index] = .list(items)
        case let first:
            values[index] = .list([first, value])
        }
    }

    /// The finished record, or its rejection when it held a field the frozen table lacks.
    func finish(fields: FieldTable, source: String, endLine: Int) -> XMLOutput {
        var row = Array(values.prefix(fields.names.count))
        if row.count < fields.names.count {
            row.append(contentsOf: repeatElement(.null, count: fields.names.count - row.count))
        }
        let provenance = Provenance(source: source, line: line, endLine: endLine, recordNumber: recordsStarted)
        guard let unknownField else { return .record(Record(values: row, provenance: provenance)) }
        return .rejection(
            Rejection(
                rawValues: row.map { $0.textValue ?? "" }, fieldNames: fields.names,
                provenance: provenance, field: unknownField, rule: "unknown-field",
                message: "field '\(unknownField)' did not occur in the records read before the field list was fixed"))
    }
}
