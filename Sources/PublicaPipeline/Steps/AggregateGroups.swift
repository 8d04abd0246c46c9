import PublicaCore
import PublicaJSON

/// The groups of an ``AggregateStep``: in memory, then spilled as partial states past the budget.
final class AggregateGroups {
    private struct Group {
        /// The record ordinal of the group's first record: its output position.
        var sequence: Int
        var key: [FieldValue]
        var accumulators: [Accumulator]
        var provenance: Provenance
    }

    private let keys: [Int]
    private let values: [Int?]
    private let outputs: [(name: String, function: AggregateFunction)]
    private let budget: MemoryBudget
    private var index = ByteKeyTable(capacity: 16)
    private var groups: [Group] = []
    private var bytes = 0
    private var seen = 0
    /// The current record's group key, canonical (`1.50` and `1.5` the same bytes).
    private var keyBytes = RecordSpill.Encoder(canonical: true)
    /// A `count_distinct` value's bytes, likewise.
    private var distinctBytes = RecordSpill.Encoder(canonical: true)
    /// The spilled partial states, by group key; nil until the groups first outgrow the budget.
    private var spilled: ExternalSorter?
    private(set) var spilledGroups = 0

    init(keys: [Int], values: [Int?], outputs: [(name: String, function: AggregateFunction)], budget: MemoryBudget) {
        self.keys = keys
        self.values = values
        self.outputs = outputs
        self.budget = budget
    }

    /// Adds a record to its group.
    func add(_ record: Record) throws {
        keyBytes.bytes.removeAll(keepingCapacity: true)
        for position in keys { keyBytes.value(position < record.values.count ? record.values[position] : .null) }
        try add(
            key: { keys.map { $0 < record.values.count ? record.values[$0] : .null } },
            value: { $0 < record.values.count ? record.values[$0] : .null }, provenance: record.provenance)
    }

    /// Adds a record read as bytes to its group: its key's bytes made from the reader's buffer,
    /// the same as its values would give, and a value made only for an output that reads one.
    func add(raw record: RawRecord) throws {
        keyBytes.bytes.removeAll(keepingCapacity: true)
        for position in keys {
            let field = position < record.fields.count ? record.fields[position] : .null
            if field.encoding == .plain {
                keyBytes.text(UnsafeBufferPointer(start: field.start, count: field.count))
            } else {
                keyBytes.value(field.value)
            }
        }
        try add(
            key: { keys.map { $0 < record.fields.count ? record.fields[$0].value : .null } },
            value: { $0 < record.fields.count ? record.fields[$0].value : .null },
            number: { position in
                // A plain number read from the bytes; anything else (empty, grouped, an exponent,
                // past 18 digits) goes through its value, which also words a non-number.
                guard position < record.fields.count else { return nil }
                let field = record.fields[position]
                guard field.count > 0,
                    field.encoding == .plain || field.encoding == .integer || field.encoding == .decimal
                else { return nil }
                return ExactSum(plain: UnsafeBufferPointer(start: field.start, count: field.count)).map {
                    ($0, field.encoding == .integer)
                }
            },
            distinct: { position, accumulator in
                // Plain text counted by its canonical bytes, made here from the reader's.
                guard position < record.fields.count, record.fields[position].encoding == .plain,
                    record.fields[position].count > 0
                else { return false }
                distinctBytes.bytes.removeAll(keepingCapacity: true)
                distinctBytes.text(
                    UnsafeBufferPointer(start: record.fields[position].start, count: record.fields[position].count))
                distinctBytes.bytes.withUnsafeBufferPointer { accumulator.add(distinct: $0) }
                return true
            }, provenance: record.provenance)
    }

    /// The record whose key is in ``keyBytes`` into its group (a new one made of `key()`), each
    /// output taking its field's `value`.
    private func add(
        key: () -> [FieldValue], value: (Int) -> FieldValue, number: (Int) -> (ExactSum, Bool)? = { _ in nil },
        distinct: (Int, inout Accumulator) -> Bool = { _, _ in false },
        provenance: @autoclosure () -> Provenance
    ) throws {
        seen += 1
        let position: Int
        var isFirst = false
        if let found = keyBytes.bytes.withUnsafeBufferPointer(index.value(for:)) {
            position = found
        } else {
            let key = key()
            position = groups.count
            isFirst = true
            index.insert(keyBytes.bytes, value: position)
            groups.append(
                Group(
                    sequence: seen, key: key, accumulators: outputs.map { Accumulator($0.function) },
                    provenance: provenance()))
            // The key's bytes and its place in the index (whose tables double as they fill), the
            // group (twice: a growing array keeps as much again spare), its key values and its
            // accumulators, and a malloc header for each of their allocations.
            bytes +=
                2 * keyBytes.bytes.count + 48 + 2 * MemoryLayout<Group>.stride + 4 * 16
                + key.reduce(32) { $0 + RecordSpill.estimatedSize($1) } + outputs.count
                * (MemoryLayout<Accumulator>.stride + 48)
        }
        for (output, (place, spec)) in zip(groups[position].accumulators.indices, zip(values, outputs)) {
            let before = groups[position].accumulators[output].estimatedSize
            defer { bytes += groups[position].accumulators[output].estimatedSize - before }
            // The fast ones first: a number or a distinct text read from bytes.
            if spec.function.sums, let place, let (sum, isInteger) = number(place) {
                groups[position].accumulators[output].add(number: sum, isInteger: isInteger)
            } else if case .countDistinct = spec.function, let place,
                distinct(place, &groups[position].accumulators[output])
            {
                continue
            } else {
                let value = place.map(value) ?? .null
                try groups[position].accumulators[output].add(
                    value, counting: place != nil, first: isFirst, { self.notANumber(value, spec, provenance()) })
            }
        }
        if bytes > budget.bytes / 3 { try spill() }
    }

    private func notANumber(
        _ value: FieldValue, _ output: (name: String, function: AggregateFunction), _ provenance: Provenance
    )
        -> PublicaError
    {
        let verb = if case .mean = output.function { "averages" } else { "sums" }
        let field = output.function.field ?? ""
        return PublicaError(
            .data,
            "aggregate: '\(output.name)' \(verb) '\(field)', but \(value.textValue.map { "'\($0)'" } ?? "null") "
                + "is not a number (cast it first, or filter it out)",
            at: SourceLocation(file: provenance.source, line: provenance.line, field: field))
    }

    /// The groups' partial states into the sorter by group key, then out of memory.
    private func spill() throws {
        let sorter = spilled ?? ExternalSorter(budget: MemoryBudget(bytes: budget.bytes / 3, folder: budget.folder))
        spilled = sorter
        try index.forEach { keyBytes, position in
            let group = groups[position]
            let state = Record(
                values: [.integer(Int64(group.sequence))] + group.key + group.accumulators.flatMap(\.encoded),
                provenance: group.provenance)
            try AggregateGroups.encoded(state).withUnsafeBytes {
                try sorter.add(key: UnsafeRawBufferPointer(keyBytes), payload: $0)
            }
        }
        spilledGroups += groups.count
        index = ByteKeyTable(capacity: 16)
        groups = []
        bytes = 0
    }

    func finish(_ emit: (Record) throws -> Void) throws {
        guard spilled != nil else {
            for group in groups { try emit(output(group)) }
            groups = []
            return
        }
        if !groups.isEmpty { try spill() }
        // The merged groups, by their first record: the order they would have had in memory.
        let ordered = ExternalSorter(budget: MemoryBudget(bytes: budget.bytes / 3, folder: budget.folder))
        func add(_ group: Group) throws {
            var key: [UInt8] = []
            key.appendBigEndian(UInt64(group.sequence))
            try ordered.add(key: key, payload: AggregateGroups.encoded(output(group)))
        }
        var current: (key: [UInt8], group: Group)?
        try spilled?.finish { key, payload in
            let group = try self.group(from: try AggregateGroups.decoded(payload))
            if let (currentKey, _) = current, currentKey.elementsEqual(key) {
                // The same group in a later spill: later records, joined after the earlier ones.
                for index in group.accumulators.indices {
                    current!.group.accumulators[index].merge(group.accumulators[index])
                }
            } else {
                if let (_, done) = current { try add(done) }
                current = (Array(key), group)
            }
        }
        if let (_, done) = current { try add(done) }
        spilled = nil
        try ordered.finish { _, payload in try emit(try AggregateGroups.decoded(payload)) }
    }

    private static func encoded(_ record: Record) -> [UInt8] {
        var encoder = RecordSpill.Encoder()
        encoder.record(record)
        return encoder.bytes
    }

    private static func decoded(_ payload: UnsafeRawBufferPointer) throws -> Record {
        var decoder = RecordSpill.Decoder(payload)
        return try decoder.record()
    }

    private func output(_ group: Group) -> Record {
        Record(values: group.key + group.accumulators.map(\.result), provenance: group.provenance)
    }

    private func group(from state: Record) throws -> Group {
        guard case .integer(let sequence) = state.values.first, state.values.count >= 1 + keys.count else {
            throw RecordSpill.corrupt
        }
        var offset = 1 + keys.count
        let accumulators = try outputs.map { output in
            let width = Accumulator.width(output.function)
            defer { offset += width }
            guard offset + width <= state.values.count else { throw RecordSpill.corrupt }
            return try Accumulator(output.function, encoded: state.values[offset..<(offset + width)])
        }
        return Group(
            sequence: Int(sequence), key: Array(state.values[1..<(1 + keys.count)]), accumulators: accumulators,
            provenance: state.provenance)
    }
}

extension AggregateFunction {
    /// True for `sum` and `mean`, which add numbers.
    fileprivate var sums: Bool {
        switch self {
        case .sum, .mean: true
        default: false
        }
    }
}
