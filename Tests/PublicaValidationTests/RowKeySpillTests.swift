import Foundation
import PublicaCore
import PublicaIngest
import PublicaTestSupport
import Testing

@testable import PublicaValidation

/// A validation whose unique values and primary keys outgrow its ``KeyBudget`` gives the report
/// the in-memory one gives: the same errors, in the same order, the same rows, at any error limit.
struct RowKeySpillTests {
    /// A stable sort in memory, counting what it holds: the validator's side of the spill alone.
    final class ArraySorter: BlockSorter {
        nonisolated(unsafe) static var made = 0
        private var blocks: [(key: [UInt8], payload: [UInt8])] = []

        init() { ArraySorter.made += 1 }

        func add(key: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer) throws {
            blocks.append((Array(key), Array(payload)))
        }

        func finish(_ emit: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) throws {
            let sorted = blocks.enumerated().sorted { a, b in
                a.element.key == b.element.key
                    ? a.offset < b.offset : a.element.key.lexicographicallyPrecedes(b.element.key)
            }
            blocks = []
            for (_, block) in sorted {
                try block.key.withUnsafeBytes { key in try block.payload.withUnsafeBytes { try emit(key, $0) } }
            }
        }
    }

    /// Rows whose keys repeat before the spill and after it (a key seen only after it, too),
    /// `007` beside `7`, empty keys, and rows with other errors around the repeats.
    static func csv(rows: Int) -> String {
        var csv = "id,region,code,serial,amount\n"
        for index in 0..<rows {
            var id = "\(index)", region = "r\(index % 3)", code = "c\(index)", serial = "\(index)"
            var amount = "\(index % 1000).5"
            if index % 97 == 0 { id = "00\(index)" }
            if index % 101 == 50 {
                let earlier = index > 3000 ? index - 3000 : index / 2
                (id, region) = ("000\(earlier)", "r\(earlier % 3)")
            }
            if index % 211 == 7 { id = "" }
            if index % 89 == 3 { code = index % 2 == 0 ? "c\(index / 4)" : "c\(index - 40)" }
            if index % 131 == 9 { serial = "0\(index - 1)" }
            // Too long, and repeated: a constraint error, then the unique error, in one field.
            if index % 151 == 11 { code = "long-code-\(index / 1000)" }
            // A type error before a repeated code and one after it, in one row.
            if index % 173 == 3 { (id, amount) = ("x\(index)", "y") }
            if index % 397 == 5 {
                csv += "\n"
                continue
            }
            csv += "\(id),\(region),\(code),\(serial),\(amount)\(index % 409 == 1 ? ",extra" : "")\n"
        }
        return csv
    }

    static let schema: TableSchema = {
        var unique = Constraints()
        unique.unique = true
        var short = unique
        short.maxLength = 8
        return TableSchema(
            fields: [
                SchemaField(name: "id", type: .integer), SchemaField(name: "region"),
                SchemaField(name: "code", constraints: short),
                SchemaField(name: "serial", type: .integer, constraints: unique),
                SchemaField(name: "amount", type: .number)
            ], primaryKey: ["id", "region"])
    }()

    static func validate(_ path: String, budget: Int?, limit: Int? = nil, sink: (any ValidationErrorSink)? = nil)
        throws -> ValidationTask
    {
        var validator = TableValidator(errorLimit: limit, errorSink: sink)
        validator.keyBudget = budget.map { KeyBudget(bytes: $0) { _ in ArraySorter() } }
        var keys = TableValidator.KeyCollector()
        return try validator.validate(path: path, name: "keys", schema: schema, keys: &keys)
    }

    @Test(arguments: [nil, 40, 300, 650])
    func aSmallBudgetGivesTheSameErrorsInTheSameOrder(limit: Int?) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("keys.csv")
        try RowKeySpillTests.csv(rows: 12_000).write(toFile: path, atomically: false, encoding: .utf8)
        let inMemory = try RowKeySpillTests.validate(path, budget: nil, limit: limit)
        let before = ArraySorter.made
        let spilled = try RowKeySpillTests.validate(path, budget: 16 << 10, limit: limit)
        #expect(ArraySorter.made > before)
        #expect(spilled.errors.count == inMemory.errors.count)
        let difference = zip(spilled.errors, inMemory.errors).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(difference == nil, "error \(difference?.offset ?? 0): \(difference.map { "\($0.element)" } ?? "")")
        #expect(spilled.rows == inMemory.rows && spilled.warnings == inMemory.warnings)
        let types = Set(inMemory.errors.map(\.type))
        if limit == nil {
            #expect(
                types == ["unique-error", "primary-key", "type-error", "blank-row", "extra-cell", "constraint-error"],
                "\(types)")
            #expect(inMemory.errors.count > 650)
        }
    }

    /// Streamed to a sink, the errors come in the same order too; the limit holds.
    @Test func streamedErrorsKeepTheirOrder() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("keys.csv")
        try RowKeySpillTests.csv(rows: 6_000).write(toFile: path, atomically: false, encoding: .utf8)
        let collected = try RowKeySpillTests.validate(path, budget: nil)
        let sink = CollectingErrorSink()
        let streamed = try RowKeySpillTests.validate(path, budget: 8 << 10, sink: sink)
        #expect(sink.errors == collected.errors)
        #expect(streamed.streamedErrors == collected.errors.count && streamed.rows == collected.rows)
        let limited = CollectingErrorSink()
        let task = try RowKeySpillTests.validate(path, budget: 8 << 10, limit: 300, sink: limited)
        #expect(limited.errors == Array(collected.errors.prefix(300)) && task.errorCount == 300)
    }

    /// NDJSON takes the records path: the same errors either way.
    @Test func recordsFromOtherFormatsSpillToo() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("keys.ndjson")
        var lines = ""
        for index in 0..<5_000 {
            let code = index % 7 == 3 ? "c\(index / 3)" : "c\(index)"
            lines += #"{"id": \#(index % 4000), "region": "r", "code": "\#(code)", "serial": \#(index), "amount": 1}"#
            lines += "\n"
        }
        try lines.write(toFile: path, atomically: false, encoding: .utf8)
        func run(_ budget: Int?) throws -> ValidationTask {
            var validator = TableValidator()
            validator.keyBudget = budget.map { KeyBudget(bytes: $0) { _ in ArraySorter() } }
            var keys = TableValidator.KeyCollector()
            return try validator.validate(
                opening: { try JSONRecordReader(path: path) }, name: "keys", place: path,
                schema: RowKeySpillTests.schema, keys: &keys)
        }
        let inMemory = try run(nil)
        let spilled = try run(8 << 10)
        #expect(inMemory.errors.count > 1000)
        #expect(spilled.errors == inMemory.errors)
    }

    /// An error written to a spill file reads back the same, every optional part present or not.
    @Test func heldErrorsReadBackAsWritten() throws {
        let errors = [
            ValidationError(type: "blank-row", message: "Row at position \"3\" is completely blank", rowNumber: 3),
            ValidationError(
                type: "unique-error", message: "비고 \u{1F600}", note: "n", rowNumber: 9, fieldNumber: 2,
                fieldName: "code", cell: ""),
            ValidationError(type: "source-error", message: "m")
        ]
        for error in errors {
            var bytes: [UInt8] = []
            HeldError.encode(error, into: &bytes)
            let back = try bytes.withUnsafeBytes { buffer in
                var reader = ByteReader(buffer)
                return try HeldError.decode(&reader)
            }
            #expect(back == error)
        }
    }
}
