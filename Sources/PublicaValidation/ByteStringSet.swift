/// A set of byte strings looked up straight from a buffer, without making an `Array` or a
/// `String` per cell: open addressing over the strings' indices, linear probing.
///
/// `enum` constraints use it on the fast path, so an enum of 100,000 values costs one hash and
/// (almost always) one comparison per cell, as a small one does.
struct ByteStringSet {
    private let members: [[UInt8]]
    /// Indices into `members`, -1 for an empty slot; the count is a power of two, at least twice the members'.
    private let slots: [Int32]
    private let mask: Int

    init(_ members: [[UInt8]]) {
        self.members = members
        var capacity = 8
        while capacity < members.count * 2 { capacity *= 2 }
        let mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)
        for (index, member) in members.enumerated() {
            let found = member.withUnsafeBufferPointer { ByteStringSet.find($0, members, slots, mask) }
            if found.member { continue }
            slots[found.slot] = Int32(index)
        }
        self.slots = slots
        self.mask = mask
    }

    func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // A handful of values: comparing them all is quicker than hashing.
        if members.count <= 8 { return members.contains { $0.elementsEqual(bytes) } }
        return ByteStringSet.find(bytes, members, slots, mask).member
    }

    /// The slot holding `bytes`, or the empty slot where it would go.
    private static func find(_ bytes: UnsafeBufferPointer<UInt8>, _ members: [[UInt8]], _ slots: [Int32],
                             _ mask: Int) -> (member: Bool, slot: Int) {
        var slot = hash(bytes) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return (false, slot) }
            if members[index].elementsEqual(bytes) { return (true, slot) }
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
