import Foundation
import PublicaCore
import PublicaPipeline
import PublicaTestSupport
import Testing

/// `sort`, `aggregate` and `pivot` from a pipeline file, run end to end.
struct TableStepsTests {
    static func pipeline(_ steps: String, schema: String? = nil) -> String {
        """
        version: 1
        name: t
        sources:
          t: {path: data.csv}
        \(schema.map { "schema:\n  fields:\n" + $0 } ?? "")
        steps:
        \(steps)
        outputs:
          - {path: out/t.ndjson}
        """
    }

    /// The output's records, each as a JSON object.
    static func records(_ folder: PipelineFolder) throws -> [[String: Any]] {
        try folder.output("t.ndjson").split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    static let cities = """
        id,city,amount
        1,Seoul,10
        2,Busan,5
        3,Seoul,
        4,,7
        5,Busan,5
        6,Seoul,30
        7,Busan,9
        """

    static let citySchema = """
            - {name: id, type: integer}
            - {name: city, type: string}
            - {name: amount, type: integer}
        """

    @Test func sortsByTwoFieldsOneDescendingStablyWithMissingValuesLast() throws {
        let folder = try PipelineFolder(
            data: TableStepsTests.cities,
            pipeline: TableStepsTests.pipeline(
                "  - cast: {}\n  - sort: {by: [city, -amount]}", schema: TableStepsTests.citySchema))
        _ = try folder.run()
        // Busan 9, then the two Busan 5 in input order; Seoul 30, 10, then its missing amount; the missing city last.
        #expect(try TableStepsTests.records(folder).map { $0["id"] as! Int } == [7, 2, 5, 6, 1, 3, 4])
    }

    @Test func missingValuesGoLastDescendingToo() throws {
        let folder = try PipelineFolder(
            data: TableStepsTests.cities,
            pipeline: TableStepsTests.pipeline(
                "  - cast: {}\n  - sort: {by: -amount}", schema: TableStepsTests.citySchema))
        _ = try folder.run()
        #expect(try TableStepsTests.records(folder).map { $0["id"] as! Int } == [6, 1, 7, 4, 2, 5, 3])
    }

    @Test func textSortsByItsBytesSoNumbersInTextSortAsText() throws {
        let folder = try PipelineFolder(
            data: TableStepsTests.cities, pipeline: TableStepsTests.pipeline("  - sort: {by: [amount, id]}"))
        _ = try folder.run()
        // "10" < "30" < "5" < "7" < "9", the empty one last.
        #expect(try TableStepsTests.records(folder).map { $0["id"] as! String } == ["1", "6", "2", "5", "4", "7", "3"])
    }

    static let amounts = """
        kind,amount,note
        A,0.1,x
        B,2,y
        A,0.2,x
        A,,z
        B,3,
        """

    static let everyFunction = """
          - aggregate:
              by: kind
              fields:
                n: {count: "*"}
                amounts: {count: amount}
                total: {sum: amount}
                low: {min: amount}
                high: {max: amount}
                avg: {mean: amount}
                first_note: {first: note}
                last_note: {last: note}
                notes: {count_distinct: note}
        """

    @Test func aggregatesEveryFunctionWithExactDecimals() throws {
        let folder = try PipelineFolder(
            data: TableStepsTests.amounts, pipeline: TableStepsTests.pipeline(TableStepsTests.everyFunction))
        #expect(try folder.run() == .success)
        #expect(
            try folder.output("t.ndjson") == """
                {"kind":"A","n":3,"amounts":2,"total":0.3,"low":"0.1","high":"0.2","avg":0.15,"first_note":"x","last_note":"z","notes":2}
                {"kind":"B","n":2,"amounts":2,"total":5,"low":"2","high":"3","avg":2.5,"first_note":"y","last_note":"","notes":1}

                """)
    }

    @Test func aMeanHasTheInputsScalePlusSixDigitsRoundedHalfAwayFromZero() throws {
        let folder = try PipelineFolder(
            data: "k,v\na,1\na,1\na,0\nb,-2\nb,-1\nb,-2\n",
            pipeline: TableStepsTests.pipeline("  - aggregate: {by: [k], fields: {m: {mean: v}, s: {sum: v}}}"))
        _ = try folder.run()
        #expect(
            try folder.output("t.ndjson") == """
                {"k":"a","m":0.666667,"s":2}
                {"k":"b","m":-1.666667,"s":-5}

                """)
    }

    @Test func sumsStayExactPastSixtyFourBitsAndAcrossSigns() throws {
        let folder = try PipelineFolder(
            data: "k,v\na,9223372036854775807\na,1\nb,0.1\nb,0.2\nb,-0.30\nc,-5\nc,2.25\n",
            pipeline: TableStepsTests.pipeline("  - aggregate: {by: k, fields: {s: {sum: v}, m: {mean: v}}}"))
        _ = try folder.run()
        #expect(
            try folder.output("t.ndjson") == """
                {"k":"a","s":9223372036854775808,"m":4611686018427387904}
                {"k":"b","s":0,"m":0}
                {"k":"c","s":-2.75,"m":-1.375}

                """)
    }

    @Test func aValueThatIsNotANumberStopsASumWithItsPlace() throws {
        let folder = try PipelineFolder(
            data: TableStepsTests.amounts.replacingOccurrences(of: "B,3,", with: "B,three,"),
            pipeline: TableStepsTests.pipeline("  - aggregate: {by: [kind], fields: {total: {sum: amount}}}"))
        #expect {
            try folder.run()
        } throws: { error in
            let error = error as! PublicaError
            return error.kind == .data && error.location?.line == 6 && error.location?.field == "amount"
                && error.message.contains("'three' is not a number")
        }
    }

    @Test func badOptionsAreLocatedWithADidYouMean() throws {
        let folder = try PipelineFolder(
            data: TableStepsTests.amounts,
            pipeline: TableStepsTests.pipeline(
                """
                  - aggregate: {by: [kind], fields: {total: {summ: amount}, n: {sum: "*"}}}
                  - sort: {bye: kind}
                """))
        #expect {
            try folder.run()
        } throws: { error in
            let text = "\(error)"
            return text.contains("unknown aggregate function 'summ'") && text.contains("did you mean 'sum'?")
                && text.contains("only count takes") && text.contains("unknown key 'bye' in sort; did you mean 'by'?")
        }
    }

    @Test func anUnknownFieldIsAUsageErrorWithADidYouMean() throws {
        let folder = try PipelineFolder(
            data: TableStepsTests.amounts,
            pipeline: TableStepsTests.pipeline("  - sort: {by: [-amout]}"))
        #expect {
            try folder.run()
        } throws: { error in
            let error = error as! PublicaError
            return error.kind == .usage && error.message.contains("did you mean 'amount'?")
        }
    }

    static let regions = """
        region,year,value
        N,2023,1
        N,2024,2
        S,2023,3
        N,2025,9
        S,2023,4
        S,2024,
        """

    @Test func pivotsKeysIntoColumnsRejectingAnUnknownKeyAndADuplicate() throws {
        let folder = try PipelineFolder(
            data: TableStepsTests.regions,
            pipeline: TableStepsTests.pipeline(
                "  - pivot: {index: region, key: year, value: value, columns: [\"2023\", \"2024\"]}"))
        #expect(try folder.run() == .publishedWithRejects)
        #expect(
            try folder.output("t.ndjson") == """
                {"region":"N","2023":"1","2024":"2"}
                {"region":"S","2023":"3","2024":""}

                """)
        let rejects = try folder.output("t.rejects.ndjson").split(separator: "\n")
        #expect(rejects.count == 2)
        #expect(rejects[0].contains(#""rule":"pivot-key""#) && rejects[0].contains(#""line":5"#))
        #expect(rejects[0].contains("key '2025' in 'year' is not one of the columns (2023, 2024)"))
        #expect(rejects[1].contains(#""rule":"pivot-duplicate""#) && rejects[1].contains(#""line":6"#))
        #expect(rejects[1].contains("data.csv:4"))
    }

    @Test func aPivotThatFailsStopsAtTheRecordWithBothPlaces() throws {
        let folder = try PipelineFolder(
            data: TableStepsTests.regions.replacingOccurrences(of: "N,2025,9\n", with: ""),
            pipeline: TableStepsTests.pipeline(
                "  - pivot: {index: [region], key: year, value: value, columns: [\"2023\", \"2024\"], on_error: fail}"))
        #expect {
            try folder.run()
        } throws: { error in
            let error = error as! PublicaError
            return error.kind == .data && error.location?.line == 5 && error.message.contains("data.csv:4")
        }
    }

    @Test func aPivotWithoutColumnsIsALocatedError() throws {
        let folder = try PipelineFolder(
            data: TableStepsTests.regions,
            pipeline: TableStepsTests.pipeline("  - pivot: {index: region, key: year, value: value, on_eror: fail}"))
        #expect {
            try folder.run()
        } throws: { error in
            let text = "\(error)"
            return text.contains("pivot needs columns") && text.contains("did you mean 'on_error'?")
                && text.contains("pipeline.yaml:")
        }
    }
}
