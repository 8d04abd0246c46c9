#if canImport(Glibc)
import Glibc
#endif

/// A set of byte strings looked up straight from a buffer, without making an `Array` or a
/// `String` per cell: open addressing over the strings' indices, linear probing.
///
/// `enum` constraints use it on the fast path, so an enum of 100,000 values costs one hash and
/// (almost always) one comparison per cell, as a small one does. The strings are stored back to
/// back in one buffer: 100,000 values are two allocations, not 100,000.
struct ByteStringSet {
    /// Every member's bytes, back to back; member `i` is `bytes[ends[i - 1]..<ends[i]]`.
    private let bytes: [UInt8]
    private let ends: [Int]
    /// Indices of members, -1 for an empty slot; the count is a power of two, at least twice the members'.
    private let slots: [Int32]
    private let mask: Int

    init(_ members: [[UInt8]]) {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var capacity = 8
        while capacity < members.count * 2 { capacity *= 2 }
        let mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)
        for member in members {
            let found = member.withUnsafeBufferPointer { ByteStringSet.find($0, bytes, ends, slots, mask) }
            if found.member { continue }
            bytes.append(contentsOf: member)
            ends.append(bytes.count)
            slots[found.slot] = Int32(ends.count - 1)
        }
        self.bytes = bytes
        self.ends = ends
        self.slots = slots
        self.mask = mask
    }

    func contains(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        // A handful of values: comparing them all is quicker than hashing.
        if ends.count <= 8 {
            for index in ends.indices where ByteStringSet.member(index, bytes, ends, equals: text) { return true }
            return false
        }
        return ByteStringSet.find(text, bytes, ends, slots, mask).member
    }

    private static func member(_ index: Int, _ bytes: [UInt8], _ ends: [Int], equals text: UnsafeBufferPointer<UInt8>)
        -> Bool
    {
        let start = index == 0 ? 0 : ends[index - 1]
        guard ends[index] - start == text.count else { return false }
        return text.isEmpty
            || bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, text.baseAddress!, text.count) == 0 }
    }

    /// The slot holding `text`, or the empty slot where it would go.
    private static func find(
        _ text: UnsafeBufferPointer<UInt8>, _ bytes: [UInt8], _ ends: [Int], _ slots: [Int32],
        _ mask: Int
    ) -> (member: Bool, slot: Int) {
        var slot = hash(text) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return (false, slot) }
            if member(index, bytes, ends, equals: text) { return (true, slot) }
            slot = (slot + 1) & mask
        }
    }

    /// FNV-1a, 64 bits: stable, and quick on the short strings enums hold.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: value ^ (value >> 29))
    }
}

extension Array where Element == UInt8 {
    /// True when the array holds exactly `bytes` (one `memcmp`, not an element-by-element loop).
    @inline(__always)
    func equals(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        count == bytes.count
            && (isEmpty || withUnsafeBufferPointer { memcmp($0.baseAddress!, bytes.baseAddress!, count) == 0 })
    }
}
