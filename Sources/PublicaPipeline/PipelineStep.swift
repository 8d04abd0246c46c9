import PublicaCore
import PublicaValidation

/// One stage between the sources and the outputs. Add your own by conforming to this protocol.
///
/// A step sees the stream's shape once (``prepare(_:)``) and then each record, and says what
/// becomes of it: kept (possibly changed), dropped on purpose (a filter, a duplicate), or
/// rejected with a reason (it goes to the rejects file).
public protocol PipelineStep {
    /// The step's name in reports, e.g. `rename`.
    var name: String { get }
    /// Receives the incoming schema, returns the outgoing one.
    mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema
    mutating func process(_ record: Record) throws -> StepResult
    /// The fast path: the step applied to a record still in its reader's bytes (typed in place
    /// by a `cast` before it). Returns nil when the step cannot vouch for this record; it must
    /// then have changed nothing, and the engine hands the record to ``process(_:)`` instead.
    /// A rejection always comes from ``process(_:)``, so it is worded in one place. The default
    /// has no fast path.
    mutating func process(raw record: RawRecord) throws -> RawStepResult?
}

extension PipelineStep {
    public mutating func process(raw record: RawRecord) throws -> RawStepResult? { nil }
}

/// What a step's fast path did with a record.
public enum RawStepResult {
    /// Kept; the record may point into the step's own memory until its next call.
    case keep(RawRecord)
    /// Left out on purpose; counted, not rejected.
    case drop
}

/// What a step did with a record.
public enum StepResult {
    case keep(Record)
    /// Left out on purpose (filtered, deduplicated); counted, not rejected.
    case drop
    case reject(Rejection)
}

/// `select: [a, b]`: keeps these fields, in this order.
public struct SelectStep: PipelineStep {
    public let name = "select"
    public var fields: [String]
    private var indices: [Int] = []
    private let buffer = FieldBuffer()

    public init(fields: [String]) { self.fields = fields }

    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        indices = try fields.map { field in
            guard let index = schema.fieldNames.firstIndex(of: field) else {
                throw PublicaError(.usage, "select: no field '\(field)' (fields: \(schema.fieldNames.joined(separator: ", ")))")
            }
            return index
        }
        return RecordSchema(fieldNames: fields)
    }

    public mutating func process(_ record: Record) throws -> StepResult {
        .keep(Record(values: indices.map { $0 < record.values.count ? record.values[$0] : .null }, provenance: record.provenance))
    }

    public mutating func process(raw record: RawRecord) throws -> RawStepResult? {
        let selected = buffer.fields(indices.count)
        for (position, index) in indices.enumerated() {
            selected[position] = index < record.fields.count ? record.fields[index] : .null
        }
        return .keep(RawRecord(fields: UnsafeBufferPointer(selected), provenance: record.provenance))
    }
}

/// `rename: {old: new}`.
public struct RenameStep: PipelineStep {
    public let name = "rename"
    public var mapping: [String: String]

    public init(mapping: [String: String]) { self.mapping = mapping }

    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        for old in mapping.keys where !schema.fieldNames.contains(old) {
            throw PublicaError(.usage, "rename: no field '\(old)' (fields: \(schema.fieldNames.joined(separator: ", ")))")
        }
        return RecordSchema(fieldNames: schema.fieldNames.map { mapping[$0] ?? $0 }, originalLabels: schema.originalLabels)
    }

    public mutating func process(_ record: Record) throws -> StepResult { .keep(record) }
    public mutating func process(raw record: RawRecord) throws -> RawStepResult? { .keep(record) }
}

/// `derive: {field: {value: x} | {copy: other} | {concat: [a, " ", b]} | {source: file|line}}`.
public struct DeriveStep: PipelineStep {
    public enum Rule: Sendable, Hashable {
        case constant(String)
        case copy(String)
        /// Field names, or literal text when the name is not a field.
        case concat([String])
        case source(String)
    }

    public let name = "derive"
    public var rules: [(field: String, rule: Rule)]
    private var positions: [String: Int] = [:]

    public init(rules: [(field: String, rule: Rule)]) { self.rules = rules }

    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        positions = Dictionary(schema.fieldNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for (_, rule) in rules {
            if case .copy(let field) = rule, positions[field] == nil { throw PublicaError(.usage, "derive: no field '\(field)' to copy") }
        }
        return RecordSchema(fieldNames: schema.fieldNames + rules.map(\.field))
    }

    public mutating func process(_ record: Record) throws -> StepResult {
        var record = record
        let original = record.values
        for (_, rule) in rules {
            switch rule {
            case .constant(let text): record.values.append(.text(text))
            case .copy(let field): record.values.append(original[positions[field]!])
            case .concat(let parts):
                record.values.append(.text(parts.map { part in positions[part].map { original[$0].textValue ?? "" } ?? part }.joined()))
            case .source(let what):
                record.values.append(what == "line" ? .integer(Int64(record.provenance.line)) : .text(record.provenance.source))
            }
        }
        return .keep(record)
    }
}

/// `filter: {field: {eq|ne|lt|le|gt|ge: value} | {in: [..]} | {not_empty: true}}`: keeps matching records.
public struct FilterStep: PipelineStep {
    public enum Condition: Sendable, Hashable {
        case compare(String, String)
        case oneOf([String])
        case notEmpty
    }

    public let name = "filter"
    public var conditions: [(field: String, condition: Condition)]
    private var positions: [Int] = []

    public init(conditions: [(field: String, condition: Condition)]) { self.conditions = conditions }

    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        positions = try conditions.map { field, _ in
            guard let index = schema.fieldNames.firstIndex(of: field) else { throw PublicaError(.usage, "filter: no field '\(field)'") }
            return index
        }
        return schema
    }

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
public struct SchemaStep: PipelineStep {
    public enum OnError: String, Sendable { case fail, reject, null }

    public let name: String
    public let schema: TableSchema
    public var onError: [String: OnError]
    /// True for `cast`, false for `validate`.
    public let converts: Bool
    /// For a `validate`: a `cast` comes before it, so typed values were cast and checked there
    /// and are kept as they are (re-reading `true` as a `Y`/`N` field would fail). Without one,
    /// typed values (from JSON, say) are checked like text. Set by the engine.
    public var followsCast = false
    private var caster: RecordCaster?

    public init(schema: TableSchema, converts: Bool, onError: [String: OnError] = [:]) {
        self.schema = schema
        self.converts = converts
        self.onError = onError
        name = converts ? "cast" : "validate"
    }

    public mutating func prepare(_ incoming: RecordSchema) throws -> RecordSchema {
        caster = try RecordCaster(schema: schema, sourceFields: incoming.fieldNames)
        return caster!.outputSchema
    }

    public mutating func process(_ record: Record) throws -> StepResult {
        // After a `cast` with this schema, values are typed and were checked there: `validate` keeps them.
        if !converts && followsCast && record.values.contains(where: { if case .text = $0 { false } else { $0 != .null } }) {
            return .keep(record)
        }
        switch caster!.cast(record) {
        case .record(let typed):
            return .keep(converts ? typed : Record(values: typed.values.enumerated().map { index, value in
                value == .null ? .null : original(record, index)
            }, provenance: record.provenance))
        case .rejected(let rejection):
            let policy = rejection.field.flatMap { onError[$0] } ?? .reject
            switch policy {
            case .reject: return .reject(rejection)
            case .fail:
                throw PublicaError(.data, "\(name): \(rejection.message)",
                                   at: SourceLocation(file: record.provenance.source, line: record.provenance.line, field: rejection.field))
            case .null:
                // Null the failing field and check again; a second failure is rejected.
                guard let field = rejection.field, let index = schema.fields.firstIndex(where: { $0.name == field }) else {
                    return .reject(rejection)
                }
                var nulled = record
                if let sourceIndex = caster!.sourceIndex(of: index), sourceIndex < nulled.values.count { nulled.values[sourceIndex] = .null }
                switch caster!.cast(nulled) {
                case .record(let typed): return .keep(typed)
                case .rejected(let again): return .reject(again)
                }
            }
        }
    }

    public mutating func process(raw record: RawRecord) throws -> RawStepResult? {
        // As in process(_:): typed values were cast and checked by a `cast` before this `validate`.
        if !converts && followsCast && record.fields.contains(where: \.encoding.isTyped) { return .keep(record) }
        return caster!.cast(raw: record, converting: converts).map(RawStepResult.keep)
    }

    /// The value schema field `index` was read from, as it came (a JSON number stays a number).
    private func original(_ record: Record, _ index: Int) -> FieldValue {
        guard let source = caster?.sourceIndex(of: index), source < record.values.count else { return .text("") }
        return record.values[source]
    }
}

/// `dedupe: {key: [id]}`: keeps the first record of each key.
public struct DedupeStep: PipelineStep {
    public let name = "dedupe"
    public var key: [String]
    private var indices: [Int] = []
    private var seen = Set<[String]>()

    public init(key: [String]) { self.key = key }

    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        indices = try key.map { field in
            guard let index = schema.fieldNames.firstIndex(of: field) else { throw PublicaError(.usage, "dedupe: no field '\(field)'") }
            return index
        }
        return schema
    }

    public mutating func process(_ record: Record) throws -> StepResult {
        seen.insert(indices.map { record.values[$0].textValue ?? "" }).inserted ? .keep(record) : .drop
    }
}

/// `head: N` (`convert --head N`): keeps the first N records; the rest are dropped, and counted.
public struct HeadStep: PipelineStep {
    public let name = "head"
    public let count: Int
    private var kept = 0

    public init(count: Int) { self.count = count }

    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema { schema }

    public mutating func process(_ record: Record) throws -> StepResult {
        guard kept < count else { return .drop }
        kept += 1
        return .keep(record)
    }

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
