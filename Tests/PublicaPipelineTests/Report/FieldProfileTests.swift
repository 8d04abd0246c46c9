import PublicaCore
import Testing

@testable import PublicaPipeline

/// A field's profile: missing values, distinct values (exact, then a lower bound), the range in
/// the field's own order, the most common values and a histogram of numbers.
struct FieldProfileTests {
    func profile(_ values: [String?], type: String? = nil) -> FieldProfile {
        var profile = FieldProfile(name: "f", declaredType: type)
        for value in values {
            guard var value else {
                profile.add(nil)
                continue
            }
            value.withUTF8 { profile.add($0) }
        }
        return profile
    }

    @Test func countsMissingDistinctAndTheMostCommon() {
        let profile = profile(["a", "", nil, "b", "a", "c", "a", "b"])
        #expect(profile.present == 6)
        #expect(profile.missing == 2)
        #expect(profile.distinct == 3)
        #expect(!profile.distinctIsLowerBound)
        #expect(profile.mostCommon().map(\.value) == ["a", "b"])
        #expect(profile.mostCommon().map(\.count) == [3, 2])
        #expect(profile.type == "string")
        #expect(profile.range! == ("a", "c"))
    }

    @Test func numbersAreRangedAsNumbersAndCodesAsText() {
        let values = ["9", "10", "-2.5", "100"]
        let untyped = profile(values)
        #expect(untyped.type == "number")
        #expect(untyped.range! == ("-2.5", "100"))
        // Declared text (codes): byte order, and no histogram.
        let codes = profile(["9", "10", "0100"], type: "string")
        #expect(codes.range! == ("0100", "9"))
        #expect(codes.histogram() == nil)
        #expect(profile(["1", "2", "30"]).type == "integer")
        #expect(profile(["2022-09-02", "2021-01-31"]).type == "date")
        #expect(profile(["1", "x"]).type == "string")
        #expect(profile([nil, ""]).type == "any")
    }

    @Test func theHistogramCoversTheRangeAndItsSampleIsTheSameEachRun() {
        let values = (0..<10_000).map { String($0 % 100) }
        let first = profile(values, type: "integer")
        let histogram = first.histogram(bins: 10)!
        #expect(histogram.reduce(0, +) == FieldProfile.sampleSize)
        #expect(histogram.allSatisfy { $0 > 100 })
        #expect(profile(values, type: "integer").histogram(bins: 10) == histogram)
        #expect(profile(["5", "5"], type: "integer").histogram() == nil)
    }

    @Test func distinctValuesPastTheLimitGiveALowerBound() {
        let values = (0...FieldProfile.distinctLimit).map { "v\($0)" } + ["v1"]
        let profile = profile(values)
        #expect(profile.distinct == FieldProfile.distinctLimit)
        #expect(profile.distinctIsLowerBound)
        #expect(profile.mostCommon().first! == ("v1", 2))
        #expect(profile.range! == ("v0", "v9999"))
        // A long value is not counted among the distinct ones.
        #expect(self.profile([String(repeating: "가", count: 200)]).distinctIsLowerBound)
    }

    @Test func aTableProfileReadsRawRecordsAndTypedValues() {
        var table = TableProfile(name: "t", fieldNames: ["a", "b"], declaredTypes: ["b": "integer"])
        let quoted = Array("say \"\"hi\"\"".utf8)
        let number = Array("7".utf8)
        let source = SourceName("in.csv")
        quoted.withUnsafeBufferPointer { quoted in
            number.withUnsafeBufferPointer { number in
                let fields = [
                    RawRecord.Field(start: quoted.baseAddress!, count: quoted.count, encoding: .doubledQuotes),
                    RawRecord.Field(start: number.baseAddress!, count: number.count, encoding: .integer)
                ]
                fields.withUnsafeBufferPointer {
                    table.add(
                        raw: RawRecord(fields: $0, place: .init(source: source, line: 2, endLine: 2, recordNumber: 1)))
                }
            }
        }
        table.add(
            Record(values: [.null, .integer(-3)], provenance: Provenance(source: "in.csv", line: 3, recordNumber: 2)))
        #expect(table.fields[0].range! == ("say \"hi\"", "say \"hi\""))
        #expect(table.fields[0].missing == 1)
        #expect(table.fields[1].range! == ("-3", "7"))
        #expect(table.fields[1].type == "integer")
    }
}
