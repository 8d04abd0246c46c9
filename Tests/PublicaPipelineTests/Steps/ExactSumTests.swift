import Foundation
import PublicaCore
import Testing

@testable import PublicaPipeline

/// The running sum behind `aggregate`'s `sum` and `mean`: exact past 64 bits, the same from a
/// number's bytes as from its value, and as Foundation's 38-digit `Decimal` says.
struct ExactSumTests {
    /// Numbers of every size and sign, with and without fractions and trailing zeros.
    static func numbers(_ count: Int, seed: UInt64) -> [String] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        return (0..<count).map { _ in
            let whole = String((0..<(1 + next(18))).map { _ in Character(String(next(10))) })
            let fraction =
                next(3) == 0 ? "" : "." + String((0..<(1 + next(6))).map { _ in Character(String(next(10))) })
            return (next(2) == 0 ? "-" : "") + whole + fraction
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func sumsFromBytesAndValuesAgreeWithDecimal(seed: UInt64) throws {
        let numbers =
            ExactSumTests.numbers(30, seed: seed) + ["9223372036854775807", "999999999999999999", "0.50", "-0.0"]
        var fromValues = ExactSum()
        var fromBytes = ExactSum()
        var reference = Decimal(0)
        for text in numbers {
            let number = try #require(ExactDecimal(text))
            fromValues.add(try #require(ExactSum(number)))
            var utf8 = Array(text.utf8)
            let plain = utf8.withUnsafeMutableBufferPointer { ExactSum(plain: UnsafeBufferPointer($0)) }
            // 19 digits and more are left to the value.
            #expect((plain == nil) == (text.utf8.filter { $0 >= 0x30 && $0 <= 0x39 }.count > 18))
            fromBytes.add(plain ?? ExactSum(number)!)
            reference += Decimal(string: text)!
        }
        #expect(fromValues.decimal == fromBytes.decimal)
        #expect(fromValues.scale == fromBytes.scale)
        #expect(fromValues.decimal == ExactDecimal("\(reference)"))
        // A mean's digits follow the scale, which trailing zeros do not change.
        #expect(fromValues.divided(by: 7, extraDigits: 6) == fromBytes.divided(by: 7, extraDigits: 6))
    }

    @Test func sumsPast64BitsStayExact() throws {
        var sum = ExactSum()
        for _ in 0..<1_000 { sum.add(try #require(ExactSum(ExactDecimal("9223372036854775807.5")!))) }
        sum.add(try #require(ExactSum(ExactDecimal("-0.25")!)))
        #expect(sum.decimal == ExactDecimal("9223372036854775807499.75"))
        #expect(sum.scale == 2)
        // Eighteen-digit numbers are counted in 64 bits until the count would overflow.
        var counted = ExactSum()
        for _ in 0..<20 { counted.add(try #require(ExactSum(ExactDecimal("999999999999999999")!))) }
        counted.add(try #require(ExactSum(ExactDecimal("0.001")!)))
        #expect(counted.decimal == ExactDecimal("19999999999999999980.001"))
    }

    @Test func onlyPlainNumbersAreReadFromBytes() {
        for text in ["", "-", ".5", "5.", "+5", "1,234", "1e3", " 5", "5 ", "--1", "1.2.3", "0x10", "１２"] {
            var utf8 = Array(text.utf8)
            #expect(utf8.withUnsafeMutableBufferPointer { ExactSum(plain: UnsafeBufferPointer($0)) } == nil, "\(text)")
        }
    }
}
