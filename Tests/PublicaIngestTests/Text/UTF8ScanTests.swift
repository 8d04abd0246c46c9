import Testing

@testable import PublicaIngest

/// The validating scan against Swift's own UTF-8 decoder, on every edge the fast paths take.
struct UTF8ScanTests {
    /// Byte sequences around the three-byte fast path: overlongs (E0 80–9F), surrogates
    /// (ED A0–BF), the Hangul block's ends, truncations and stray continuation bytes.
    static let edges: [[UInt8]] = [
        [0xEA, 0xB0, 0x80], [0xED, 0x9E, 0xA3], [0xED, 0x9E, 0xA4], [0xED, 0x9F, 0xBF],
        [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
        [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF], [0xE1, 0x84, 0x92], [0xE3, 0x85, 0x8F], [0xEC, 0x9D],
        [0xE2, 0x28, 0xA1], [0xE2, 0x82, 0x28], [0x80], [0xBF], [0xC0, 0xAF], [0xC1, 0xBF], [0xC2, 0x80],
        [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80],
        [0xF5, 0x80, 0x80, 0x80], [0xFF]
    ]

    func swiftAccepts(_ bytes: [UInt8]) -> Bool { String(validating: bytes, as: UTF8.self) != nil }

    func scanAccepts(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { UTF8Scan.scan($0.baseAddress!, count: $0.count).validCount == $0.count }
    }

    @Test(arguments: edges)
    func edgeAgreesWithSwift(_ sequence: [UInt8]) {
        // Alone, between ASCII, and after eight ASCII bytes (the word-at-a-time path).
        for bytes in [sequence, Array("a".utf8) + sequence + Array("b".utf8), Array("12345678".utf8) + sequence] {
            #expect(scanAccepts(bytes) == swiftAccepts(bytes), "\(bytes.map { String($0, radix: 16) })")
        }
    }

    @Test func randomMixesAgreeWithSwift() {
        var generator = SystemRandomNumberGenerator()
        let pieces =
            Self.edges + [Array("가".utf8), Array("힣".utf8), Array("漢".utf8), Array(" ,\"\n".utf8), Array("é".utf8)]
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                bytes += pieces.randomElement(using: &generator)!
            }
            #expect(scanAccepts(bytes) == swiftAccepts(bytes), "\(bytes.map { String($0, radix: 16) })")
        }
    }

    @Test func normalizationFlag() {
        func flag(_ text: String) -> Bool {
            Array(text.utf8).withUnsafeBufferPointer {
                UTF8Scan.scan($0.baseAddress!, count: $0.count).mayNeedNormalization
            }
        }
        #expect(!flag("서울특별시 종로구 123, 漢字"))
        #expect(flag("\u{1112}\u{1161}\u{11AB}"))  // conjoining jamo (NFD Hangul)
        #expect(flag("e\u{0301}"))  // a combining accent
        #expect(flag("\u{212B}"))  // the angstrom sign, which NFC replaces
    }
}
