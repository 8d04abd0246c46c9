import Testing

@testable import PublicaValidation

struct UniqueValuesTests {
    @Test func integerSetAgreesWithSet() {
        var mine = IntegerSet()
        var reference = Set<Int64>()
        var generator = SystemRandomNumberGenerator()
        // Sequential ids, repeats, negatives and the extremes (Int64.min is the set's empty marker).
        var values: [Int64] = Array(1...50_000) + Array(1...1_000) + [0, -1, .max, .min, .min, .max]
        for _ in 0..<50_000 { values.append(Int64.random(in: -1_000...1_000, using: &generator)) }
        for value in values {
            let inserted = mine.insert(value)
            #expect(inserted == reference.insert(value).inserted, "insert \(value)")
        }
        for value in [Int64.min, .max, 0, 50_000, 50_001, -1_001, 123_456] {
            #expect(mine.contains(value) == reference.contains(value), "contains \(value)")
        }
    }

    /// Serial numbers extend a run; values out of order go to the table, and the run never
    /// swallows a value the table already has.
    @Test func runsAndTableTogether() {
        var set = IntegerSet()
        let inserts: [(Int64, Bool)] = [
            (1, true), (2, true), (3, true), (5, true), (4, true), (5, false),
            (6, true), (2, false), (.max, true), (.min, true), (.min, false), (0, true), (0, false)
        ]
        for (value, expected) in inserts {
            let inserted = set.insert(value)
            #expect(inserted == expected, "insert \(value)")
        }
        for value: Int64 in [1, 2, 3, 4, 5, 6, .max, .min, 0] { #expect(set.contains(value)) }
        for value: Int64 in [7, -1, 100] { #expect(!set.contains(value)) }
    }

    @Test func integersAndTextsAreKeptApart() {
        var values = UniqueValues()
        let one: [UInt8] = Array("1".utf8)
        let results = one.withUnsafeBufferPointer { text in
            [
                values.insert(.integer(1)), values.insert(.text(text)), values.insert(.integer(1)),
                values.insert(.text(text))
            ]
        }
        #expect(results == [true, true, false, false])
        #expect(values.contains(.integer(1)) && !values.contains(.integer(2)))
    }
}
