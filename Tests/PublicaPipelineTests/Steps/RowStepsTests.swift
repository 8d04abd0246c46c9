import Foundation
import PublicaCore
import PublicaPipeline
import PublicaTestSupport
import Testing

/// A pipeline file reading `data.csv` (with `schema`, if any) through `steps` into `out/t.ndjson`.
private func rowPipeline(steps: String, schema: String = "") -> String {
    """
    version: 1
    name: t
    sources:
      s: {path: data.csv}
    \(schema)
    steps:
    \(steps)
    outputs:
      - {path: out/t.ndjson}
    """
}

/// A pipeline built in code, reading the folder's `data.csv` through `steps` into `out/t.ndjson`.
private func run(_ folder: PipelineFolder, steps: [any PipelineStep]) throws -> PublicaCore.ExitStatus {
    let pipeline = Pipeline(
        file: folder.directory.path("pipeline.yaml"), name: "t",
        sources: [
            Pipeline.Source(name: "s", format: "csv", path: folder.directory.path("data.csv"), options: SourceOptions())
        ],
        steps: steps, outputs: [Pipeline.Output(path: folder.directory.path("out/t.ndjson"), format: "ndjson")])
    var options = PipelineRunner.Options()
    options.log = RunLog(quiet: true)
    // The same file and data as the last run: without this, there would be nothing to do.
    options.fullRefresh = true
    return try PipelineRunner(pipeline: pipeline, options: options).run()
}

/// The output's records, one NDJSON line each.
private func lines(_ folder: PipelineFolder) throws -> [String] {
    try folder.output("t.ndjson").split(separator: "\n").map(String.init)
}

/// The run report's record counts, after checking that they and every step's counts balance.
private func balancedCounts(_ folder: PipelineFolder) throws -> [String: Int] {
    let report =
        try JSONSerialization.jsonObject(with: Data(try folder.output("run-report.json").utf8)) as! [String: Any]
    let records = report["records"] as! [String: Int]
    #expect(
        records["read"]! + records["reshaped"]! == records["written"]! + records["rejected"]! + records["dropped"]!)
    for step in report["steps"] as! [[String: Any]] {
        let count = { (key: String) in step[key] as! Int }
        #expect(count("in") + count("reshaped") == count("out") + count("dropped") + count("rejected"))
    }
    return records
}

/// The first step's counts in the run report.
private func firstStep(_ folder: PipelineFolder) throws -> [String: Any] {
    let report =
        try JSONSerialization.jsonObject(with: Data(try folder.output("run-report.json").utf8)) as! [String: Any]
    return (report["steps"] as! [[String: Any]])[0]
}

/// The message of the error `body` throws, whatever its type.
private func errorText(_ body: () throws -> Void) -> String {
    do {
        try body()
        return ""
    } catch let error as PublicaError {
        return error.message
    } catch {
        return "\(error)"
    }
}

struct RowStepsTests {
    static let wide = """
        행정구역,2020,2021
        서울,100,x200
        부산,50,60
        """

    @Test func unpivotMakesOneRecordPerColumnAndKeepsMixedTypesAfterACast() throws {
        let schema = """
            schema:
              fields:
                - {name: 행정구역, type: string}
                - {name: "2020", type: integer}
                - {name: "2021", type: string}
            """
        let folder = try PipelineFolder(
            data: Self.wide,
            pipeline: rowPipeline(
                steps: "  - cast: {}\n  - unpivot: {keep: [행정구역], key: 항목, value: 인구}", schema: schema))
        #expect(try folder.run() == .success)
        #expect(
            try lines(folder) == [
                #"{"행정구역":"서울","항목":"2020","인구":100}"#, #"{"행정구역":"서울","항목":"2021","인구":"x200"}"#,
                #"{"행정구역":"부산","항목":"2020","인구":50}"#, #"{"행정구역":"부산","항목":"2021","인구":"60"}"#
            ])
        let counts = try balancedCounts(folder)
        #expect(counts["read"] == 2 && counts["written"] == 4 && counts["reshaped"] == 2)
    }

    @Test func unpivotInCodeWithFieldsLeavesTheOtherColumnsOut() throws {
        let folder = try PipelineFolder(data: Self.wide, pipeline: rowPipeline(steps: "  []"))
        let step = UnpivotStep(keep: ["행정구역"], fields: ["2021"], key: "연도", value: "값")
        #expect(try run(folder, steps: [step]) == .success)
        #expect(try lines(folder) == [#"{"행정구역":"서울","연도":"2021","값":"x200"}"#, #"{"행정구역":"부산","연도":"2021","값":"60"}"#])
        #expect(try firstStep(folder)["out"] as? Int == 2)
    }

    @Test func unknownFieldIsAUsageErrorWithADidYouMean() throws {
        let folder = try PipelineFolder(
            data: "name,code\na,1\n",
            pipeline: rowPipeline(steps: "  - split: {field: nmae, into: [x, y], separator: _}"))
        do {
            _ = try folder.run()
            Issue.record("an unknown field should stop the run")
        } catch let error as PublicaError {
            #expect(error.message.contains("split: no field 'nmae'") && error.message.contains("did you mean 'name'?"))
            // Placed at the step's line in the pipeline file.
            #expect(error.location?.file.hasSuffix("pipeline.yaml") == true && error.location?.line == 7)
        }
        let unpivot = errorText {
            _ = try run(folder, steps: [UnpivotStep(keep: ["cod"], key: "k", value: "v")])
        }
        #expect(unpivot.contains("did you mean 'code'?"))
    }

    @Test func splitBySeparatorAndPatternRejectsWhatDoesNotFit() throws {
        let data = """
            id,name
            1,서울특별시 (1100000000)
            2,부산
            3,
            4,부산광역시\u{3000}(2600000000)
            """
        let folder = try PipelineFolder(
            data: data,
            pipeline: rowPipeline(
                steps: #"  - split: {field: name, into: [name, code], pattern: "^(.*?)\\s*\\((\\d{10})\\)$"}"#))
        #expect(try folder.run() == .publishedWithRejects)
        #expect(
            try lines(folder) == [
                #"{"id":"1","name":"서울특별시","code":"1100000000"}"#, #"{"id":"3","name":null,"code":null}"#,
                #"{"id":"4","name":"부산광역시","code":"2600000000"}"#
            ])
        let rejects = try folder.output("t.rejects.ndjson")
        #expect(rejects.contains(#""rule":"split""#) && rejects.contains("'부산' in field 'name' does not split"))
        #expect(try balancedCounts(folder)["rejected"] == 1)
    }

    @Test func splitBySeparatorWithMaxAndNullOrFailOnError() throws {
        let folder = try PipelineFolder(data: "a,b\n1,x_y_z\n2,q\n", pipeline: rowPipeline(steps: "  []"))
        var step = try SplitStep(field: "b", into: ["p", "q"], rule: .separator("_", maxSplits: 1), onError: .null)
        #expect(try run(folder, steps: [step]) == .success)
        #expect(try lines(folder) == [#"{"a":"1","p":"x","q":"y_z"}"#, #"{"a":"2","p":null,"q":null}"#])
        step = try SplitStep(field: "b", into: ["p", "q"], rule: .separator("_", maxSplits: nil), onError: .fail)
        do {
            _ = try run(folder, steps: [step])
            Issue.record("a split that does not fit should stop the run")
        } catch let error as PublicaError {
            #expect(error.kind.name == "data" && error.location?.line == 2 && error.location?.field == "b")
        }
        #expect(
            errorText { _ = try SplitStep(field: "b", into: ["p"], rule: .pattern("(a)(b)")) }.contains(
                "2 capture groups"))
    }

    @Test func patternsThatCouldBacktrackForeverAreRefusedAndLongValuesDoNotFit() throws {
        let nested = errorText { _ = try ReplaceStep(rules: [("a", .pattern("(a+)+b", with: ""))]) }
        #expect(nested.contains("repeats a group that holds a repeat"))
        #expect(errorText { _ = try SplitStep(field: "a", into: ["x"], rule: .pattern("(\\w+\\s?)*")) } != "")
        // Fixed-count repeats and alternatives in a repeated group are fine.
        _ = try SplitStep(field: "a", into: ["x", "y"], rule: .pattern("(\\d{3}-)*(\\d+)"))
        _ = try ReplaceStep(rules: [("a", .pattern("(a|b)+c?", with: ""))])
        let long = String(repeating: "a", count: 5000)
        let folder = try PipelineFolder(
            data: "a\n\(long)_b\nx_y\n",
            pipeline: rowPipeline(steps: #"  - split: {field: a, into: [p, q], pattern: "([a-z]+)_([a-z]+)"}"#))
        #expect(try folder.run() == .publishedWithRejects)
        #expect(try lines(folder) == [#"{"p":"x","q":"y"}"#])
        #expect(try folder.output("t.rejects.ndjson").contains("longer than the 4096 bytes a pattern reads"))
    }

    @Test func explodeMakesOneRecordPerPartAndOneForAnEmptyValue() throws {
        let folder = try PipelineFolder(
            data: "id,tags\n1,a;b;c\n2,\n3,d\n",
            pipeline: rowPipeline(steps: #"  - explode: {field: tags, separator: ";"}"#))
        #expect(try folder.run() == .success)
        #expect(
            try lines(folder) == [
                #"{"id":"1","tags":"a"}"#, #"{"id":"1","tags":"b"}"#, #"{"id":"1","tags":"c"}"#,
                #"{"id":"2","tags":null}"#, #"{"id":"3","tags":"d"}"#
            ])
        let counts = try balancedCounts(folder)
        #expect(counts["read"] == 3 && counts["written"] == 5 && counts["reshaped"] == 2)
    }

    @Test func explodeMakesAListIntoItsItems() throws {
        let folder = try PipelineFolder(data: "", pipeline: rowPipeline(steps: "  []"))
        try #"{"id": 1, "tags": ["a", "b"]}"#.write(
            toFile: folder.directory.path("data.ndjson"), atomically: false, encoding: .utf8)
        let pipeline = Pipeline(
            file: folder.directory.path("pipeline.yaml"), name: "t",
            sources: [
                Pipeline.Source(
                    name: "s", format: "ndjson", path: folder.directory.path("data.ndjson"), options: SourceOptions())
            ],
            steps: [try ExplodeStep(field: "tags", separator: ";")],
            outputs: [Pipeline.Output(path: folder.directory.path("out/t.ndjson"), format: "ndjson")])
        var options = PipelineRunner.Options()
        options.log = RunLog(quiet: true)
        #expect(try PipelineRunner(pipeline: pipeline, options: options).run() == .success)
        #expect(try lines(folder) == [#"{"id":1,"tags":"a"}"#, #"{"id":1,"tags":"b"}"#])
    }

    @Test func replaceByPatternWithGroupsAndByText() throws {
        let folder = try PipelineFolder(
            data: "year,name\n2020년,a.b\n2021,c\n",
            pipeline: rowPipeline(
                steps: """
                      - replace:
                          year: {pattern: "^(\\\\d+)년$", with: "$1"}
                          name: {text: ".", with: "·"}
                    """))
        #expect(try folder.run() == .success)
        #expect(try lines(folder) == [#"{"year":"2020","name":"a·b"}"#, #"{"year":"2021","name":"c"}"#])
        let step = try ReplaceStep(rules: [("name", .pattern("(b)|c", with: "<$1>"))])
        #expect(try run(folder, steps: [step]) == .success)
        #expect(try lines(folder) == [#"{"year":"2020년","name":"a.<b>"}"#, #"{"year":"2021","name":"<>"}"#])
    }

    @Test func replaceLeavesTypedValuesAsTheyAre() throws {
        let schema = """
            schema:
              fields:
                - {name: year, type: integer}
                - {name: name, type: string}
            """
        let folder = try PipelineFolder(
            data: "year,name\n2020,a2\n",
            pipeline: rowPipeline(
                steps:
                    "  - cast: {}\n  - replace: {year: {text: \"2\", with: \"9\"}, name: {text: \"2\", with: \"9\"}}",
                schema: schema))
        #expect(try folder.run() == .success)
        #expect(try lines(folder) == [#"{"year":2020,"name":"a9"}"#])
    }

    @Test func mapReplacesCodesAndRejectsOthersWhenAsked() throws {
        let folder = try PipelineFolder(
            data: "id,sex\n1,1\n2,2\n3,9\n4,\n",
            pipeline: rowPipeline(
                steps: "  - map: {sex: {values: {\"1\": 남, \"2\": 여}, otherwise: reject}}"))
        #expect(try folder.run() == .publishedWithRejects)
        #expect(try lines(folder) == [#"{"id":"1","sex":"남"}"#, #"{"id":"2","sex":"여"}"#, #"{"id":"4","sex":""}"#])
        let rejects = try folder.output("t.rejects.ndjson")
        #expect(
            rejects.contains(#""rule":"map""#) && rejects.contains("'9' in field 'sex' is not one of the values mapped")
        )
        let step = MapStep(tables: [.init(field: "sex", values: ["1": "남"], otherwise: .null)])
        #expect(try run(folder, steps: [step]) == .success)
        #expect(try lines(folder)[1] == #"{"id":"2","sex":null}"#)
    }

    @Test func trimTakesUnicodeWhitespaceFromEveryFieldOrTheNamedOnes() throws {
        let folder = try PipelineFolder(
            data: "a,b\n\u{3000}서울\t, x \n", pipeline: rowPipeline(steps: "  - trim: all"))
        #expect(try folder.run() == .success)
        #expect(try lines(folder) == [#"{"a":"서울","b":"x"}"#])
        #expect(try run(folder, steps: [TrimStep(fields: ["b"])]) == .success)
        #expect(try lines(folder) == ["{\"a\":\"\u{3000}서울\\t\",\"b\":\"x\"}"])
    }

    @Test func fillDownTakesTheLastValueAbove() throws {
        let folder = try PipelineFolder(
            data: "region,n\n,0\n서울,1\n,2\n부산,3\n,4\n", pipeline: rowPipeline(steps: "  - fill_down: [region]"))
        #expect(try folder.run() == .success)
        #expect(
            try lines(folder).map { String($0.split(separator: "\"", omittingEmptySubsequences: false)[3]) } == [
                "", "서울", "서울", "부산", "부산"
            ])
    }

    @Test func sliceKeepsAnIndexRangeAndCountsTheOthersDropped() throws {
        let folder = try PipelineFolder(
            data: "n\n0\n1\n2\n3\n4\n", pipeline: rowPipeline(steps: "  - slice: {start: 1, stop: 3}"))
        #expect(try folder.run() == .success)
        #expect(try lines(folder) == [#"{"n":"1"}"#, #"{"n":"2"}"#])
        let counts = try balancedCounts(folder)
        #expect(counts["read"] == 5 && counts["written"] == 2 && counts["dropped"] == 3)
        #expect(try run(folder, steps: [SliceStep(start: 3)]) == .success)
        #expect(try lines(folder) == [#"{"n":"3"}"#, #"{"n":"4"}"#])
    }

    @Test func aMergedCellTableMadeLongThroughSeveralRowSteps() throws {
        let data = """
            시도,구분,2020,2021,비고
            서울, 남 ,"1,000",1100,x
            ,여,900,950,
            부산,남,500,,
            """
        let steps = """
              - fill_down: 시도
              - trim: {}
              - map: {구분: {values: {남: M, 여: F}}}
              - unpivot: {keep: [시도, 구분], fields: ["2020", "2021"], key: 연도, value: 인구}
              - replace: {인구: {text: ",", with: ""}}
              - slice: {start: 1, stop: 5}
            """
        let folder = try PipelineFolder(data: data, pipeline: rowPipeline(steps: steps))
        #expect(try folder.run() == .success)
        #expect(
            try lines(folder) == [
                #"{"시도":"서울","구분":"M","연도":"2021","인구":"1100"}"#, #"{"시도":"서울","구분":"F","연도":"2020","인구":"900"}"#,
                #"{"시도":"서울","구분":"F","연도":"2021","인구":"950"}"#, #"{"시도":"부산","구분":"M","연도":"2020","인구":"500"}"#
            ])
        let counts = try balancedCounts(folder)
        #expect(counts["read"] == 3 && counts["reshaped"] == 3 && counts["written"] == 4 && counts["dropped"] == 2)
    }

    @Test func badOptionsAreLocatedErrors() throws {
        let directory = try TemporaryDirectory()
        let steps = """
              - split: {field: a, into: [x], sepparator: _}
              - split: {field: a, into: [x, y], pattern: "(a)"}
              - map: {a: {values: {x: y}, otherwise: maybe}}
              - slice: {start: 3, stop: 1}
              - trim: 3
              - replace: {a: {pattern: "(a", with: ""}}
              - unpivot: {keep: [a]}
            """
        try "a\n1\n".write(toFile: directory.path("data.csv"), atomically: false, encoding: .utf8)
        try rowPipeline(steps: steps).write(toFile: directory.path("p.yaml"), atomically: false, encoding: .utf8)
        let text = errorText { _ = try PipelineLoader().load(path: directory.path("p.yaml")) }
        for expected in [
            "p.yaml:7:", "unknown key 'sepparator' in split; did you mean 'separator'?", "p.yaml:8:",
            "1 capture groups for 2 fields", "otherwise takes keep, null or reject",
            "stop must be a whole number of at least 3",
            "trim takes a list of fields, or all", "pattern '(a'", "unpivot needs key"
        ] {
            #expect(text.contains(expected), "\(expected) in \(text)")
        }
    }
}
