import PublicaCore

/// A value a `unique` field has had: integers by value (no text to build and hash), the rest by
/// the bytes of their text, valid during the call that takes the key.
enum UniqueKey {
    case integer(Int64)
    case text(UnsafeBufferPointer<UInt8>)
}

/// The values a `unique` field has had so far.
///
/// A million-row registry's ids are a million inserts: integers go into ``IntegerSet`` (8 bytes
/// each, one multiply-and-shift hash), texts into a ``ByteKeyTable`` (their bytes back to back),
/// never a `Set<String>`: no string per row, and memory that is counted.
struct UniqueValues {
    private var integers = IntegerSet()
    private var texts = ByteKeyTable()

    /// The memory held, roughly.
    var estimatedBytes: Int { integers.estimatedBytes + texts.estimatedBytes }

    func contains(_ key: UniqueKey) -> Bool {
        switch key {
        case .integer(let value): integers.contains(value)
        case .text(let text): texts.contains(text)
        }
    }

    /// Inserts `key`; false when it was already there.
    mutating func insert(_ key: UniqueKey) -> Bool {
        switch key {
        case .integer(let value): integers.insert(value)
        case .text(let text): texts.insert(text)
        }
    }

    /// Each value held: integers, then texts.
    func forEach(_ body: (UniqueKey) throws -> Void) rethrows {
        try integers.forEach { try body(.integer($0)) }
        try texts.forEach { text, _ in try body(.text(text)) }
    }
}

/// A set of 64-bit integers: open addressing with linear probing, kept at most half full.
///
/// The hash is seeded per process, so crafted ids cannot force every value into one probe chain.
/// Serial numbers that arrive in order (1, 2, 3…, the usual 연번 column) are kept as one range
/// beside the table: no memory and no cache miss per row.
struct IntegerSet {
    /// Values seen in a row of consecutive integers from the first one; the rest are in `slots`.
    private var run: ClosedRange<Int64>?
    private var slots: [Int64] = []
    /// `empty` marks a free slot; the one value equal to it is remembered in a flag instead.
    private static let empty = Int64.min
    private var containsEmptyMarker = false
    private var count = 0
    private var mask = 0
    private static let seed = UInt64.random(in: .min ... .max) | 1

    @inline(__always)
    private func slot(for value: Int64) -> Int {
        // splitmix64's finaliser over the seeded value.
        var x = UInt64(bitPattern: value) &+ IntegerSet.seed
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        x ^= x >> 31
        return Int(truncatingIfNeeded: x) & mask
    }

    /// The memory held: the table (the run takes none).
    var estimatedBytes: Int { 8 * slots.count }

    /// Each value held, the run's first.
    func forEach(_ body: (Int64) throws -> Void) rethrows {
        if let run {
            var value = run.lowerBound
            while true {
                try body(value)
                if value == run.upperBound { break }
                value += 1
            }
        }
        if containsEmptyMarker { try body(IntegerSet.empty) }
        for value in slots where value != IntegerSet.empty { try body(value) }
    }

    func contains(_ value: Int64) -> Bool {
        if let run, run.contains(value) { return true }
        return tableContains(value)
    }

    /// Inserts `value`; false when it was already there.
    mutating func insert(_ value: Int64) -> Bool {
        guard let current = run else {
            run = value...value
            return true
        }
        if current.contains(value) { return false }
        // The next serial number extends the run, unless the table already has it.
        if value == current.upperBound &+ 1 && value != .min && (count == 0 || !tableContains(value)) {
            run = current.lowerBound...value
            return true
        }
        return tableInsert(value)
    }

    private func tableContains(_ value: Int64) -> Bool {
        if value == IntegerSet.empty { return containsEmptyMarker }
        guard count > 0 else { return false }
        var index = slot(for: value)
        while true {
            let current = slots[index]
            if current == value { return true }
            if current == IntegerSet.empty { return false }
            index = (index &+ 1) & mask
        }
    }

    private mutating func tableInsert(_ value: Int64) -> Bool {
        if value == IntegerSet.empty {
            defer { containsEmptyMarker = true }
            return !containsEmptyMarker
        }
        if (count + 1) * 2 > slots.count { grow() }
        var index = slot(for: value)
        while true {
            let current = slots[index]
            if current == value { return false }
            if current == IntegerSet.empty {
                slots[index] = value
                count += 1
                return true
            }
            index = (index &+ 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [Int64](repeating: IntegerSet.empty, count: max(64, old.count * 2))
        mask = slots.count - 1
        count = 0
        for value in old where value != IntegerSet.empty { _ = tableInsert(value) }
    }
}
