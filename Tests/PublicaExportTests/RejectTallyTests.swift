import PublicaCore
import PublicaExport
import Testing

/// Rejections grouped by rule and field, largest group first, with the first few as examples.
struct RejectTallyTests {
    func rejection(_ rule: String, field: String?, line: Int, value: String = "x") -> Rejection {
        Rejection(
            rawValues: ["1", value], fieldNames: ["id", "amount"],
            provenance: Provenance(source: "in.csv", line: line, recordNumber: line - 1), field: field, rule: rule,
            message: "bad \(rule)")
    }

    @Test func groupsByRuleAndFieldWithExamples() {
        var tally = RejectTally()
        for line in 2...6 { tally.add(rejection("type", field: "amount", line: line, value: "x\(line)")) }
        tally.add(rejection("field-count", field: nil, line: 9))
        tally.add(rejection("type", field: "id", line: 10))
        #expect(tally.groups.map(\.count) == [5, 1, 1])
        #expect(tally.groups[0].examples.map(\.line) == [2, 3, 4])
        #expect(tally.groups[0].examples.map(\.value) == ["x2", "x3", "x4"])
        #expect(tally.groups[1].examples[0].value == nil)
        let groups = tally.document["groups"]?.items ?? []
        #expect(groups.first?["rule"] == .text("type"))
        #expect(groups.first?["count"] == .integer(5))
    }

    @Test func groupsPastTheLimitAreOnlyCounted() {
        var tally = RejectTally()
        for index in 0..<(RejectTally.groupLimit + 5) {
            tally.add(rejection("rule\(index)", field: "amount", line: index + 2))
        }
        #expect(tally.groups.count == RejectTally.groupLimit)
        #expect(tally.otherCount == 5)
        #expect(tally.document["other"] == .integer(5))
    }
}
