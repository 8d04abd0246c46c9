#if canImport(Glibc)
import Glibc
#endif

/// Keys of bytes to numbers, with no `String` made per lookup: the fast path of a `join` finds
/// the right side's record for a key read straight from the reader's buffer, an `aggregate`
/// its group.
///
/// Open addressing with linear probing over a table at most half full (doubled as it fills);
/// the keys' bytes are kept back to back in one array.
struct ByteKeyIndex {
    private var bytes: [UInt8] = []
    private var starts: [Int] = []
    private var values: [Int] = []
    private var slots: [Int32]
    private var mask: Int

    /// Keys held.
    var count: Int { starts.count }
    /// The memory held, roughly: the keys' bytes and the tables.
    var estimatedBytes: Int { bytes.capacity + 16 * starts.capacity + 4 * slots.count + 128 }

    /// An index with room for `capacity` keys.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
    }

    /// Adds `key` with `value`; a key already there keeps its first value (false).
    @discardableResult
    mutating func insert(_ key: [UInt8], value: Int) -> Bool {
        key.withUnsafeBufferPointer { insert($0, value: value) }
    }

    /// Adds `key` with `value`; a key already there keeps its first value (false).
    @discardableResult
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, value: Int) -> Bool {
        let found = find(key)
        guard slots[found] < 0 else { return false }
        slots[found] = Int32(starts.count)
        starts.append(bytes.count)
        bytes.append(contentsOf: key)
        values.append(value)
        if starts.count * 2 > slots.count { grow() }
        return true
    }

    /// Where entry `entry`'s key lies in ``bytes``.
    private func span(_ entry: Int) -> Range<Int> {
        starts[entry]..<(entry + 1 < starts.count ? starts[entry + 1] : bytes.count)
    }

    /// Each key, in insertion order, with its value.
    func forEach(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) rethrows {
        try bytes.withUnsafeBufferPointer { stored in
            for entry in starts.indices {
                try body(UnsafeBufferPointer(rebasing: stored[span(entry)]), values[entry])
            }
        }
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        bytes.withUnsafeBufferPointer { stored in
            for entry in starts.indices {
                var slot = ByteKeyIndex.hash(UnsafeBufferPointer(rebasing: stored[span(entry)])) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(entry)
            }
        }
    }

    /// The value of `key`, if it is there.
    func value(for key: UnsafeBufferPointer<UInt8>) -> Int? {
        let slot = slots[find(key)]
        return slot < 0 ? nil : values[Int(slot)]
    }

    /// The slot holding `key`, or the empty slot where it would go.
    private func find(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var slot = ByteKeyIndex.hash(key) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 || equals(Int(entry), key) { return slot }
            slot = (slot + 1) & mask
        }
    }

    private func equals(_ entry: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let span = span(entry)
        guard span.count == key.count else { return false }
        return bytes.withUnsafeBufferPointer { stored in
            key.isEmpty || memcmp(stored.baseAddress! + span.lowerBound, key.baseAddress!, key.count) == 0
        }
    }

    /// FNV-1a, 64 bits: keys are short codes and names.
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }
}
