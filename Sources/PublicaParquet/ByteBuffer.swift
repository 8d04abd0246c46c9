/// A growable run of bytes, appended to through raw pointers (no per-byte bounds checks, no
/// copy-on-write checks): a column's values, its levels, a page being assembled.
struct ByteBuffer: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Bytes held.
    private(set) var count = 0

    init(capacity: Int = 4096) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes held.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Empties the buffer, keeping its memory.
    mutating func removeAll() { count = 0 }

    /// Marks the first `count` bytes as held, after writing them through ``base`` (within a reservation).
    mutating func setCount(_ count: Int) { self.count = count }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count &+ extra > capacity { grow(count + extra) }
    }

    @inline(never)
    private mutating func grow(_ needed: Int) {
        var size = capacity * 2
        while size < needed { size *= 2 }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        larger.update(from: base, count: count)
        base.deallocate()
        base = larger
        capacity = size
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count &+= 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count &+= bytes.count
    }

    mutating func append(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { append($0) } }

    /// Appends a fixed-width integer, little-endian (Parquet's PLAIN encoding).
    @inline(__always)
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        let size = MemoryLayout<T>.size
        reserve(size)
        UnsafeMutableRawPointer(base + count).storeBytes(of: value.littleEndian, as: T.self)
        count &+= size
    }

    /// Appends an unsigned LEB128 varint (Thrift's and the RLE hybrid's run headers).
    @inline(__always)
    mutating func appendVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        append(UInt8(value))
    }

    /// Overwrites 4 bytes at `offset` with `value`, little-endian (a length written after what it measures).
    mutating func store(_ value: UInt32, at offset: Int) {
        UnsafeMutableRawPointer(base + offset).storeBytes(of: value.littleEndian, toByteOffset: 0, as: UInt32.self)
    }

    /// Trades contents with `other` (no copy).
    mutating func exchange(with other: inout ByteBuffer) {
        (base, other.base) = (other.base, base)
        (capacity, other.capacity) = (other.capacity, capacity)
        (count, other.count) = (other.count, count)
    }

    /// Reads back a little-endian integer at byte `offset`.
    @inline(__always)
    func load<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        T(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: T.self))
    }
}
