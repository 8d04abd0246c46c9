import PublicaIngest

/// An element or attribute name as libxml2 gives it: interned local name and prefix.
///
/// The pointers belong to the parser's dictionary and stay valid while it lives, so equal
/// names have equal pointers and comparing them costs one instruction.
struct XMLName {
    let local: UnsafePointer<UInt8>
    let prefix: UnsafePointer<UInt8>?

    /// `prefix:local` or `local`.
    var qualified: String {
        let localName = String(cString: local)
        guard let prefix else { return localName }
        return String(cString: prefix) + ":" + localName
    }

    var localString: String { String(cString: local) }
}

/// The attributes of a start tag: libxml2's array of five pointers each
/// (local name, prefix, URI, value start, value end; the value is not NUL-terminated).
struct XMLAttributes {
    let base: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    let count: Int

    struct Attribute {
        let name: XMLName
        let valueStart: UnsafePointer<UInt8>
        let valueEnd: UnsafePointer<UInt8>

        var value: String {
            String(decoding: UnsafeBufferPointer(start: valueStart, count: valueEnd - valueStart), as: UTF8.self)
        }
    }

    subscript(_ index: Int) -> Attribute {
        let entry = base! + index * 5
        return Attribute(name: XMLName(local: entry[0]!, prefix: entry[1]), valueStart: entry[3]!, valueEnd: entry[4]!)
    }

    /// The value of the attribute with this local name, if present.
    func value(of local: String) -> String? {
        for index in 0..<count where String(cString: self[index].name.local) == local { return self[index].value }
        return nil
    }

    /// The attributes without a prefix, as (local name, value).
    var unprefixed: [(String, String)] {
        (0..<count).compactMap { index in
            let attribute = self[index]
            return attribute.name.prefix == nil ? (attribute.name.localString, attribute.value) : nil
        }
    }
}

/// A growable byte buffer for character data, without `Array`'s uniqueness checks on the hot path.
///
/// Owned by the parser state, which frees it with ``release()``.
struct TextBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
        base = PageMemory.allocate(capacity)
    }

    func release() { PageMemory.free(base, capacity: capacity) }

    @inline(__always)
    mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafePointer<UInt8>, count length: Int) {
        if count + length > capacity { grow(count + length) }
        (base + count).update(from: bytes, count: length)
        count += length
    }

    private mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        base = PageMemory.resize(base, from: capacity, to: newCapacity)
        capacity = newCapacity
    }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
    var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends character data, normalising CR LF and lone CR to LF inside CDATA
    /// (libxml2 2.9.14 leaves them there; the XML spec says they are LF).
    @inline(__always)
    mutating func appendText(_ bytes: UnsafePointer<UInt8>, count length: Int, cdata: Bool) {
        guard cdata else {
            append(bytes, count: length)
            return
        }
        var index = 0
        while index < length {
            let byte = bytes[index]
            if byte == 0x0D {
                append(0x0A)
                if index + 1 < length && bytes[index + 1] == 0x0A { index += 1 }
            } else {
                append(byte)
            }
            index += 1
        }
    }
}
