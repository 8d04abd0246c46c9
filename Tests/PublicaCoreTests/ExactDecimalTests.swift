import PublicaCore
import Testing

struct ExactDecimalTests {
    @Test(arguments: [
        ("0.1", "0.1"), ("1234000", "1234000"), ("-0.50", "-0.5"), ("007", "7"), ("-0", "0"),
        ("1e3", "1000"), ("1.5E-2", "0.015"), ("+12.340", "12.34"), (".5", "0.5")
    ])
    func canonicalText(input: String, expected: String) throws {
        let number = try #require(ExactDecimal(input))
        #expect(number.description == expected)
    }

    @Test(arguments: ["", "-", "1.2.3", "1,000", "12a", "e5", "0x10"])
    func rejectsNonNumbers(input: String) {
        #expect(ExactDecimal(input) == nil)
    }

    @Test func ordersLikeNumbers() throws {
        let values = ["-10.5", "-2", "0", "0.05", "0.1", "2", "10"].map { ExactDecimal($0)! }
        #expect(values == values.shuffled().sorted())
        #expect(ExactDecimal("0.10")! == ExactDecimal("0.1")!)
    }

    @Test func wholeNumbersFitInt64() {
        #expect(ExactDecimal("9223372036854775807")?.int64Value == Int64.max)
        #expect(ExactDecimal("9223372036854775808")?.int64Value == nil)
        #expect(ExactDecimal("1.5")?.int64Value == nil)
    }
}
