internal import CZstd
import PublicaCore

/// Compresses pages with Zstandard (the system's libzstd), one context reused for every page.
final class ZstdCompressor {
    private let context: OpaquePointer
    private let level: Int32
    /// The last page compressed.
    private(set) var output = ByteBuffer(capacity: 1 << 16)

    /// A compressor at `level` (1: fast, as pyarrow's default for zstd is).
    init(level: Int32 = 1) throws {
        guard let context = ZSTD_createCCtx() else {
            throw PublicaError(.io, "cannot start Zstandard compression (out of memory)")
        }
        self.context = context
        self.level = level
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Compresses `bytes` into ``output``.
    func compress(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        let bound = ZSTD_compressBound(bytes.count)
        output.removeAll()
        output.reserve(bound)
        let written = ZSTD_compressCCtx(context, output.base, bound, bytes.baseAddress, bytes.count, level)
        guard ZSTD_isError(written) == 0 else {
            throw PublicaError(.io, "Zstandard compression failed: \(String(cString: ZSTD_getErrorName(written)))")
        }
        output.setCount(written)
    }
}
