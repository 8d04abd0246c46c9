internal import CPublicaSystem

/// SHA-256 (FIPS 180-4), streamed: `update` with any number of chunks, then `finalize`.
///
/// Written here because Foundation on Linux has no digest API and the data package and run
/// report need `sha256:` hashes; tested against the standard's test vectors. The block
/// compression is C (CPublicaSystem), with the x86 SHA extensions where the processor has them:
/// every published byte is hashed, and the Swift version ran at 160 MB/s, slower than the parser.
public struct SHA256 {
    private var state: [UInt32] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
    ]
    private var pending: [UInt8] = []
    private var length: UInt64 = 0
    /// Use the portable compression even where the SHA extensions are there (for tests).
    let portable: Bool

    /// An empty digest, using the SHA extensions where the processor has them.
    public init() { portable = false }

    init(portable: Bool) { self.portable = portable }

    /// Whether this machine's hashing uses the processor's SHA extensions.
    public static var accelerated: Bool { publica_sha256_accelerated() != 0 }

    /// Hashes `bytes` after what came before; any chunk size.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        var input = bytes[...]
        if !pending.isEmpty {
            let take = min(64 - pending.count, input.count)
            pending.append(contentsOf: input.prefix(take))
            input = input.dropFirst(take)
            if pending.count == 64 {
                let block = pending
                block.withUnsafeBytes { compress($0, blocks: 1) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        let whole = input.count / 64
        if whole > 0 {
            compress(UnsafeRawBufferPointer(rebasing: input.prefix(whole * 64)), blocks: whole)
            input = input.dropFirst(whole * 64)
        }
        pending.append(contentsOf: input)
    }

    /// Hashes `bytes` after what came before.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest as lowercase hex.
    public mutating func finalize() -> String {
        let bitLength = length &* 8
        var tail: [UInt8] = [0x80]
        while (pending.count + tail.count) % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) {
            tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        let savedLength = length
        tail.withUnsafeBytes { update($0) }
        length = savedLength
        let hex: [Character] = Array("0123456789abcdef")
        var text = ""
        for word in state {
            for shift in stride(from: 28, through: 0, by: -4) { text.append(hex[Int((word >> UInt32(shift)) & 0xF)]) }
        }
        return text
    }

    private mutating func compress(_ bytes: UnsafeRawBufferPointer, blocks: Int) {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let portable = self.portable
        state.withUnsafeMutableBufferPointer { words in
            if portable {
                publica_sha256_blocks_portable(words.baseAddress!, base, blocks)
            } else {
                publica_sha256_blocks(words.baseAddress!, base, blocks)
            }
        }
    }
}

extension SHA256 {
    /// The digest of `bytes`, in lowercase hex.
    public static func hex(_ bytes: [UInt8]) -> String {
        var digest = SHA256()
        bytes.withUnsafeBytes { digest.update($0) }
        return digest.finalize()
    }
}
