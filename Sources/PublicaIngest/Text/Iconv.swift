import PublicaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A glibc `iconv` conversion to UTF-8, owned and closed in `deinit`.
final class Iconv: ByteConverter {
    var classifiesNormalization: Bool { false }

    private let handle: iconv_t

    /// Opens a converter from `encodingName` (as `iconv -l` spells it) to UTF-8.
    init(from encodingName: String) throws {
        let handle = iconv_open("UTF-8", encodingName)
        guard let handle, handle != iconv_t(bitPattern: -1) else {
            throw PublicaError(.usage, "this system's iconv cannot convert from \(encodingName)")
        }
        self.handle = handle
    }

    deinit { iconv_close(handle) }

    func convert(
        _ input: UnsafePointer<UInt8>, position: inout Int, inputEnd: Int,
        into output: UnsafeMutablePointer<UInt8>, written: inout Int, capacity: Int,
        mayNeedNormalization: inout Bool
    ) -> ConversionOutcome {
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: input + position)
            .assumingMemoryBound(to: CChar.self)
        var inLeft = inputEnd - position
        var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(output + written)
            .assumingMemoryBound(to: CChar.self)
        var outLeft = capacity - written
        let result = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
        let failure = errno
        position = inputEnd - inLeft
        written = capacity - outLeft
        if result != -1 { return .needInput }
        switch failure {
        case E2BIG: return .outputFull
        case EINVAL: return .needInput
        default: return .invalid
        }
    }
}
