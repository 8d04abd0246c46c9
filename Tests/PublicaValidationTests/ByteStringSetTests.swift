import Foundation
import PublicaCore
import PublicaTestSupport
import Testing

@testable import PublicaValidation

struct ByteStringSetTests {
    func contains(_ set: ByteStringSet, _ text: String) -> Bool {
        Array(text.utf8).withUnsafeBufferPointer { set.contains($0) }
    }

    @Test func membersAndNonMembers() {
        let members = (0..<5_000).map { "코드\($0)" } + ["", "a"]
        let set = ByteStringSet(members.map { Array($0.utf8) } + [Array("a".utf8)])  // a duplicate is fine
        for member in members { #expect(contains(set, member), "\(member)") }
        for other in ["코드5000", "코드-1", "b", "코드", "a "] { #expect(!contains(set, other), "\(other)") }
        #expect(!contains(ByteStringSet([]), "") && !contains(ByteStringSet([]), "x"))
        // A few values are compared one by one, not hashed: the same answers.
        let small = ByteStringSet(["가", "b", ""].map { Array($0.utf8) })
        #expect(contains(small, "가") && contains(small, "") && !contains(small, "c") && !contains(small, "가가"))
    }

    /// The full check's set: texts and integers inline, other values boxed, equal as `FieldValue`s are.
    @Test func allowedValuesCompareAsFieldValues() throws {
        let date = FieldValue.date(try #require(DateValue(year: 2024, month: 6, day: 30)))
        let allowed = AllowedValues([.text("A"), .integer(1), .decimal(try #require(ExactDecimal("1.5"))), date])
        #expect(allowed.contains(.text("A")) && allowed.contains(.integer(1)) && allowed.contains(date))
        #expect(allowed.contains(.decimal(try #require(ExactDecimal("1.5")))))
        #expect(!allowed.contains(.text("1")) && !allowed.contains(.integer(2)) && !allowed.contains(.text("a")))
        #expect(
            !allowed.contains(.date(try #require(DateValue(year: 2024, month: 7, day: 1)))) && !allowed.contains(.null))
    }

    /// A large enum, on the fast path (every cell valid) and the full check (rows with another
    /// error): the same values pass and fail either way.
    @Test func largeEnumIsCheckedOnBothPaths() throws {
        let directory = try TemporaryDirectory()
        let values = (0..<20_000).map { "V\($0)" }
        let schema = FieldValue.object([
            (
                "fields",
                .list([
                    .object([
                        ("name", "code"), ("type", "string"),
                        ("constraints", .object([("enum", .list(values.map(FieldValue.text)))]))
                    ]),
                    .object([("name", "n"), ("type", "integer")])
                ])
            )
        ])
        try "code,n\nV0,1\nV19999,2\nV20000,3\nV7,x\nW7,x\n".write(
            toFile: directory.path("t.csv"), atomically: false, encoding: .utf8)
        var keys = TableValidator.KeyCollector()
        let task = try TableValidator().validate(
            path: directory.path("t.csv"), name: "t",
            schema: try TableSchema(descriptor: schema, source: "inline"), keys: &keys)
        let found = task.errors.map { "\($0.rowNumber ?? 0):\($0.type)" }
        #expect(found == ["4:constraint-error", "5:type-error", "6:constraint-error", "6:type-error"])
    }
}
