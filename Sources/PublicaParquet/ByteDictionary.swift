import PublicaCore

/// A column chunk's dictionary of byte strings: each distinct value once, in first-seen order,
/// kept also in PLAIN form (4-byte length, bytes) so the dictionary page is ``plain`` as it is.
/// The lookup is PublicaCore's ``ByteKeyTable`` (seeded hashing: crafted values cannot force
/// long probe chains).
struct ByteDictionary: ~Copyable {
    /// The values, PLAIN-encoded, back to back.
    private(set) var plain = ByteBuffer(capacity: 1 << 16)
    /// Where each value's bytes start in ``plain`` (after its length).
    private var starts: [Int32] = []
    private var keys = ByteKeyTable(capacity: 512)

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
        let (index, added) = keys.index(of: bytes)
        if added {
            plain.appendLittleEndian(UInt32(bytes.count))
            starts.append(Int32(plain.count))
            plain.append(bytes)
        }
        return UInt32(index)
    }

    /// Forgets every value (a new column chunk).
    mutating func removeAll() {
        plain.removeAll()
        starts.removeAll(keepingCapacity: true)
        keys.removeAll()
    }
}
