import Foundation
import PublicaCore
import PublicaJSON
import PublicaTestSupport
import Testing

@testable import PublicaPipeline

/// `TableDiff`: rows added, removed and changed between two files, matched by key through one
/// external sort, the same whether or not the sort spills.
struct TableDiffTests {
    /// Writes both versions, compares them by `key`, and gives the summary and each differing
    /// row as its JSON line.
    static func compare(
        old: String, new: String, key: [String], extension ext: String = "csv",
        budget: MemoryBudget = MemoryBudget()
    ) throws -> (summary: DiffSummary, lines: [String], spilled: Int) {
        let directory = try TemporaryDirectory()
        try old.write(toFile: directory.path("old.\(ext)"), atomically: true, encoding: .utf8)
        try new.write(toFile: directory.path("new.\(ext)"), atomically: true, encoding: .utf8)
        var diff = TableDiff(key: key, budget: budget)
        var lines: [String] = []
        let summary = try diff.compare(
            old: DiffTable(path: directory.path("old.\(ext)")), new: DiffTable(path: directory.path("new.\(ext)"))
        ) { lines.append(JSONText.render($0.descriptor)) }
        return (summary, lines, diff.spilledRuns)
    }

    @Test func rowsAddedRemovedAndChangedComeInKeyOrder() throws {
        let result = try TableDiffTests.compare(
            old: "id,name,pop\n3,c,30\n1,a,10\n2,b,20\n", new: "id,name,pop\n2,B,21\n1,a,10\n4,d,40\n", key: ["id"])
        #expect(
            result.lines == [
                #"{"op":"changed","key":{"id":"2"},"changes":{"name":{"old":"b","new":"B"},"pop":{"old":"20","new":"21"}}}"#,
                #"{"op":"removed","key":{"id":"3"},"row":{"id":"3","name":"c","pop":"30"}}"#,
                #"{"op":"added","key":{"id":"4"},"row":{"id":"4","name":"d","pop":"40"}}"#
            ])
        let summary = result.summary
        #expect([summary.oldRows, summary.newRows, summary.added, summary.removed] == [3, 3, 1, 1] as [Int])
        #expect([summary.changed, summary.unchanged] == [1, 1] as [Int])
        #expect(
            summary.changedColumns == [
                DiffSummary.ColumnChanges(column: "name", rows: 1), DiffSummary.ColumnChanges(column: "pop", rows: 1)
            ])
        #expect(!summary.isIdentical)
    }

    @Test func compositeKeysDoNotRunTogether() throws {
        // `a`+`bc` and `ab`+`c` are different keys; so are `1`+`2020` and `12`+`020`.
        let result = try TableDiffTests.compare(
            old: "code,year,v\na,bc,1\n1,2020,5\n", new: "code,year,v\nab,c,1\n1,2020,6\n12,020,7\n",
            key: ["code", "year"])
        #expect([result.summary.added, result.summary.removed, result.summary.changed] == [2, 1, 1] as [Int])
        #expect(
            result.lines.contains(
                #"{"op":"changed","key":{"code":"1","year":"2020"},"changes":{"v":{"old":"5","new":"6"}}}"#))
        #expect(result.lines.contains { $0.hasPrefix(#"{"op":"removed","key":{"code":"a","year":"bc"}"#) })
    }

    @Test func keysWithCommasQuotesHangulAndZeroBytesMatch() throws {
        let rows = [#""a,b""#, #""say ""hi""""#, "강원도 춘천시", "\"tab\there\"", "a", "a\u{0}"]
        let old = "k,v\n" + rows.enumerated().map { "\($1),\($0)\n" }.joined()
        let new = "k,v\n" + rows.enumerated().reversed().map { "\($1),\($0 == 2 ? 99 : $0)\n" }.joined()
        let result = try TableDiffTests.compare(old: old, new: new, key: ["k"])
        #expect([result.summary.added, result.summary.removed, result.summary.changed] == [0, 0, 1] as [Int])
        #expect(result.summary.unchanged == 5)
        #expect(result.lines == [#"{"op":"changed","key":{"k":"강원도 춘천시"},"changes":{"v":{"old":"2","new":"99"}}}"#])
    }

    @Test func nullAndEmptyTextCompareEqual() throws {
        let result = try TableDiffTests.compare(
            old: "{\"id\":1,\"v\":null,\"w\":\"x\"}\n{\"id\":2,\"v\":\"\",\"w\":null}\n",
            new: "{\"id\":1,\"v\":\"\",\"w\":\"x\"}\n{\"id\":2,\"v\":null,\"w\":\"y\"}\n", key: ["id"],
            extension: "ndjson")
        #expect([result.summary.changed, result.summary.unchanged] == [1, 1] as [Int])
        #expect(result.lines == [#"{"op":"changed","key":{"id":"2"},"changes":{"w":{"old":null,"new":"y"}}}"#])
    }

    @Test func columnsAddedAndRemovedAreReportedAndSharedOnesCompared() throws {
        let result = try TableDiffTests.compare(
            old: "id,gone,kept\n1,x,a\n2,y,b\n", new: "kept,id,fresh\na,1,p\nB,2,q\n", key: ["id"])
        #expect(result.summary.columnsAdded == ["fresh"])
        #expect(result.summary.columnsRemoved == ["gone"])
        // Row 1 differs only in columns one side lacks: unchanged.
        #expect([result.summary.changed, result.summary.unchanged] == [1, 1] as [Int])
        #expect(result.lines == [#"{"op":"changed","key":{"id":"2"},"changes":{"kept":{"old":"b","new":"B"}}}"#])
        #expect(!result.summary.isIdentical)
        #expect(
            JSONText.render(result.summary.descriptor).contains(#""columnsAdded":["fresh"],"columnsRemoved":["gone"]"#))
    }

    @Test func aDuplicateKeyIsADataErrorNamingTheSideTheKeyAndBothPlaces() throws {
        let error = try #require(throws: PublicaError.self) {
            try TableDiffTests.compare(
                old: "id,v\n1,a\n2,b\n", new: "id,v\n2,b\n1,a\n7,c\n2,d\n", key: ["id"])
        }
        #expect(error.kind == .data)
        #expect(error.message.contains("duplicate key (id=2) in NEW"))
        #expect(error.message.contains("record 1 (line 2) and record 4 (line 5)"))
        #expect(error.location?.line == 5)
        let old = try #require(throws: PublicaError.self) {
            try TableDiffTests.compare(old: "id,v\n1,a\n1,b\n", new: "id,v\n1,a\n", key: ["id"])
        }
        #expect(old.message.contains("in OLD"))
    }

    @Test func aKeyFieldMissingFromASideIsAUsageErrorNamingItsFields() throws {
        let error = try #require(throws: PublicaError.self) {
            try TableDiffTests.compare(old: "id,v\n1,a\n", new: "ID,v\n1,a\n", key: ["id"])
        }
        #expect(error.kind == .usage)
        #expect(error.message.contains("'id' is not a column of NEW"))
        #expect(error.message.contains("its columns: ID, v"))
        let empty = try #require(throws: PublicaError.self) {
            try TableDiffTests.compare(old: "id\n", new: "id\n", key: [])
        }
        #expect(empty.kind == .usage)
    }

    @Test func aSmallBudgetSpillsAndGivesTheSameResult() throws {
        var old = "id,group,value,note\n"
        var new = "id,group,value,note\n"
        for index in 0..<6000 {
            let id = (index &* 7919) % 6000  // a shuffled order
            old += "\(id),g\(id % 17),\(id * 3),\(String(repeating: "x", count: id % 40))\n"
            if id % 11 == 0 { continue }  // removed
            let value = id % 13 == 0 ? id * 3 + 1 : id * 3  // changed
            new += "\(id),g\(id % 17),\(value),\(String(repeating: "x", count: id % 40))\n"
        }
        for id in 6000..<6100 { new += "\(id),new,0,\n" }
        let inMemory = try TableDiffTests.compare(old: old, new: new, key: ["id"])
        let spilled = try TableDiffTests.compare(
            old: old, new: new, key: ["id"], budget: MemoryBudget(bytes: 4 << 10))
        #expect(inMemory.spilled == 0)
        #expect(spilled.spilled > 4)  // more runs than one merge reads: a merge pass too
        #expect(spilled.summary == inMemory.summary)
        #expect(spilled.lines == inMemory.lines)
        #expect(inMemory.summary.removed == 546 && inMemory.summary.added == 100)
        #expect(inMemory.summary.changed == 462 - 42)
    }

    @Test func emptySides() throws {
        let added = try TableDiffTests.compare(old: "id,v\n", new: "id,v\n1,a\n2,b\n", key: ["id"])
        #expect([added.summary.oldRows, added.summary.added, added.summary.removed] == [0, 2, 0] as [Int])
        let removed = try TableDiffTests.compare(old: "id,v\n1,a\n", new: "id,v\n", key: ["id"])
        #expect([removed.summary.newRows, removed.summary.removed] == [0, 1] as [Int])
        let none = try TableDiffTests.compare(old: "id,v\n", new: "id,v\n", key: ["id"])
        #expect(none.summary.isIdentical && none.lines.isEmpty)
    }

    @Test func theSummaryFunctionTakesPathsAndAKey() throws {
        let directory = try TemporaryDirectory()
        try "id,v\n1,a\n2,b\n".write(toFile: directory.path("old.csv"), atomically: true, encoding: .utf8)
        try "{\"id\":\"1\",\"v\":\"a\"}\n{\"id\":\"2\",\"v\":\"c\"}\n".write(
            toFile: directory.path("new.ndjson"), atomically: true, encoding: .utf8)
        let summary = try TableDiff.summary(
            old: directory.path("old.csv"), new: directory.path("new.ndjson"), key: ["id"])
        #expect(
            JSONText.render(summary.descriptor)
                == #"{"key":["id"],"oldRows":2,"newRows":2,"added":0,"removed":0,"changed":1,"unchanged":1,"#
                + #""changedColumns":{"v":1},"columnsAdded":[],"columnsRemoved":[],"identical":false}"#)
    }
}
