#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keys of bytes to numbers, with no `String` made per lookup: a `join` finds the right side's
/// record for a key read straight from the reader's buffer, an `aggregate` its group, a
/// `unique` check whether a value was seen.
///
/// Open addressing with linear probing over a table at most half full (doubled as it fills);
/// the keys' bytes are kept back to back in one array, so their memory is counted
/// (``estimatedBytes``). The hash is the standard library's (SipHash, seeded per process), so
/// crafted keys cannot force one long probe chain: every lookup costs the key's length.
public struct ByteKeyTable: Sendable {
    private var bytes: [UInt8] = []
    /// Where each key ends in ``bytes``; key `i` starts where key `i - 1` ends.
    private var ends: [Int] = []
    private var values: [Int] = []
    /// Key indices, -1 for a free slot; a power of two, at least twice ``count``.
    private var slots: [Int32]

    /// A table with room for `capacity` keys before it first grows.
    public init(capacity: Int = 8) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
    }

    /// Keys held.
    public var count: Int { ends.count }

    /// The memory held, roughly: the keys' bytes and the tables, each array counted as if it had
    /// doubled to its size. From the counts, not the capacities the allocator rounds, so a spill
    /// comes at the same record on every run.
    public var estimatedBytes: Int {
        Self.doubled(bytes.count) + 16 * Self.doubled(ends.count) + 4 * slots.count
    }

    private static func doubled(_ count: Int) -> Int {
        count <= 16 ? 16 : 1 << (Int.bitWidth - (count - 1).leadingZeroBitCount)
    }

    /// Adds `key` with `value`; a key already there keeps its first value (false).
    @discardableResult
    public mutating func insert(_ key: [UInt8], value: Int = 0) -> Bool {
        key.withUnsafeBufferPointer { insert($0, value: value) }
    }

    /// Adds `key` with `value`; a key already there keeps its first value (false).
    @discardableResult
    public mutating func insert(_ key: UnsafeBufferPointer<UInt8>, value: Int = 0) -> Bool {
        index(of: key, value: value).added
    }

    /// The position of `key` in insertion order, added with `value` if it is new (one probe
    /// either way: a Parquet dictionary's index for a string); whether it was added.
    public mutating func index(of key: UnsafeBufferPointer<UInt8>, value: Int = 0) -> (index: Int, added: Bool) {
        let slot = find(key)
        if slots[slot] >= 0 { return (Int(slots[slot]), false) }
        bytes.append(contentsOf: key)
        ends.append(bytes.count)
        values.append(value)
        slots[slot] = Int32(ends.count - 1)
        if ends.count * 2 > slots.count { grow() }
        return (ends.count - 1, true)
    }

    /// Forgets every key, keeping the memory for the next ones.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        for slot in slots.indices { slots[slot] = -1 }
    }

    /// The value of `key`, if it is there.
    public func value(for key: UnsafeBufferPointer<UInt8>) -> Int? {
        let entry = slots[find(key)]
        return entry < 0 ? nil : values[Int(entry)]
    }

    /// Whether `key` is there.
    public func contains(_ key: UnsafeBufferPointer<UInt8>) -> Bool { slots[find(key)] >= 0 }

    /// Each key, in insertion order, with its value.
    public func forEach(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) rethrows {
        try bytes.withUnsafeBufferPointer { stored in
            for entry in ends.indices {
                try body(UnsafeBufferPointer(rebasing: stored[span(entry)]), values[entry])
            }
        }
    }

    private func span(_ entry: Int) -> Range<Int> { (entry == 0 ? 0 : ends[entry - 1])..<ends[entry] }

    /// The slot holding `key`, or the free slot where it would go.
    private func find(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        let mask = slots.count - 1
        var slot = Self.hash(key) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 || equals(Int(entry), key) { return slot }
            slot = (slot + 1) & mask
        }
    }

    private func equals(_ entry: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let span = span(entry)
        guard span.count == key.count else { return false }
        return key.isEmpty
            || bytes.withUnsafeBufferPointer {
                memcmp($0.baseAddress! + span.lowerBound, key.baseAddress!, key.count) == 0
            }
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        bytes.withUnsafeBufferPointer { stored in
            for entry in ends.indices {
                var slot = Self.hash(UnsafeBufferPointer(rebasing: stored[span(entry)])) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(entry)
            }
        }
    }

    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(key))
        return hasher.finalize()
    }
}
