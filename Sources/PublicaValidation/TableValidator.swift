import PublicaCore
import PublicaIngest
import PublicaJSON

/// Validates a table against a Table Schema, streaming, and reports every problem the way
/// Frictionless does: header (`blank-label`, `duplicate-label`, `missing-label`, `extra-label`,
/// `incorrect-label`), rows (`blank-row`, `missing-cell`, `extra-cell`), cells (`type-error`,
/// `constraint-error`, `unique-error`), keys (`primary-key`, `foreign-key`) and the source
/// (`encoding-error`, `source-error`).
///
/// Memory grows only with what uniqueness and keys require (one entry per distinct value of a
/// unique field or key), and with a ``keyBudget`` stays within it: past half of it the keys
/// spill, the later rows' keys and errors are held, and the repeats are found at the end; the
/// errors are reported in the same order either way.
public struct TableValidator {
    /// How a CSV is read (dialect, header row, encoding), also for inferring a missing schema. The
    /// init sets `fieldCountPolicy` to `.keep` and `skipBlankLines` to false, so ragged and blank
    /// rows reach the checks (`extra-cell`, `missing-cell`, `blank-row`); options assigned later
    /// should keep both.
    public var readOptions: CSVReadOptions
    /// Stop after this many errors (a warning says so); nil for no limit.
    public var errorLimit: Int?
    /// Where errors go as they are found; nil to collect them in the task.
    public var errorSink: (any ValidationErrorSink)?
    /// The memory unique values and primary keys may take before they spill (`--memory`); nil
    /// keeps them all in memory.
    public var keyBudget: KeyBudget?

    /// A validator reading CSV by `readOptions` (ragged and blank rows kept, see ``readOptions``)
    /// that stops after `errorLimit` errors (nil: no limit) and sends errors to `errorSink` as it
    /// finds them (nil: they are collected in the task).
    public init(
        readOptions: CSVReadOptions = CSVReadOptions(), errorLimit: Int? = nil,
        errorSink: (any ValidationErrorSink)? = nil
    ) {
        var options = readOptions
        options.fieldCountPolicy = .keep
        options.skipBlankLines = false
        self.readOptions = options
        self.errorLimit = errorLimit
        self.errorSink = errorSink
    }

    /// Key values a foreign key needs: filled while validating, checked after every table is read.
    public struct KeyCollector {
        /// Fields whose value tuples to keep (a referenced key), by field names.
        public var wanted: [[String]] = []
        /// The value tuples found for each wanted field list, as text, by field names; each table
        /// validated with this collector adds its own.
        public var keys: [[String]: Set<[String]>] = [:]
        /// Foreign key tuples with their row numbers, by the foreign key's index.
        public var references: [Int: [(row: Int, values: [String])]] = [:]
        /// A collector that wants no keys and holds none.
        public init() {}
    }

    /// Validates the CSV at `path`. Without a schema, one is inferred from the whole file first
    /// (as Frictionless does), so structural errors are found in any table.
    ///
    /// With an ``errorSink`` the errors go to it as they are found (the task keeps none, only
    /// their count); without one they are collected in the task.
    ///
    /// - Throws: when a termination signal arrives (see `Termination`), or the sink's error.
    public func validate(path: String, name: String, schema given: TableSchema?, keys: inout KeyCollector) throws
        -> ValidationTask
    {
        try validate(
            name: name, place: path, keys: &keys,
            schema: { try given ?? SchemaInference(readOptions: readOptions).infer(path: path) },
            rows: { schema, state, task, begun in
                try validateRows(
                    path: path, schema: schema, given: given != nil, state: &state, task: &task, begun: &begun)
            })
    }

    /// Validates the records of a source other than CSV (NDJSON, JSON, XML, a bulletin's
    /// resource), which `open` opens (twice without a schema: the first read infers one). Each
    /// value is checked as the text a CSV cell would hold (`textValue`: numbers as written,
    /// `true`/`false`, ISO dates; null is a missing value).
    public func validate(
        opening open: () throws -> any RecordSource, name: String, place: String, schema given: TableSchema?,
        keys: inout KeyCollector
    ) throws -> ValidationTask {
        try validate(
            name: name, place: place, keys: &keys,
            schema: { try given ?? SchemaInference(readOptions: readOptions).infer(source: try open()) },
            rows: { schema, state, task, begun in
                try validateRecords(
                    try open(), schema: schema, given: given != nil, state: &state, task: &task, begun: &begun)
            })
    }

    private func validate(
        name: String, place: String, keys: inout KeyCollector, schema: () throws -> TableSchema,
        rows: (TableSchema, inout RowState, inout ValidationTask, inout Bool) throws -> Void
    ) throws -> ValidationTask {
        var task = ValidationTask(name: name, place: place)
        var begun = false
        var state: RowState?
        do {
            let schema = try schema()
            state = RowState(schema: schema, wanted: keys.wanted)
            try rows(schema, &state!, &task, &begun)
            // A signal during the last rows: their verdict may rest on a match it cut short.
            try Termination.check()
        } catch is StopReading {
        } catch let failure as SinkFailure {
            throw failure.underlying
        } catch  where Termination.signal != nil {
            throw error
        } catch {
            // The rows read before the failure come first, with the repeats among them.
            try finishSpill(&state, &task, begun: &begun)
            task.errors.append(sourceError(error))
        }
        try finishSpill(&state, &task, begun: &begun)
        if let errorLimit, task.errorCount >= errorLimit {
            task.errors = Array(task.errors.prefix(max(0, errorLimit - task.streamedErrors)))
            task.warnings.append("reached error limit: \(errorLimit)")
        }
        try flush(&task, begun: &begun)
        if let state {
            for (fields, values) in state.collected { keys.keys[fields, default: []].formUnion(values) }
            for (index, tuples) in state.references { keys.references[index, default: []].append(contentsOf: tuples) }
        }
        return task
    }

    /// The read stopped at the error limit.
    private struct StopReading: Error {}
    /// A failure of the run itself (the error sink, a spill file), kept apart from the source's errors.
    private struct SinkFailure: Error { let underlying: any Error }

    private func validateRows(
        path: String, schema: TableSchema, given: Bool, state: inout RowState,
        task: inout ValidationTask, begun: inout Bool
    ) throws {
        let reader = try CSVReader(path: path, options: readOptions)
        let labels = reader.schema.originalLabels
        guard try beginRows(labels, schema: schema, given: given, task: &task, begun: &begun) else { return }
        let fast = FastRowCheck(schema: schema, state: state)
        // The header's last line, as read (`header_row: auto` finds it); taken before the loop,
        // which holds the reader.
        let headerEnd = reader.options.headerRow + reader.options.headerRows - 1
        let spillPast = keyBudget.map { $0.bytes / 2 } ?? .max
        try reader.forEach(
            raw: { raw in
                try TableValidator.countRow(&task)
                let row = raw.provenance.recordNumber + headerEnd
                if let fast, fast.isValid(raw, keys: &state.keys) {
                    if state.spill != nil || state.keys.estimatedBytes > spillPast {
                        try afterRow(row, &state, &task, errorsFrom: task.errors.count)
                    }
                    return
                }
                let start = task.errors.count
                _ = TableValidator.checkRow(raw.stringValues, row: row, schema: schema, state: &state, into: &task)
                try afterRow(row, &state, &task, errorsFrom: start)
                try endRow(&task, begun: &begun, held: state.spill?.heldErrors ?? 0)
            }, record: { _ in }, onReject: { _ in })
    }

    /// The records of a non-CSV source, row by row (the header is row 1, as for CSV).
    private func validateRecords(
        _ opened: any RecordSource, schema: TableSchema, given: Bool, state: inout RowState,
        task: inout ValidationTask, begun: inout Bool
    ) throws {
        var source = opened
        let labels = source.schema.originalLabels
        guard try beginRows(labels, schema: schema, given: given, task: &task, begun: &begun) else { return }
        func check(_ cells: [String], row: Int) throws {
            try TableValidator.countRow(&task)
            let start = task.errors.count
            _ = TableValidator.checkRow(cells, row: row, schema: schema, state: &state, into: &task)
            try afterRow(row, &state, &task, errorsFrom: start)
            try endRow(&task, begun: &begun, held: state.spill?.heldErrors ?? 0)
        }
        try source.forEach(
            raw: { raw in try check(raw.stringValues, row: raw.provenance.recordNumber + 1) },
            record: { record in
                try check(record.values.map { $0.textValue ?? "" }, row: record.provenance.recordNumber + 1)
            },
            onReject: { rejection in
                // A record the reader could not make (an XML record past the field list): reported, not lost.
                try TableValidator.countRow(&task)
                let start = task.errors.count
                task.errors.append(
                    ValidationError(
                        type: "source-error", message: rejection.message, note: rejection.rule,
                        rowNumber: rejection.provenance.recordNumber + 1))
                try afterRow(rejection.provenance.recordNumber + 1, &state, &task, errorsFrom: start)
                try endRow(&task, begun: &begun, held: state.spill?.heldErrors ?? 0)
            })
    }

    /// The header, whatever the format: labels recorded and checked. False when there is
    /// nothing more to read (an empty source, or the error limit reached on the labels).
    private func beginRows(
        _ labels: [String], schema: TableSchema, given: Bool, task: inout ValidationTask,
        begun: inout Bool
    ) throws -> Bool {
        task.labels = labels
        task.fields = schema.fields.count
        if labels.isEmpty {
            task.errors.append(
                ValidationError(
                    type: "source-error", message: "The data source has not supported or has inconsistent contents",
                    note: "the source is empty"))
            return false
        }
        checkLabels(labels, schema: schema, given: given, into: &task)
        try flush(&task, begun: &begun)
        return !limitReached(task)
    }

    /// Counts a row; cheap (one load), so a SIGTERM stops a long validation within a few thousand rows.
    private static func countRow(_ task: inout ValidationTask) throws {
        task.rows += 1
        if task.rows & 1023 == 0 { try Termination.check() }
    }

    /// A row's errors go to the sink; the error limit stops the read. After a termination signal
    /// none do: a pattern match cut short by it answers no match, which is no finding.
    private func endRow(_ task: inout ValidationTask, begun: inout Bool, held: Int) throws {
        if !task.errors.isEmpty { try Termination.check() }
        try flush(&task, begun: &begun)
        if limitReached(task, held: held) { throw StopReading() }
    }

    /// After a row's check: past the budget the keys spill; once they have, the row's keys and
    /// errors (from `start` in the task's) are held until ``finishSpill(_:_:begun:)``.
    private func afterRow(_ row: Int, _ state: inout RowState, _ task: inout ValidationTask, errorsFrom start: Int)
        throws
    {
        // A spill file that cannot be written (a full disk) is the run's failure, not the table's.
        do {
            if let spill = state.spill {
                try spill.hold(row: row, rows: task.rows, keys: state.keys.recordKeys, errors: task.errors[start...])
                task.errors.removeSubrange(start...)
                state.keys.beginRecord()
            } else if let keyBudget, state.keys.estimatedBytes > keyBudget.bytes / 2 {
                state.spill = try RowKeySpill(budget: keyBudget, memory: &state.keys, fields: state.fields)
            }
        } catch {
            throw SinkFailure(underlying: error)
        }
    }

    /// The errors held since the keys spilled, with the repeats found now, in row order, up to
    /// the error limit; reaching it there, the rows read are those up to its row, as without a spill.
    private func finishSpill(_ state: inout RowState?, _ task: inout ValidationTask, begun: inout Bool) throws {
        guard let spill = state?.spill else { return }
        state?.spill = nil
        var full = false
        do {
            try spill.finish { error, rows in
                guard !full else { return }
                task.errors.append(error)
                if let errorLimit, task.errorCount >= errorLimit {
                    task.rows = rows
                    full = true
                }
                if task.errors.count >= 1024 { try flush(&task, begun: &begun) }
            }
        } catch let failure as SinkFailure {
            throw failure.underlying
        }
    }

    /// Hands the task's new errors to the sink (up to the limit), if there is one.
    private func flush(_ task: inout ValidationTask, begun: inout Bool) throws {
        guard let errorSink, !(begun && task.errors.isEmpty) else { return }
        do {
            if !begun {
                try errorSink.begin(task)
                begun = true
            }
            let room = errorLimit.map { max(0, $0 - task.streamedErrors) } ?? task.errors.count
            for error in task.errors.prefix(room) { try errorSink.receive(error) }
            task.streamedErrors += min(room, task.errors.count)
        } catch {
            throw SinkFailure(underlying: error)
        }
        task.errors.removeAll(keepingCapacity: true)
    }

    /// Whether the errors found, `held` ones included, reach the limit.
    private func limitReached(_ task: ValidationTask, held: Int = 0) -> Bool {
        guard let errorLimit else { return false }
        return task.errorCount + held >= errorLimit
    }

    private func sourceError(_ error: any Error) -> ValidationError {
        if let error = error as? PublicaError {
            let type = error.kind == .encoding ? "encoding-error" : "source-error"
            return ValidationError(type: type, message: error.description, note: error.message)
        }
        return ValidationError(type: "source-error", message: "\(error)", note: "\(error)")
    }

    // MARK: - Header

    private func checkLabels(_ labels: [String], schema: TableSchema, given: Bool, into task: inout ValidationTask) {
        var seen = Set<String>()
        for (index, label) in labels.enumerated() {
            let trimmed = label.trimmingSpaces
            if trimmed.isEmpty {
                task.errors.append(
                    ValidationError(
                        type: "blank-label",
                        message: "Label in the header in field at position \"\(index + 1)\" is blank",
                        fieldNumber: index + 1, fieldName: fieldName(schema, index)))
            } else if seen.contains(trimmed) {
                task.errors.append(
                    ValidationError(
                        type: "duplicate-label",
                        message: "Label \"\(label)\" in the header at position \"\(index + 1)\" is duplicated",
                        fieldNumber: index + 1, fieldName: fieldName(schema, index)))
            } else if given, index < schema.fields.count, trimmed != schema.fields[index].name {
                task.errors.append(
                    ValidationError(
                        type: "incorrect-label",
                        message:
                            "Label \"\(label)\" in field \(schema.fields[index].name) at position \"\(index + 1)\" does not match the field name in the schema",
                        fieldNumber: index + 1, fieldName: schema.fields[index].name))
            }
            seen.insert(trimmed)
        }
        guard given else { return }
        for index in labels.count..<max(labels.count, schema.fields.count) {
            task.errors.append(
                ValidationError(
                    type: "missing-label",
                    message:
                        "There is a missing label in the header's field \"\(schema.fields[index].name)\" at position \"\(index + 1)\"",
                    fieldNumber: index + 1, fieldName: schema.fields[index].name))
        }
        for index in schema.fields.count..<max(labels.count, schema.fields.count) {
            task.errors.append(
                ValidationError(
                    type: "extra-label",
                    message: "There is an extra label \"\(labels[index])\" in header at position \"\(index + 1)\"",
                    fieldNumber: index + 1))
        }
    }

    private func fieldName(_ schema: TableSchema, _ index: Int) -> String? {
        index < schema.fields.count ? schema.fields[index].name : nil
    }

    // MARK: - Rows

    /// What uniqueness and keys remember across rows.
    struct RowState {
        /// The unique fields' values and the primary keys seen, as bytes.
        var keys: KeyMemory
        /// The keys and the errors held once the keys outgrew the validator's ``keyBudget``.
        var spill: RowKeySpill?
        var primaryKeyIndices: [Int]
        var collected: [[String]: Set<[String]>] = [:]
        var wanted: [(fields: [String], indices: [Int])]
        var foreignKeys: [(index: Int, indices: [Int])]
        var references: [Int: [(row: Int, values: [String])]] = [:]

        /// The fields as references, so the per-cell loop does not copy each field's strings and arrays.
        let fields: [FieldBox]

        init(schema: TableSchema, wanted: [[String]]) {
            fields = schema.fields.map(FieldBox.init)
            keys = KeyMemory(fields: schema.fields.count)
            let position = Dictionary(
                schema.fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
            primaryKeyIndices = schema.primaryKey.compactMap { position[$0] }
            self.wanted = wanted.compactMap { fields in
                let indices = fields.compactMap { position[$0] }
                return indices.count == fields.count ? (fields, indices) : nil
            }
            foreignKeys = schema.foreignKeys.enumerated().compactMap { index, key in
                let indices = key.fields.compactMap { position[$0] }
                return indices.count == key.fields.count ? (index, indices) : nil
            }
        }
    }

    /// Checks one row's cells, appends its errors to `task` and returns the typed values.
    static func checkRow(
        _ cells: [String], row: Int, schema: TableSchema, state: inout RowState,
        into task: inout ValidationTask
    ) -> [FieldValue] {
        if cells.allSatisfy(\.isEmpty) {
            task.errors.append(
                ValidationError(
                    type: "blank-row", message: "Row at position \"\(row)\" is completely blank", rowNumber: row))
            if !state.primaryKeyIndices.isEmpty {
                task.errors.append(
                    ValidationError(
                        type: "primary-key",
                        message: "Row at position \"\(row)\" violates the primary key: all key cells are empty",
                        rowNumber: row))
            }
            return []
        }
        let fields = schema.fields
        for index in fields.count..<max(fields.count, cells.count) {
            task.errors.append(
                ValidationError(
                    type: "extra-cell",
                    message: "Row at position \"\(row)\" has an extra value in field at position \"\(index + 1)\"",
                    rowNumber: row, fieldNumber: index + 1, cell: cells[index]))
        }
        var typed = [FieldValue](repeating: .null, count: fields.count)
        for index in fields.indices {
            let field = state.fields[index]
            guard index < cells.count else {
                task.errors.append(
                    ValidationError(
                        type: "missing-cell",
                        message:
                            "Row at position \"\(row)\" has a missing cell in field \"\(field.name)\" at position \"\(index + 1)\"",
                        rowNumber: row, fieldNumber: index + 1, fieldName: field.name, cell: ""))
                continue
            }
            let text = cells[index]
            if field.missingValues.contains(text) {
                if field.constraints.required {
                    task.errors.append(constraintError("\"required\" is \"True\"", row, index, field.field, text))
                }
                continue
            }
            guard let value = ValueCaster.cast(text, field: field.field) else {
                task.errors.append(
                    ValidationError(
                        type: "type-error",
                        message:
                            "Type error in the cell \"\(text)\" in row \"\(row)\" and field \"\(field.name)\" at position \"\(index + 1)\": type is \"\(field.field.type.rawValue)/\(field.field.format)\"",
                        note: "type is \"\(field.field.type.rawValue)/\(field.field.format)\"",
                        rowNumber: row, fieldNumber: index + 1, fieldName: field.name, cell: text))
                continue
            }
            typed[index] = value
            checkConstraints(value, text: text, field: field, row: row, index: index, into: &task)
            if field.constraints.unique {
                let inserted: Bool
                if case .integer(let number) = value {
                    inserted = state.keys.insert(field: index, .integer(number), cell: text)
                } else {
                    var keyText = value.textValue ?? text
                    inserted = keyText.withUTF8 { state.keys.insert(field: index, .text($0), cell: text) }
                }
                if !inserted {
                    task.errors.append(
                        ValidationError(
                            type: "unique-error",
                            message:
                                "Row at position \"\(row)\" has unique constraint violation in field \"\(field.name)\" at position \"\(index + 1)\"",
                            note: "the same as in the row at an earlier position", rowNumber: row,
                            fieldNumber: index + 1, fieldName: field.name, cell: text))
                }
            }
        }
        if !state.primaryKeyIndices.isEmpty {
            let hasNull = state.primaryKeyIndices.contains { typed[$0] == .null }
            if hasNull || !state.keys.insertPrimaryKey(state.primaryKeyIndices.lazy.map { typed[$0].textValue ?? "" }) {
                task.errors.append(
                    ValidationError(
                        type: "primary-key",
                        message:
                            "Row at position \"\(row)\" violates the primary key: \(hasNull ? "a key cell is empty" : "the same as in an earlier row")",
                        rowNumber: row))
            }
        }
        for (fields, indices) in state.wanted {
            state.collected[fields, default: []].insert(indices.map { typed[$0].textValue ?? "" })
        }
        for (keyIndex, indices) in state.foreignKeys where !indices.contains(where: { typed[$0] == .null }) {
            state.references[keyIndex, default: []].append((row, indices.map { typed[$0].textValue ?? "" }))
        }
        return typed
    }

    private static func constraintError(_ note: String, _ row: Int, _ index: Int, _ field: SchemaField, _ text: String)
        -> ValidationError
    {
        ValidationError(
            type: "constraint-error",
            message:
                "The cell \"\(text)\" in row at position \"\(row)\" and field \"\(field.name)\" at position \"\(index + 1)\" does not conform to a constraint: constraint \(note)",
            note: "constraint \(note)", rowNumber: row, fieldNumber: index + 1, fieldName: field.name, cell: text)
    }

    private static func checkConstraints(
        _ value: FieldValue, text: String, field box: FieldBox, row: Int, index: Int,
        into task: inout ValidationTask
    ) {
        let constraints = box.constraints
        guard
            constraints.minLength != nil || constraints.maxLength != nil || constraints.minimum != nil
                || constraints.maximum != nil || constraints.exclusiveMinimum != nil
                || constraints.exclusiveMaximum != nil
                || constraints.pattern != nil || constraints.allowed != nil
        else { return }
        let field = box.field
        func fail(_ note: String) { task.errors.append(constraintError(note, row, index, field, text)) }
        if constraints.minLength != nil || constraints.maxLength != nil {
            let length: Int
            if case .list(let items) = value { length = items.count } else { length = text.count }
            if let minimum = constraints.minLength, length < minimum { fail("\"minLength\" is \"\(minimum)\"") }
            if let maximum = constraints.maxLength, length > maximum { fail("\"maxLength\" is \"\(maximum)\"") }
        }
        if let minimum = constraints.minimum, let order = ValueCaster.compare(value, minimum), order < 0 {
            fail("\"minimum\" is \"\(minimum.textValue ?? "")\"")
        }
        if let maximum = constraints.maximum, let order = ValueCaster.compare(value, maximum), order > 0 {
            fail("\"maximum\" is \"\(maximum.textValue ?? "")\"")
        }
        if let bound = constraints.exclusiveMinimum, let order = ValueCaster.compare(value, bound), order <= 0 {
            fail("\"exclusiveMinimum\" is \"\(bound.textValue ?? "")\"")
        }
        if let bound = constraints.exclusiveMaximum, let order = ValueCaster.compare(value, bound), order >= 0 {
            fail("\"exclusiveMaximum\" is \"\(bound.textValue ?? "")\"")
        }
        if let pattern = constraints.pattern, !pattern.matches(text) { fail("\"pattern\" is \"\(pattern.source)\"") }
        if let allowed = constraints.allowedSet, !allowed.contains(value) { fail(box.enumNote) }
    }
}

/// A schema field behind a reference: one retain per cell instead of a copy of every member.
final class FieldBox {
    let field: SchemaField
    let name: String
    let missingValues: [String]
    let constraints: Constraints
    /// The `enum` constraint's note, worded once: with 100,000 values it is long.
    private(set) lazy var enumNote = "\"enum\" is \"\(constraints.allowed?.compactMap(\.textValue) ?? [])\""

    init(_ field: SchemaField) {
        self.field = field
        name = field.name
        missingValues = field.missingValues
        constraints = field.constraints
    }
}

/// Checks whole rows from their bytes with ``FastCellCheck``, when every field allows it and
/// no key needs remembering; a row it cannot vouch for goes to the full check.
final class FastRowCheck {
    private let cells: [FastCellCheck]
    /// The same checkers, unretained: the per-cell call then costs no reference counting
    /// (`cells` keeps them alive).
    private let unretained: [Unmanaged<FastCellCheck>]
    /// Reused for each row's unique values.
    private var keys: [(Int, UniqueKey)] = []

    init?(schema: TableSchema, state: TableValidator.RowState) {
        guard state.primaryKeyIndices.isEmpty, state.wanted.isEmpty, state.foreignKeys.isEmpty else { return nil }
        var cells: [FastCellCheck] = []
        for field in schema.fields {
            guard let check = FastCellCheck(field) else { return nil }
            cells.append(check)
        }
        self.cells = cells
        unretained = cells.map { Unmanaged.passUnretained($0) }
    }

    /// Checks and types a row in one pass (``FastCellCheck/cast(_:scratch:key:)``), in place; with
    /// `converting` false only missing values change (to null). False when the row needs the
    /// full check; the fields are then half typed, and nothing was remembered.
    func cast(
        _ fields: UnsafeMutableBufferPointer<RawRecord.Field>, scratch: UnsafeMutablePointer<UInt8>, converting: Bool,
        keys memory: inout KeyMemory
    ) -> Bool {
        guard fields.count == cells.count else { return false }
        var scratch = scratch
        var blank = true
        var firstKey: (Int, UniqueKey)?
        var moreKeys = false
        for index in 0..<fields.count {
            let field = fields[index]
            if field.count > 0 { blank = false }
            var key: UniqueKey?
            let valid = unretained[index]._withUnsafeGuaranteedRef { cell in
                if cell.needsContent {
                    // Bytes from inside quotes still hold `""` pairs: the full check reads the text.
                    if field.encoding == .doubledQuotes { return false }
                    if converting { return cell.cast(&fields[index], scratch: &scratch, key: &key) }
                    guard cell.isValid(UnsafeBufferPointer(start: field.start, count: field.count), key: &key) else {
                        return false
                    }
                } else if field.encoding == .doubledQuotes && !cell.typesDoubledQuotes {
                    return false
                }
                if converting {
                    cell.type(&fields[index], scratch: &scratch)
                } else if cell.isMissingValue(field) {
                    fields[index] = .null
                }
                return true
            }
            guard valid else { return false }
            if let key {
                if firstKey == nil { firstKey = (index, key) } else { moreKeys = true }
            }
        }
        guard !blank else { return false }
        guard let firstKey else { return true }
        // A repeated unique value is an error: leave the row to the full check, untouched.
        guard moreKeys else { return memory.insert(field: firstKey.0, firstKey.1, cell: "") }
        keys.removeAll(keepingCapacity: true)
        for index in 0..<fields.count where fields[index].count > 0 {
            var key: UniqueKey?
            _ = unretained[index]._withUnsafeGuaranteedRef { cell in
                cell.unique
                    && cell.isValid(
                        UnsafeBufferPointer(start: fields[index].start, count: fields[index].count), key: &key)
            }
            if let key { keys.append((index, key)) }
        }
        for (index, key) in keys where memory.contains(field: index, key) { return false }
        for (index, key) in keys { _ = memory.insert(field: index, key, cell: "") }
        return true
    }

    /// True when the row is certainly valid; unique values are recorded as the full check would.
    func isValid(_ record: RawRecord, keys memory: inout KeyMemory) -> Bool {
        guard record.fields.count == cells.count else { return false }
        keys.removeAll(keepingCapacity: true)
        var blank = true
        let fields = record.fields
        for index in 0..<fields.count {
            let field = fields[index]
            if field.count > 0 { blank = false }
            var key: UniqueKey?
            let valid = unretained[index]._withUnsafeGuaranteedRef { cell in
                if !cell.needsContent { return true }
                // Bytes from inside quotes still hold `""` pairs: the full check reads the text.
                if field.encoding == .doubledQuotes { return false }
                return cell.isValid(UnsafeBufferPointer(start: field.start, count: field.count), key: &key)
            }
            guard valid else { return false }
            if let key { keys.append((index, key)) }
        }
        guard !blank else { return false }
        // A repeated unique value is an error: leave the row to the full check, untouched.
        func cell(_ index: Int) -> String {
            String(decoding: UnsafeBufferPointer(start: fields[index].start, count: fields[index].count), as: UTF8.self)
        }
        if keys.count == 1 {
            // One hash: a failed insert leaves the set as it was.
            return memory.insert(field: keys[0].0, keys[0].1, cell: cell(keys[0].0))
        }
        for (index, key) in keys where memory.contains(field: index, key) { return false }
        for (index, key) in keys { _ = memory.insert(field: index, key, cell: cell(index)) }
        return true
    }
}
