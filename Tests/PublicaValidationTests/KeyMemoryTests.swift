import Testing

@testable import PublicaValidation

/// The keys' three modes: remembered, collected per record after a spill, answered at the end.
struct KeyMemoryTests {
    static func insert(_ memory: inout KeyMemory, _ field: Int, _ string: String) -> Bool {
        Array(string.utf8).withUnsafeBufferPointer { memory.insert(field: field, .text($0), cell: string) }
    }

    @Test func rememberedKeysSpillEncodedAndRecordsAreThenCollected() throws {
        var memory = KeyMemory(fields: 2)
        let remembered = [
            memory.insert(field: 0, .integer(7), cell: "007"), memory.insert(field: 0, .integer(7), cell: "7"),
            KeyMemoryTests.insert(&memory, 1, "a"), memory.insert(field: 0, .integer(8), cell: "8"),
            // A primary key's values are kept apart: a|bc is not ab|c.
            memory.insertPrimaryKey(["a", "bc"]), memory.insertPrimaryKey(["ab", "c"]),
            memory.insertPrimaryKey(["a", "bc"])
        ]
        #expect(remembered == [true, false, true, true, true, true, false])
        #expect(memory.estimatedBytes > 0)
        var spilled: [[UInt8]] = []
        try memory.spill { spilled.append(Array($0)) }
        #expect(spilled.count == 5 && Set(spilled).count == 5)
        #expect(spilled.contains(KeyMemory.encode(field: 0, .integer(7))))
        #expect(memory.mode == .collecting && memory.estimatedBytes == 0)
        // Collecting: every key is new, except one the record itself had (a second check).
        let collected = [
            memory.insert(field: 0, .integer(7), cell: "007"), memory.insert(field: 0, .integer(7), cell: "007"),
            memory.insertPrimaryKey(["a", "bc"])
        ]
        #expect(collected == [true, false, true])
        #expect(memory.recordKeys.map(\.cell) == ["007", ""])
        #expect(memory.recordKeys[0].key.withUnsafeBytes { KeyMemory.field(of: $0) } == 0)
        #expect(memory.recordKeys[1].key.withUnsafeBytes { KeyMemory.field(of: $0) } == nil)
    }

    @Test func answeredKeysAreNewUnlessAnEarlierRecordHadThem() {
        var memory = KeyMemory(fields: 1)
        memory.answer(duplicates: [KeyMemory.encode(field: 0, .integer(7))])
        let found = [memory.contains(field: 0, .integer(7)), memory.contains(field: 0, .integer(8))]
        let answers = [
            memory.insert(field: 0, .integer(7), cell: "7"), memory.insert(field: 0, .integer(8), cell: "8"),
            memory.insert(field: 0, .integer(8), cell: "8")
        ]
        #expect(found == [true, false] && answers == [false, true, false])
        memory.answer(duplicates: [])
        let again = memory.insert(field: 0, .integer(7), cell: "7")
        #expect(again && memory.recordKeys.count == 1)
    }
}
