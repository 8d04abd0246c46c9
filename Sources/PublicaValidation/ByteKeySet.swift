#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A set of byte strings that grows: the values a `unique` field or a primary key has had, kept
/// back to back in one array, so their memory is counted (``estimatedBytes``) and no `String`
/// is made per lookup.
///
/// Open addressing with linear probing over a table at most half full. The hash is the standard
/// library's (SipHash, seeded per process), so crafted keys cannot force one long probe chain.
struct ByteKeySet {
    private var bytes: [UInt8] = []
    /// Where each key ends in ``bytes``; key `i` starts where key `i - 1` ends.
    private var ends: [Int] = []
    /// Key indices, -1 for a free slot; a power of two, at least twice ``count``.
    private var slots = [Int32](repeating: -1, count: 16)

    /// Keys held.
    var count: Int { ends.count }
    /// The memory held, roughly: the keys' bytes and the tables, each array counted as if it
    /// had doubled to its size. From the counts, not the capacities the allocator rounds, so a
    /// spill comes at the same record on every run.
    var estimatedBytes: Int { ByteKeySet.doubled(bytes.count) + 8 * ByteKeySet.doubled(ends.count) + 4 * slots.count }

    private static func doubled(_ count: Int) -> Int {
        count <= 16 ? 16 : 1 << (Int.bitWidth - (count - 1).leadingZeroBitCount)
    }

    func contains(_ key: UnsafeBufferPointer<UInt8>) -> Bool { slots[find(key)] >= 0 }

    /// Inserts `key`; false when it was already there.
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let slot = find(key)
        guard slots[slot] < 0 else { return false }
        bytes.append(contentsOf: key)
        ends.append(bytes.count)
        slots[slot] = Int32(ends.count - 1)
        if ends.count * 2 > slots.count { grow() }
        return true
    }

    /// Each key, in insertion order.
    func forEach(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try bytes.withUnsafeBufferPointer { stored in
            for entry in ends.indices { try body(UnsafeBufferPointer(rebasing: stored[span(entry)])) }
        }
    }

    private func span(_ entry: Int) -> Range<Int> { (entry == 0 ? 0 : ends[entry - 1])..<ends[entry] }

    /// The slot holding `key`, or the free slot where it would go.
    private func find(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        let mask = slots.count - 1
        var slot = ByteKeySet.hash(key) & mask
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
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        bytes.withUnsafeBufferPointer { stored in
            for entry in ends.indices {
                var slot = ByteKeySet.hash(UnsafeBufferPointer(rebasing: stored[span(entry)])) & mask
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
