import PublicaCore

/// One output's running state for one group. Its ``encoded`` form (a few values) is what a
/// spilled group keeps, and ``merge(_:)`` joins two partial states of a group, earlier first.
enum Accumulator {
    case count(Int)
    case sum(ExactSum?, integers: Bool)
    case least(FieldValue?), greatest(FieldValue?)
    case mean(ExactSum, Int)
    case first(FieldValue), last(FieldValue)
    /// The different values, as their canonical bytes (``RecordSpill``), so a value read as
    /// bytes is counted without a `String` made: text differs when its bytes do.
    case distinct(ByteKeyTable)

    /// The state before any record, for `function`; `value` is the group's first record's.
    init(_ function: AggregateFunction) {
        switch function {
        case .count: self = .count(0)
        case .sum: self = .sum(nil, integers: true)
        case .min: self = .least(Optional.none)
        case .max: self = .greatest(Optional.none)
        case .mean: self = .mean(ExactSum(), 0)
        case .first: self = .first(.null)
        case .last: self = .last(.null)
        case .countDistinct: self = .distinct(ByteKeyTable(capacity: 4))
        }
    }

    /// Takes one record's value in; `first` tells the group's first record. A value that
    /// cannot be summed throws a data error at the record's place.
    mutating func add(_ value: FieldValue, counting: Bool, first isFirst: Bool, _ place: () -> PublicaError)
        throws
    {
        let missing = ValueOrder.isMissing(value)
        switch self {
        case .count(let count): self = .count(count + (counting && missing ? 0 : 1))
        case .sum(let sum, let integers):
            guard !missing else { return }
            var total = sum ?? ExactSum()
            total.add(try Accumulator.number(value, place))
            self = .sum(total, integers: integers && value.isInteger)
        case .least(let least):
            if !missing, least.map({ ValueOrder.compare(value, $0) < 0 }) ?? true { self = .least(value) }
        case .greatest(let greatest):
            if !missing, greatest.map({ ValueOrder.compare(value, $0) > 0 }) ?? true { self = .greatest(value) }
        case .mean(var sum, let count):
            guard !missing else { return }
            sum.add(try Accumulator.number(value, place))
            self = .mean(sum, count + 1)
        case .first: if isFirst { self = .first(value) }
        case .last: self = .last(value)
        case .distinct:
            guard !missing else { return }
            var encoder = RecordSpill.Encoder(canonical: true)
            encoder.value(value)
            encoder.bytes.withUnsafeBufferPointer { add(distinct: $0) }
        }
    }

    /// What ``add(_:counting:first:_:)`` does for `count_distinct` with a value's canonical
    /// bytes (made from a reader's buffer).
    mutating func add(distinct bytes: UnsafeBufferPointer<UInt8>) {
        guard case .distinct(var values) = self else { return }
        self = .count(0)  // so the index is not copied on insert
        values.insert(bytes, value: 0)
        self = .distinct(values)
    }

    /// What ``add(_:counting:first:_:)`` does for a `sum` or `mean` with a number already read
    /// (from a reader's bytes); `isInteger` as the value would be typed.
    mutating func add(number: ExactSum, isInteger: Bool) {
        switch self {
        case .sum(let sum, let integers):
            var total = sum ?? ExactSum()
            self = .count(0)  // so the sum's digits are not copied on add
            total.add(number)
            self = .sum(total, integers: integers && isInteger)
        case .mean(var sum, let count):
            self = .count(0)
            sum.add(number)
            self = .mean(sum, count + 1)
        default: break
        }
    }

    /// Joins `later`, the same output's state over later records of the same group.
    mutating func merge(_ later: Accumulator) {
        switch (self, later) {
        case (.count(let a), .count(let b)): self = .count(a + b)
        case (.sum(let a, let ai), .sum(let b, let bi)):
            var total = a ?? ExactSum()
            if let b { total.add(b) }
            self = .sum(a == nil && b == nil ? nil : total, integers: ai && bi)
        case (.least(let a), .least(let b)):
            if let b, a.map({ ValueOrder.compare(b, $0) < 0 }) ?? true { self = .least(b) }
        case (.greatest(let a), .greatest(let b)):
            if let b, a.map({ ValueOrder.compare(b, $0) > 0 }) ?? true { self = .greatest(b) }
        case (.mean(var a, let ac), .mean(let b, let bc)):
            a.add(b)
            self = .mean(a, ac + bc)
        case (.last, .last): self = later
        case (.distinct(var a), .distinct(let b)):
            b.forEach { bytes, _ in a.insert(bytes, value: 0) }
            self = .distinct(a)
        default: break  // `first` keeps the earlier; the cases always match
        }
    }

    /// The output value.
    var result: FieldValue {
        switch self {
        case .count(let count): return .integer(Int64(count))
        case .sum(nil, _): return .null
        case .sum(let sum?, let integers):
            let total = sum.decimal
            return integers ? total.int64Value.map(FieldValue.integer) ?? .decimal(total) : .decimal(total)
        case .least(let value), .greatest(let value): return value ?? .null
        case .mean(let sum, let count): return count == 0 ? .null : .decimal(sum.divided(by: count, extraDigits: 6))
        case .first(let value), .last(let value): return value
        case .distinct(let values): return .integer(Int64(values.count))
        }
    }

    /// How many values ``encoded`` gives for `function`.
    static func width(_ function: AggregateFunction) -> Int {
        switch function {
        case .sum: 2
        case .mean: 3
        default: 1
        }
    }

    /// The state as values, for a spilled group: ``width(_:)`` of them.
    var encoded: [FieldValue] {
        switch self {
        case .count(let count): [.integer(Int64(count))]
        case .sum(let sum, let integers): [sum.map { .decimal($0.decimal) } ?? .null, .boolean(integers)]
        case .least(let value), .greatest(let value): [value ?? .null]
        case .mean(let sum, let count): [.decimal(sum.decimal), .integer(Int64(count)), .integer(Int64(sum.scale))]
        case .first(let value), .last(let value): [value]
        case .distinct(let values):
            [.list(Array(decoding: values))]
        }
    }

    /// The state ``encoded`` gave, for `function`.
    init(_ function: AggregateFunction, encoded values: ArraySlice<FieldValue>) throws {
        let values = Array(values)
        func sum(_ value: FieldValue, scale: Int = 0) throws -> ExactSum {
            guard case .decimal(let number) = value, var sum = ExactSum(number) else { throw RecordSpill.corrupt }
            sum.keepScale(atLeast: scale)
            return sum
        }
        guard values.count == Accumulator.width(function) else { throw RecordSpill.corrupt }
        // Not `== .null ? nil : …`: that nil would be a FieldValue, `.null` itself.
        let extreme: FieldValue? = values[0] == .null ? Optional.none : values[0]
        switch function {
        case .count: self = .count(Int(values[0].integerValue ?? 0))
        case .sum: self = .sum(values[0] == .null ? nil : try sum(values[0]), integers: values[1] == .boolean(true))
        case .min: self = .least(extreme)
        case .max: self = .greatest(extreme)
        case .mean:
            self = .mean(
                try sum(values[0], scale: Int(values[2].integerValue ?? 0)), Int(values[1].integerValue ?? 0))
        case .first: self = .first(values[0])
        case .last: self = .last(values[0])
        case .countDistinct:
            var index = ByteKeyTable(capacity: 4)
            for item in values[0].items ?? [] {
                var encoder = RecordSpill.Encoder(canonical: true)
                encoder.value(item)
                index.insert(encoder.bytes, value: 0)
            }
            self = .distinct(index)
        }
    }

    /// What the state holds beyond its own inline bytes: a distinct set's values.
    var estimatedSize: Int {
        if case .distinct(let values) = self { return values.estimatedBytes }
        return 0
    }

    private static func number(_ value: FieldValue, _ place: () -> PublicaError) throws -> ExactSum {
        let decimal: ExactDecimal? =
            switch value {
            case .integer(let number): ExactDecimal(number)
            case .decimal(let number): number
            case .text(let text): ExactDecimal(text)
            default: nil
            }
        guard let decimal, let sum = ExactSum(decimal) else { throw place() }
        return sum
    }
}

extension FieldValue {
    fileprivate var isInteger: Bool { if case .integer = self { true } else { false } }
    fileprivate var integerValue: Int64? { if case .integer(let number) = self { number } else { nil } }
}

extension Array where Element == FieldValue {
    /// The values whose canonical bytes `index` holds, in insertion order.
    fileprivate init(decoding index: ByteKeyTable) {
        var values: [FieldValue] = []
        index.forEach { bytes, _ in
            var decoder = RecordSpill.Decoder(UnsafeRawBufferPointer(bytes))
            // Bytes this step wrote: they decode.
            if let value = try? decoder.value() { values.append(value) }
        }
        self = values
    }
}
