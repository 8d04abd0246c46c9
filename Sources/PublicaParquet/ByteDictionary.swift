#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A column chunk's dictionary of byte strings: each distinct value once, in first-seen order,
/// already in PLAIN form (4-byte length, bytes) so the dictionary page is ``plain`` as it is.
///
/// Open addressing with linear probing, at most half full; hashed with the standard library's
/// seeded hasher, so crafted values cannot force long probe chains.
struct ByteDictionary: ~Copyable {
    /// The values, PLAIN-encoded, back to back.
    private(set) var plain = ByteBuffer(capacity: 1 << 16)
    /// Where each value's bytes start in ``plain`` (after its length).
    private(set) var starts: [Int32] = []
    /// Value indices, -1 for a free slot; a power of two long.
    private var slots: [Int32] = Array(repeating: -1, count: 1024)

    /// Distinct values held.
    var count: Int { starts.count }

    /// Value `index`'s bytes.
    func value(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = Int(starts[index])
        let length = Int(plain.load(UInt32.self, at: start - 4))
        return UnsafeBufferPointer(start: plain.base + start, count: length)
    }

    /// The index of `bytes`, added if new.
    mutating func index(of bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let mask = slots.count - 1
        var slot = ByteDictionary.hash(bytes) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 { break }
            if equals(Int(entry), bytes) { return UInt32(entry) }
            slot = (slot + 1) & mask
        }
        let index = Int32(starts.count)
        plain.appendLittleEndian(UInt32(bytes.count))
        starts.append(Int32(plain.count))
        plain.append(bytes)
        slots[slot] = index
        if starts.count * 2 > slots.count { grow() }
        return UInt32(index)
    }

    /// Forgets every value (a new column chunk).
    mutating func removeAll() {
        plain.removeAll()
        starts.removeAll(keepingCapacity: true)
        for index in slots.indices { slots[index] = -1 }
    }

    private func equals(_ entry: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let stored = value(entry)
        guard stored.count == bytes.count else { return false }
        guard let a = stored.baseAddress, let b = bytes.baseAddress else { return true }
        return memcmp(a, b, bytes.count) == 0
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for entry in starts.indices {
            var slot = ByteDictionary.hash(value(entry)) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry)
        }
    }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        return hasher.finalize()
    }
}
