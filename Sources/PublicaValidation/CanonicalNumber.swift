/// Numbers rewritten in the canonical form their typed values print, straight from bytes
/// already checked by ``FastCellCheck``: `+007` → `7`, `1,234,000` → `1234000`, `-0.50` → `-0.5`,
/// `.5` → `0.5`, `-0` → `0` (as `Int64` and ``ExactDecimal`` print them).
enum CanonicalNumber {
    /// The most bytes a canonical form of `count` bytes takes (`.5` becomes `0.5`).
    static func bound(_ count: Int) -> Int { count &+ 2 }

    /// True when checked number text is canonical already (most are): it is then used as it is.
    static func isCanonical(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let negative = bytes[0] == 0x2D
        let start = negative ? 1 : 0
        guard start < bytes.count else { return false }
        // A leading zero only before the point (`0.5`) or alone.
        if bytes[start] == 0x30 && start + 1 < bytes.count && bytes[start + 1] != 0x2E { return false }
        var point = false
        var nonZero = false
        for index in start..<bytes.count {
            let byte = bytes[index]
            if byte == 0x2E {
                if point || index == start { return false }
                point = true
            } else if byte >= 0x31 && byte <= 0x39 {
                nonZero = true
            } else if byte != 0x30 {
                return false
            }
        }
        if point && (bytes[bytes.count - 1] == 0x30 || bytes[bytes.count - 1] == 0x2E) { return false }
        return nonZero || !negative
    }

    /// Writes a checked integer's or decimal's canonical text; returns its length.
    static func decimal(
        _ bytes: UnsafeBufferPointer<UInt8>, group: UInt8?, into destination: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var index = 0
        var negative = false
        if let first = bytes.first, first == 0x2D || first == 0x2B {
            negative = first == 0x2D
            index = 1
        }
        var cursor = destination + 1  // room for a sign, decided once the value is known to be non-zero
        var integerDigits = 0
        while index < bytes.count && bytes[index] != 0x2E {
            let byte = bytes[index]
            index += 1
            if byte == group || (byte == 0x30 && integerDigits == 0) { continue }
            cursor[0] = byte
            cursor += 1
            integerDigits += 1
        }
        if integerDigits == 0 {
            cursor[0] = 0x30
            cursor += 1
        }
        var fractionEnd = bytes.count
        while fractionEnd > index + 1 && bytes[fractionEnd - 1] == 0x30 { fractionEnd -= 1 }
        let fractionDigits = max(0, fractionEnd - index - 1)
        if fractionDigits > 0 {
            cursor[0] = 0x2E
            (cursor + 1).update(from: bytes.baseAddress! + index + 1, count: fractionDigits)
            cursor += fractionDigits + 1
        }
        let start: UnsafeMutablePointer<UInt8>
        if negative && (integerDigits > 0 || fractionDigits > 0) {
            destination[0] = 0x2D
            start = destination
        } else {
            start = destination + 1
        }
        let count = cursor - start
        if start != destination { destination.update(from: start, count: count) }
        return count
    }

    /// Writes `true` or `false`; returns the count.
    static func boolean(_ value: Bool, into destination: UnsafeMutablePointer<UInt8>) -> Int {
        let text: StaticString = value ? "true" : "false"
        destination.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        return text.utf8CodeUnitCount
    }
}
