#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PublicaCore

/// A glibc `iconv` conversion to UTF-8, owned and closed in `deinit`.
final class Iconv {
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

    enum Outcome {
        /// All input converted (or only an incomplete sequence is left, to be completed by more input).
        case needInput
        /// The output is full.
        case outputFull
        /// An invalid sequence at the current input position.
        case invalid
    }

    /// Converts from `input` into `output`, advancing both.
    func convert(input: inout Int, inputEnd: Int,
                 inputBase: UnsafeMutablePointer<UInt8>,
                 output: inout Int, outputCapacity: Int, outputBase: UnsafeMutablePointer<UInt8>) -> Outcome {
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inputBase + input)
            .assumingMemoryBound(to: CChar.self)
        var inLeft = inputEnd - input
        var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outputBase + output)
            .assumingMemoryBound(to: CChar.self)
        var outLeft = outputCapacity - output
        let result = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
        let failure = errno
        input = inputEnd - inLeft
        output = outputCapacity - outLeft
        if result != -1 { return .needInput }
        switch failure {
        case E2BIG: return .outputFull
        case EINVAL: return .needInput
        default: return .invalid
        }
    }
}
