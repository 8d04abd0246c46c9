#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A table-driven CP949 decoder: every two-byte code's UTF-8, built once from glibc's iconv.
///
/// Decoding through a table keeps iconv's mapping exactly while skipping its per-character
/// call overhead; ASCII is copied eight bytes at a time.
final class CP949Table: ByteConverter, Sendable {
    /// For code `lead << 8 | trail`: the UTF-8 bytes packed little-endian in the low 24 bits, the
    /// byte count in bits 24–27 and bit 28 set for a character NFC would change (CP949's duplicate
    /// Hanja map to CJK compatibility ideographs); 0 for an invalid code.
    let entries: [UInt32]

    /// Built on first use (about 24,000 iconv calls, a few milliseconds).
    static let shared: CP949Table? = CP949Table()

    private init?() {
        let converter = iconv_open("UTF-8", "CP949")
        guard let converter, converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var entries = [UInt32](repeating: 0, count: 1 << 16)
        var input: [CChar] = [0, 0]
        var output: [CChar] = [0, 0, 0, 0, 0, 0, 0, 0]
        for lead in 0x81...0xFE {
            for trail in 0x41...0xFE {
                input[0] = CChar(bitPattern: UInt8(lead))
                input[1] = CChar(bitPattern: UInt8(trail))
                let length: Int = input.withUnsafeMutableBufferPointer { inBuffer in
                    output.withUnsafeMutableBufferPointer { outBuffer in
                        var inPointer: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress
                        var inLeft = 2
                        var outPointer: UnsafeMutablePointer<CChar>? = outBuffer.baseAddress
                        var outLeft = 8
                        iconv(converter, nil, nil, nil, nil)
                        guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1, inLeft == 0 else {
                            return 0
                        }
                        return 8 - outLeft
                    }
                }
                guard length >= 2 && length <= 3 else { continue }
                var packed = UInt32(length) << 24
                let decoded = String(decoding: output.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if let scalar = decoded.unicodeScalars.first, !UTF8Scan.isNormalizationStable(scalar.value) {
                    packed |= 1 << 28
                }
                for index in 0..<length { packed |= UInt32(UInt8(bitPattern: output[index])) << (8 * UInt32(index)) }
                entries[lead << 8 | trail] = packed
            }
        }
        self.entries = entries
    }

    var classifiesNormalization: Bool { true }

    func convert(
        _ input: UnsafePointer<UInt8>, position: inout Int, inputEnd end: Int,
        into output: UnsafeMutablePointer<UInt8>, written: inout Int, capacity: Int,
        mayNeedNormalization: inout Bool
    ) -> ConversionOutcome {
        var index = position
        var out = written
        defer {
            position = index
            written = out
        }
        return entries.withUnsafeBufferPointer { table in
            while index < end {
                // ASCII, eight bytes at a time.
                while index &+ 8 <= end && out &+ 8 <= capacity {
                    let word = UnsafeRawPointer(input + index).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 != 0 { break }
                    UnsafeMutableRawPointer(output + out).storeBytes(of: word, as: UInt64.self)
                    index &+= 8
                    out &+= 8
                }
                guard index < end else { break }
                let lead = input[index]
                if lead < 0x80 {
                    guard out < capacity else { return .outputFull }
                    output[out] = lead
                    out &+= 1
                    index &+= 1
                    continue
                }
                guard index &+ 1 < end else { return .needInput }
                let entry = table[Int(lead) << 8 | Int(input[index &+ 1])]
                guard entry != 0 else { return .invalid }
                guard out &+ 3 <= capacity else { return .outputFull }
                output[out] = UInt8(truncatingIfNeeded: entry)
                output[out &+ 1] = UInt8(truncatingIfNeeded: entry >> 8)
                output[out &+ 2] = UInt8(truncatingIfNeeded: entry >> 16)
                out &+= Int((entry >> 24) & 0xF)
                if entry & (1 << 28) != 0 { mayNeedNormalization = true }
                index &+= 2
            }
            return .needInput
        }
    }
}
