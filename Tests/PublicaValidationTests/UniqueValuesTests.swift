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

    @Test func integersAndTextsAreKeptApart() {
        var values = UniqueValues()
        let results = [values.insert(.integer(1)), values.insert(.text("1")), values.insert(.integer(1)), values.insert(.text("1"))]
        #expect(results == [true, true, false, false])
        #expect(values.contains(.integer(1)) && !values.contains(.integer(2)))
    }
}
