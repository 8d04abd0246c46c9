import PublicaCore

/// A lookup key as bytes: each part (a key field's text, null as empty text) its length (four
/// bytes) and then its bytes, so `a`+`bc` and `ab`+`c` are different keys and no key is empty.
/// The same bytes whether the part comes from a reader's buffer or from a value's text, so a
/// join's fast path, its record path and its sorted spill all find the same matches.
enum LookupKey {
    /// A key part, length first.
    static func appendPart(_ bytes: UnsafeBufferPointer<UInt8>, to key: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { key.append(contentsOf: $0) }
        key.append(contentsOf: bytes)
    }

    /// ``appendPart(_:to:)`` for bytes in an array.
    static func appendPart(_ bytes: [UInt8], to key: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { appendPart($0, to: &key) }
    }

    /// A record's key at `positions` into `key` (emptied first); false when a part is empty
    /// text (which a join never matches).
    @discardableResult
    static func make(_ record: Record, _ positions: [Int], into key: inout [UInt8]) -> Bool {
        key.removeAll(keepingCapacity: true)
        var complete = true
        for position in positions {
            var text = position < record.values.count ? record.values[position].textValue ?? "" : ""
            if text.isEmpty { complete = false }
            text.withUTF8 { appendPart($0, to: &key) }
        }
        return complete
    }

    /// The parts of a key, as text (for a message).
    static func texts(_ key: UnsafeRawBufferPointer) -> [String] {
        var parts: [String] = []
        var offset = 0
        while offset + 4 <= key.count {
            var length: UInt32 = 0
            withUnsafeMutableBytes(of: &length) {
                $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: key[offset..<(offset + 4)]))
            }
            let end = min(offset + 4 + Int(UInt32(littleEndian: length)), key.count)
            parts.append(String(decoding: UnsafeRawBufferPointer(rebasing: key[(offset + 4)..<end]), as: UTF8.self))
            offset = end
        }
        return parts
    }
}
