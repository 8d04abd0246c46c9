import PublicaCore
import Testing

struct ByteKeyTableTests {
    @Test func keysKeepTheirFirstValueAndComeBackInInsertionOrder() {
        var table = ByteKeyTable()
        let keys = (0..<5_000).map { Array("key-\($0 % 3_000)".utf8) }
        var inserted = 0
        for (position, key) in keys.enumerated() where table.insert(key, value: position) { inserted += 1 }
        #expect(inserted == 3_000 && table.count == 3_000)
        var seen: [(String, Int)] = []
        table.forEach { key, value in seen.append((String(decoding: key, as: UTF8.self), value)) }
        #expect(seen.map(\.0) == (0..<3_000).map { "key-\($0)" })
        #expect(seen.map(\.1) == Array(0..<3_000))
        #expect(value(of: "key-2999", in: table) == 2_999 && contains("key-2999", table))
        #expect(value(of: "key-3000", in: table) == nil && !contains("key-3000", table))
    }

    @Test func theEmptyKeyAndKeysThatArePrefixesOfOthersAreDistinct() {
        var table = ByteKeyTable()
        let inserted = [[], [0x61], [0x61, 0x61], []].enumerated().map { table.insert($1, value: $0 + 1) }
        #expect(inserted == [true, true, true, false])
        #expect(value(of: "", in: table) == 1 && value(of: "aa", in: table) == 3)
    }

    @Test func theEstimateGrowsWithTheKeysAndIsTheSameOnEveryRun() {
        var a = ByteKeyTable()
        var b = ByteKeyTable()
        let empty = a.estimatedBytes
        for number in 0..<10_000 {
            a.insert(Array(String(number).utf8))
            b.insert(Array(String(number).utf8))
        }
        #expect(a.estimatedBytes > empty + 10_000 * 16)
        #expect(a.estimatedBytes == b.estimatedBytes)
    }

    @Test func indicesFollowInsertionOrderAndSurviveGrowthAndEmptying() {
        var table = ByteKeyTable()
        func index(_ key: String) -> (index: Int, added: Bool) {
            Array(key.utf8).withUnsafeBufferPointer { table.index(of: $0) }
        }
        for number in 0..<1_000 { #expect(index("키\(number)") == (number, true)) }
        #expect(index("키7") == (7, false) && index("키999") == (999, false))
        table.removeAll()
        #expect(table.count == 0 && !contains("키7", table))
        #expect(index("키7") == (0, true) && index("") == (1, true) && index("키7") == (0, false))
    }

    private func value(of key: String, in table: ByteKeyTable) -> Int? {
        Array(key.utf8).withUnsafeBufferPointer { table.value(for: $0) }
    }

    private func contains(_ key: String, _ table: ByteKeyTable) -> Bool {
        Array(key.utf8).withUnsafeBufferPointer { table.contains($0) }
    }
}
