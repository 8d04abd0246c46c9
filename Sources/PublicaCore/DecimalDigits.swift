/// Integers read from their ASCII digits (a field's bytes, no `String`), shared by the outputs
/// that store integers typed (SQLite, Parquet).
public enum DecimalDigits {
    /// `-12`, `+7`, `0042` as a 64-bit integer; nil for anything else or past 64 bits
    /// (`-9223372036854775808` is fine).
    public static func int64(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative || bytes.first == UInt8(ascii: "+") { index = 1 }
        guard index < bytes.count else { return nil }
        var value: Int64 = 0
        while index < bytes.count {
            let digit = Int64(bytes[index] &- 0x30)
            guard digit >= 0 && digit <= 9 else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            // Negatives are built downwards, so that Int64.min is reached.
            let (next, overflowAdd) =
                negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflow && !overflowAdd else { return nil }
            value = next
            index &+= 1
        }
        return value
    }
}
