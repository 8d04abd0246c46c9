import PublicaCore
import PublicaJSON
import PublicaValidation

/// One stage between the sources and the outputs. Add your own by conforming to this protocol.
///
/// A step sees the stream's shape once (``prepare(_:)``) and then each record, and says what
/// becomes of it: kept (possibly changed), dropped on purpose (a filter, a duplicate), rejected
/// with a reason (it goes to the rejects file), made into several records (`explode`,
/// `unpivot`), or held until the end (`sort`, `aggregate`), when ``finish(_:)`` gives what the
/// step made of the records it held.
public protocol PipelineStep {
    /// The step's name in reports, e.g. `rename`.
    var name: String { get }
    /// Receives the incoming schema, returns the outgoing one.
    mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema
    /// Receives each record and says what becomes of it: kept (possibly changed), dropped, or
    /// rejected with a reason.
    mutating func process(_ record: Record) throws -> StepResult
    /// The fast path: the step applied to a record still in its reader's bytes (typed in place
    /// by a `cast` before it). Returns nil when the step cannot vouch for this record; it must
    /// then have changed nothing, and the engine hands the record to ``process(_:)`` instead.
    /// A rejection always comes from ``process(_:)``, so it is worded in one place. The default
    /// has no fast path.
    mutating func process(raw record: RawRecord) throws -> RawStepResult?
    /// After the last record: the records the step held back (``StepResult/held``), in their
    /// output order, each given to `emit` (which passes it through the later steps at once, so
    /// a step need not keep them all). The default holds nothing and emits nothing.
    mutating func finish(_ emit: (Record) throws -> Void) throws
    /// ``finish(_:)`` for a step whose fast path held records as bytes (``RawStepResult/held``):
    /// each goes to `raw` as bytes (valid during the call) or to `records`, in output order. The
    /// default gives every record to ``finish(_:)``.
    mutating func finish(raw: (RawRecord) throws -> Void, records: (Record) throws -> Void) throws
    /// ``finish(raw:records:)`` for a step that finds only at the end records it must reject (a
    /// pivot's duplicates, a unique check's, once they spilled): each goes to `rejects`, counted
    /// as rejected, in the order given. The default rejects none.
    mutating func finish(
        raw: (RawRecord) throws -> Void, records: (Record) throws -> Void, rejects: (Rejection) throws -> Void
    ) throws
    /// Records the step held and then left out when it finished (a dedupe's later duplicates,
    /// once it spilled): counted as dropped. The default is 0.
    var droppedWhenFinished: Int { get }
}

extension PipelineStep {
    /// No fast path: every record reaches ``process(_:)`` as a `Record`.
    public mutating func process(raw record: RawRecord) throws -> RawStepResult? { nil }
    /// Nothing held, nothing to emit.
    public mutating func finish(_ emit: (Record) throws -> Void) throws {}
    /// None: a step that holds records gives back what it makes of them.
    public var droppedWhenFinished: Int { 0 }
    /// Every held record through ``finish(_:)``.
    public mutating func finish(raw: (RawRecord) throws -> Void, records: (Record) throws -> Void) throws {
        try finish(records)
    }
    /// No rejections at the end: ``finish(raw:records:)``.
    public mutating func finish(
        raw: (RawRecord) throws -> Void, records: (Record) throws -> Void, rejects: (Rejection) throws -> Void
    ) throws {
        try finish(raw: raw, records: records)
    }

    /// ``finish(raw:records:rejects:)`` for a caller that takes records only (``finish(_:)``): a
    /// record rejected at the end has nowhere to go there, so it stops the run at its place
    /// rather than vanish. The engine calls ``finish(raw:records:rejects:)``.
    public mutating func finishFailingOnRejects(_ emit: (Record) throws -> Void, field: String? = nil) throws {
        try finish(
            raw: { try emit($0.makeRecord()) }, records: emit,
            rejects: { throw PublicaError(.data, $0.message, at: $0.provenance.location(field: field ?? $0.field)) })
    }
}

/// What a step's fast path did with a record.
public enum RawStepResult {
    /// Kept; the record may point into the step's own memory until its next call.
    case keep(RawRecord)
    /// Left out on purpose; counted, not rejected.
    case drop
    /// Taken in (its bytes copied) by a step that needs every record first; it comes out of
    /// ``PipelineStep/finish(raw:records:)``.
    case held
    /// Made into these records (one row into k), each valid until the step's next call.
    case many([RawRecord])
}

/// What a step did with a record.
public enum StepResult {
    /// Kept, possibly changed: it goes on to the next step, or to the outputs after the last one.
    case keep(Record)
    /// Left out on purpose (filtered, deduplicated); counted, not rejected.
    case drop
    /// Rejected: the rejection goes to the rejects file and the record goes no further.
    case reject(Rejection)
    /// Made into these records (one row into k), each going on to the next step in order. The
    /// report counts one record in and k out; none out counts as dropped.
    case many([Record])
    /// Taken in by a step that needs every record first (n rows into g groups): what it makes
    /// of them comes out of ``PipelineStep/finish(_:)``.
    case held
}

/// `select: [a, b]`: keeps these fields, in this order.
public struct SelectStep: PipelineStep {
    /// Reported as `select`.
    public let name = "select"
    /// The fields kept, in their output order; each must be in the incoming shape.
    public var fields: [String]
    private var indices: [Int] = []
    private let buffer = FieldBuffer()

    /// A step keeping `fields`, in that order; they are looked up in ``prepare(_:)``.
    public init(fields: [String]) { self.fields = fields }

    /// Checks that every selected field exists; the outgoing shape is the selection, in its order.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        indices = try fields.map { field in
            guard let index = schema.fieldNames.firstIndex(of: field) else {
                throw PublicaError(
                    .usage, "select: no field '\(field)' (fields: \(schema.fieldNames.joined(separator: ", ")))")
            }
            return index
        }
        return RecordSchema(fieldNames: fields)
    }

    /// Picks the selected values out of the record, null where a short record has none.
    public mutating func process(_ record: Record) throws -> StepResult {
        .keep(
            Record(
                values: indices.map { $0 < record.values.count ? record.values[$0] : .null },
                provenance: record.provenance))
    }

    /// The same selection on the bytes, into a buffer the step reuses (the kept record is valid
    /// until its next call); never nil.
    public mutating func process(raw record: RawRecord) throws -> RawStepResult? {
        let selected = buffer.fields(indices.count)
        for (position, index) in indices.enumerated() {
            selected[position] = index < record.fields.count ? record.fields[index] : .null
        }
        return .keep(RawRecord(fields: UnsafeBufferPointer(selected), place: record.place))
    }
}

/// `rename: {old: new}`.
public struct RenameStep: PipelineStep {
    /// Reported as `rename`.
    public let name = "rename"
    /// Old field name to new name; a field not named keeps its own.
    public var mapping: [String: String]

    /// A step renaming by `mapping` (old name to new); the old names are checked in ``prepare(_:)``.
    public init(mapping: [String: String]) { self.mapping = mapping }

    /// Checks that every old name is a field; the outgoing shape is the incoming one with the new
    /// names, in the same positions (a new name that collides is reported by the engine).
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        for old in mapping.keys where !schema.fieldNames.contains(old) {
            throw PublicaError(
                .usage, "rename: no field '\(old)' (fields: \(schema.fieldNames.joined(separator: ", ")))")
        }
        return RecordSchema(
            fieldNames: schema.fieldNames.map { mapping[$0] ?? $0 }, originalLabels: schema.originalLabels)
    }

    /// Nothing to do per record: values keep their positions, only the shape's names change.
    public mutating func process(_ record: Record) throws -> StepResult { .keep(record) }
    /// Passes the record unchanged, as ``process(_:)`` does; never nil.
    public mutating func process(raw record: RawRecord) throws -> RawStepResult? { .keep(record) }
}

/// `derive: {field: {value: x} | {copy: other} | {concat: [a, " ", b]} | {source: file|line}}`.
public struct DeriveStep: PipelineStep {
    /// Where a derived field's value comes from.
    public enum Rule: Sendable, Hashable {
        /// The same text in every record (`value:`).
        case constant(String)
        /// Another field's value, as it is: a typed value stays typed (`copy:`).
        case copy(String)
        /// Field names, or literal text when the name is not a field.
        case concat([String])
        /// Where the record came from (`source:`): `line` for its first line's number (an integer),
        /// anything else (`file`, the default) for its source's name: a path, or `-` for standard input.
        case source(String)
    }

    /// Reported as `derive`.
    public let name = "derive"
    /// The new fields, appended after the incoming ones in this order. Every rule reads the record
    /// as it came in, so a rule cannot read a field derived before it (`concat` takes its name as text).
    public var rules: [(field: String, rule: Rule)]
    private var positions: [String: Int] = [:]

    /// A step appending a field per rule; `copy` sources are checked in ``prepare(_:)``.
    public init(rules: [(field: String, rule: Rule)]) { self.rules = rules }

    /// Checks that every `copy` reads an existing field; the outgoing shape is the incoming one
    /// followed by the derived fields, in rule order.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        positions = Dictionary(schema.fieldNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for (_, rule) in rules {
            if case .copy(let field) = rule, positions[field] == nil {
                throw PublicaError(.usage, "derive: no field '\(field)' to copy")
            }
        }
        return RecordSchema(fieldNames: schema.fieldNames + rules.map(\.field))
    }

    /// Appends each rule's value (`concat` reads a null field as empty text). There is no fast
    /// path: a record read as bytes is made a `Record` before this step.
    public mutating func process(_ record: Record) throws -> StepResult {
        var record = record
        let original = record.values
        for (_, rule) in rules {
            switch rule {
            case .constant(let text): record.values.append(.text(text))
            case .copy(let field): record.values.append(original[positions[field]!])
            case .concat(let parts):
                record.values.append(
                    .text(parts.map { part in positions[part].map { original[$0].textValue ?? "" } ?? part }.joined()))
            case .source(let what):
                record.values.append(
                    what == "line" ? .integer(Int64(record.provenance.line)) : .text(record.provenance.source))
            }
        }
        return .keep(record)
    }
}

/// `filter: {field: {eq|ne|lt|le|gt|ge: value} | {in: [..]} | {not_empty: true}}`: keeps matching records.
public struct FilterStep: PipelineStep {
    /// What a field's value must satisfy. The value is read as its text, as a CSV cell would show
    /// it (null as empty text).
    public enum Condition: Sendable, Hashable {
        /// An operator (`eq`, `ne`, `lt`, `le`, `gt`, `ge`) and its operand, compared as numbers when
        /// both read as decimals (`9` < `10`), else as text (`2024-06-30` < `2024-07-01`).
        case compare(String, String)
        /// Exactly one of these texts (`in:`).
        case oneOf([String])
        /// Neither null nor empty text (`not_empty: true`).
        case notEmpty
    }

    /// Reported as `filter`.
    public let name = "filter"
    /// The conditions a record must all meet to be kept, in order; a field may have several.
    public var conditions: [(field: String, condition: Condition)]
    private var positions: [Int] = []

    /// A step keeping the records that meet every condition; the fields are looked up in ``prepare(_:)``.
    public init(conditions: [(field: String, condition: Condition)]) { self.conditions = conditions }

    /// Checks that every condition's field exists; the shape passes unchanged.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        positions = try conditions.map { field, _ in
            guard let index = schema.fieldNames.firstIndex(of: field) else {
                throw PublicaError(.usage, "filter: no field '\(field)'")
            }
            return index
        }
        return schema
    }

    /// Keeps the record when every condition holds, else drops it (counted, not rejected). There
    /// is no fast path: a record read as bytes is made a `Record` before this step.
    public mutating func process(_ record: Record) throws -> StepResult {
        for (position, (_, condition)) in zip(positions, conditions) {
            let value = record.values[position]
            guard FilterStep.matches(value, condition) else { return .drop }
        }
        return .keep(record)
    }

    static func matches(_ value: FieldValue, _ condition: Condition) -> Bool {
        let text = value.textValue ?? ""
        switch condition {
        case .notEmpty: return !text.isEmpty
        case .oneOf(let options): return options.contains(text)
        case .compare(let op, let operand):
            // Numbers compare as numbers, everything else as text.
            let order: Int
            if let left = ExactDecimal(text), let right = ExactDecimal(operand) {
                order = left < right ? -1 : right < left ? 1 : 0
            } else {
                order = text < operand ? -1 : text > operand ? 1 : 0
            }
            switch op {
            case "eq": return order == 0
            case "ne": return order != 0
            case "lt": return order < 0
            case "le": return order <= 0
            case "gt": return order > 0
            default: return order >= 0
            }
        }
    }
}

/// `cast: {}` types values by the schema and checks it (`converts: false` makes it `validate`, which
/// checks but keeps the values as they were). Failing records are rejected, set to null, or
/// stop the run, per field (`on_error: {field: reject|null|fail}`).
///
/// A schema's `unique` fields and primary key are remembered as bytes within the step's share
/// of the memory budget; past half of it they spill (``UniqueKeySpill``): the records after
/// that are held and decided at the end, with the same verdicts and messages, kept ones in
/// input order (their rejections come after the others in the rejects file).
public struct SchemaStep: SpillingStep {
    /// What a failing field does to its record: `fail` stops the run with a data error at the
    /// record's place, `reject` sends the record to the rejects file, `null` sets the field to
    /// null and checks the record again (a second failure is rejected).
    public enum OnError: String, Sendable { case fail, reject, null }

    /// `cast` or `validate`, by ``converts``.
    public let name: String
    /// The Table Schema the records are checked against (and, for a `cast`, typed by).
    public let schema: TableSchema
    /// What a failure does, by field name. A field not named, and a failure that names no field,
    /// reject the record.
    public var onError: [String: OnError]
    /// True for `cast`, false for `validate`.
    public let converts: Bool
    /// For a `validate`: a `cast` comes before it, so typed values were cast and checked there
    /// and are kept as they are (re-reading `true` as a `Y`/`N` field would fail). Without one,
    /// typed values (from JSON, say) are checked like text. Set by the engine.
    public var followsCast = false
    private var caster: RecordCaster?
    private var budget = MemoryBudget()
    /// The keys and the records held once the keys outgrew half of ``budget``.
    private var spill: UniqueKeySpill?
    /// Shared by the step's copies (the engine runs one), so the count outlives the run.
    private let spilled = SpillCount()

    /// How many keys spilled, for reports and tests.
    private final class SpillCount { var keys = 0 }

    /// A `cast` (`converts` true) or a `validate` (false); `onError` by field name, rejecting by default.
    public init(schema: TableSchema, converts: Bool, onError: [String: OnError] = [:]) {
        self.schema = schema
        self.converts = converts
        self.onError = onError
        name = converts ? "cast" : "validate"
    }

    /// Matches the schema's fields to the incoming ones by name (a usage error names one that is
    /// missing); the outgoing shape is the schema's fields, in its order, so incoming fields the
    /// schema does not name are left out.
    public mutating func prepare(_ incoming: RecordSchema) throws -> RecordSchema {
        caster = try RecordCaster(schema: schema, sourceFields: incoming.fieldNames)
        spill = nil
        spilled.keys = 0
        return caster!.outputSchema
    }

    /// Takes the memory the unique values and primary keys may take before they spill, and where.
    public mutating func use(_ budget: MemoryBudget) { self.budget = budget }

    /// Only a schema with `unique` fields or a primary key remembers anything.
    public var needsMemory: Bool { !schema.primaryKey.isEmpty || schema.fields.contains { $0.constraints.unique } }

    /// Unique values and primary keys written to a spill file when they outgrew the budget (0:
    /// they stayed in memory).
    public var spilledKeys: Int { spilled.keys }

    /// Checks the record against the schema and keeps it typed (`cast`) or with its values as they
    /// came, missing values as null (`validate`); a failure goes by ``onError``. A `validate` after
    /// a `cast` keeps a record with typed values as it is (see ``followsCast``).
    public mutating func process(_ record: Record) throws -> StepResult {
        guard let spill else {
            let result = try check(record)
            try spillPastBudget()
            return result
        }
        // Its verdict waits for the end; the check only gathers its keys (a failure is raised then).
        caster!.updateKeys { $0.beginRecord() }
        _ = try? check(record)
        try spill.hold(record, keys: caster!.keys.recordKeys)
        return .held
    }

    /// ``process(_:)``'s verdict, with what the keys remember now.
    private mutating func check(_ record: Record) throws -> StepResult {
        // After a `cast` with this schema, values are typed and were checked there: `validate` keeps them.
        if !converts && followsCast
            && record.values.contains(where: { if case .text = $0 { false } else { $0 != .null } })
        {
            return .keep(record)
        }
        switch caster!.cast(record) {
        case .record(let typed):
            return .keep(
                converts
                    ? typed
                    : Record(
                        values: typed.values.enumerated().map { index, value in
                            value == .null ? .null : original(record, index)
                        }, provenance: record.provenance))
        case .rejected(let rejection):
            let policy = rejection.field.flatMap { onError[$0] } ?? .reject
            switch policy {
            case .reject: return .reject(rejection)
            case .fail:
                throw PublicaError(
                    .data, "\(name): \(rejection.message)",
                    at: SourceLocation(
                        file: record.provenance.source, line: record.provenance.line, field: rejection.field))
            case .null:
                // Null the failing field and check again; a second failure is rejected.
                guard let field = rejection.field, let index = schema.fields.firstIndex(where: { $0.name == field })
                else {
                    return .reject(rejection)
                }
                var nulled = record
                if let sourceIndex = caster!.sourceIndex(of: index), sourceIndex < nulled.values.count {
                    nulled.values[sourceIndex] = .null
                }
                switch caster!.recast(nulled) {
                case .record(let typed): return .keep(typed)
                case .rejected(let again): return .reject(again)
                }
            }
        }
    }

    /// The schema's check on the bytes, typing them in place for a `cast`. Nil when the byte
    /// checks cannot vouch for the record (a primary or foreign key, a case they do not know, a
    /// failure): ``process(_:)`` then decides, and words any rejection.
    public mutating func process(raw record: RawRecord) throws -> RawStepResult? {
        guard let spill else {
            let result = check(raw: record)
            if caster!.keyBytes > budget.bytes / 2 { try startSpill() }
            return result
        }
        caster!.updateKeys { $0.beginRecord() }
        // Not vouched for: the record path gathers its keys.
        guard check(raw: record) != nil else { return nil }
        try spill.hold(raw: record, keys: caster!.keys.recordKeys)
        return .held
    }

    /// ``process(raw:)``'s verdict, with what the keys remember now.
    private mutating func check(raw record: RawRecord) -> RawStepResult? {
        // As in process(_:): typed values were cast and checked by a `cast` before this `validate`.
        if !converts && followsCast && record.fields.contains(where: \.encoding.isTyped) { return .keep(record) }
        return caster!.cast(raw: record, converting: converts).map(RawStepResult.keep)
    }

    private mutating func spillPastBudget() throws {
        if caster!.keyBytes > budget.bytes / 2 { try startSpill() }
    }

    /// Half the share: the sorter the keys go into takes the other half while they are copied.
    private mutating func startSpill() throws {
        let budget = self.budget
        spill = try caster!.updateKeys { try UniqueKeySpill(budget: budget, memory: &$0) }
        spilled.keys = spill!.spilledKeys
    }

    /// Nothing held unless the keys spilled; then each held record, in input order, checked again
    /// knowing which of its keys an earlier record had: kept ones to `raw` or `records`, the
    /// others to `rejects` (a `fail` throws here).
    public mutating func finish(
        raw: (RawRecord) throws -> Void, records: (Record) throws -> Void, rejects: (Rejection) throws -> Void
    ) throws {
        guard let spill else { return }
        self.spill = nil
        func emit(_ result: StepResult) throws {
            switch result {
            case .keep(let record): try records(record)
            case .reject(let rejection): try rejects(rejection)
            case .drop, .held, .many: preconditionFailure("a schema step keeps or rejects")
            }
        }
        try spill.finish(
            raw: { record, repeated in
                caster!.updateKeys { $0.answer(duplicates: repeated) }
                if case .keep(let kept)? = check(raw: record) { return try raw(kept) }
                // As in memory: the fast path remembered nothing, the record path decides.
                caster!.updateKeys { $0.answer(duplicates: repeated) }
                try emit(try check(record.makeRecord()))
            },
            record: { record, repeated in
                caster!.updateKeys { $0.answer(duplicates: repeated) }
                try emit(try check(record))
            })
        caster!.updateKeys { $0.collect() }
    }

    /// The held records as records; one rejected at the end stops the run (there is nowhere here
    /// to put it): the engine calls ``finish(raw:records:rejects:)``.
    public mutating func finish(_ emit: (Record) throws -> Void) throws {
        try finishFailingOnRejects(emit)
    }

    /// As ``finish(_:)``, kept records as bytes when the fast path vouches for them.
    public mutating func finish(raw: (RawRecord) throws -> Void, records: (Record) throws -> Void) throws {
        try finish(
            raw: raw, records: records,
            rejects: { throw PublicaError(.data, $0.message, at: $0.provenance.location(field: $0.field)) })
    }

    /// The value schema field `index` was read from, as it came (a JSON number stays a number).
    private func original(_ record: Record, _ index: Int) -> FieldValue {
        guard let source = caster?.sourceIndex(of: index), source < record.values.count else { return .text("") }
        return record.values[source]
    }
}

/// `head: N` (`convert --head N`): keeps the first N records; the rest are dropped, and counted.
public struct HeadStep: PipelineStep {
    /// Reported as `head`.
    public let name = "head"
    /// How many records to keep; 0 (or less) keeps none.
    public let count: Int
    private var kept = 0

    /// A step keeping the first `count` records.
    public init(count: Int) { self.count = count }

    /// The shape passes unchanged.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema { schema }

    /// Keeps the record while fewer than ``count`` are kept, else drops it (the input is still
    /// read to its end).
    public mutating func process(_ record: Record) throws -> StepResult {
        guard kept < count else { return .drop }
        kept += 1
        return .keep(record)
    }

    /// As ``process(_:)``, on the bytes (one count for both paths); never nil.
    public mutating func process(raw record: RawRecord) throws -> RawStepResult? {
        guard kept < count else { return .drop }
        kept += 1
        return .keep(record)
    }
}

/// Fields a step's fast path builds a record in, reused record after record.
final class FieldBuffer {
    private var storage = UnsafeMutableBufferPointer<RawRecord.Field>.allocate(capacity: 0)

    /// Room for `count` fields.
    func fields(_ count: Int) -> UnsafeMutableBufferPointer<RawRecord.Field> {
        if storage.count < count {
            storage.deallocate()
            storage = .allocate(capacity: count)
        }
        return UnsafeMutableBufferPointer(rebasing: storage[..<count])
    }

    deinit { storage.deallocate() }
}
