/// Parquet's RLE / bit-packed hybrid encoding, for definition levels (bit width 1) and
/// dictionary indices: runs of eight or more equal values as one RLE run, the rest bit-packed
/// in groups of eight.
enum HybridEncoder {
    /// Appends `values`, each below `1 << bitWidth`, encoded.
    static func encode<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<T>, bitWidth: Int, into output: inout ByteBuffer
    ) {
        var packedStart = 0  // first value not yet written
        var index = 0
        while index < values.count {
            let value = values[index]
            var end = index + 1
            while end < values.count && values[end] == value { end += 1 }
            // A run of 8 or more starting where the pending values fill whole groups of 8.
            let pending = index - packedStart
            let aligned = index + (8 - pending % 8) % 8
            if end - aligned >= 8 {
                if aligned > packedStart { bitPack(values, packedStart..<aligned, bitWidth, &output) }
                output.appendVarint(UInt64(end - aligned) << 1)
                appendValue(UInt64(value), bitWidth, &output)
                packedStart = end
            }
            index = end
        }
        if packedStart < values.count { bitPack(values, packedStart..<values.count, bitWidth, &output) }
    }

    /// One RLE run's value, in the fewest whole bytes that hold `bitWidth` bits.
    private static func appendValue(_ value: UInt64, _ bitWidth: Int, _ output: inout ByteBuffer) {
        for byte in 0..<((bitWidth + 7) / 8) { output.append(UInt8(truncatingIfNeeded: value >> (8 * byte))) }
    }

    /// A bit-packed run over `range` (padded with zeros to groups of 8, which only the last may need).
    private static func bitPack<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<T>, _ range: Range<Int>, _ bitWidth: Int, _ output: inout ByteBuffer
    ) {
        let groups = (range.count + 7) / 8
        output.appendVarint(UInt64(groups) << 1 | 1)
        output.reserve(groups * bitWidth)
        var accumulator: UInt64 = 0
        var bits = 0
        for index in range.lowerBound..<(range.lowerBound + groups * 8) {
            let value = index < range.upperBound ? UInt64(values[index]) : 0
            accumulator |= value << UInt64(bits)
            bits += bitWidth
            while bits >= 8 {
                output.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                bits -= 8
            }
        }
    }
}
