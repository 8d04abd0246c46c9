import Foundation
import PublicaTestSupport
import Testing

/// `run-report.html` from a real run: beside `run-report.json`, saying what it says, published
/// with the release; and, where Chromium is installed, rendered by it at 1280 px wide.
struct RunReportPageRunTests {
    func pipeline(_ directory: borrowing TemporaryDirectory) throws -> String {
        try "code,name,people\n4211,춘천시,285000\n4213,원주시,12a\n4215,강릉시,213000\n4217,<b>동해시</b>,\n"
            .write(toFile: directory.path("in.csv"), atomically: true, encoding: .utf8)
        try
            #"{"fields": [{"name": "code", "type": "string"}, {"name": "name", "type": "string"}, {"name": "people", "type": "integer"}]}"#
            .write(toFile: directory.path("schema.json"), atomically: true, encoding: .utf8)
        try """
        version: 1
        name: towns
        sources: {towns: {path: in.csv}}
        schema: schema.json
        steps: [{cast: {}}]
        outputs: [{path: out/towns.csv}, {path: out/datapackage.json}]
        quality: {max_rejects: 5, min_rows: 1}
        """.write(toFile: directory.path("p.yaml"), atomically: true, encoding: .utf8)
        return directory.path("p.yaml")
    }

    @Test func theReportHasProfilesRejectGroupsAndGatesAndItsPage() throws {
        let directory = try TemporaryDirectory()
        #expect(try runPublicaBinary(["run", try pipeline(directory)]).code == 3)
        let report = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: directory.path("out/run-report.json"))))
                as? [String: Any])
        let fields = ((report["profiles"] as? [[String: Any]])?.first?["fields"] as? [[String: Any]]) ?? []
        #expect(fields.map { $0["name"] as? String } == ["code", "name", "people"])
        #expect(fields[2]["missing"] as? Int == 1)
        #expect(fields[2]["min"] as? String == "213000")
        let groups = (report["rejectGroups"] as? [String: Any])?["groups"] as? [[String: Any]]
        #expect(groups?.first?["field"] as? String == "people")
        #expect((groups?.first?["examples"] as? [[String: Any]])?.first?["line"] as? Int == 3)
        let gates = report["gates"] as? [[String: Any]]
        #expect(gates?.map { $0["gate"] as? String } == ["max_rejects", "min_rows"])
        #expect(gates?.allSatisfy { $0["passed"] as? Bool == true } == true)

        let page = try String(contentsOfFile: directory.path("out/run-report.html"), encoding: .utf8)
        #expect(page.contains("<code>in.csv:3</code> <q>12a</q>"))
        #expect(page.contains("&lt;b&gt;동해시&lt;/b&gt;"))
        #expect(!page.contains(directory.path("")))
        // Published with the release: an unchanged second run has nothing to do.
        let (code, errors) = try runPublicaBinary(["run", directory.path("p.yaml")])
        #expect(code == 0)
        #expect(errors.contains("nothing to do"))
    }

    /// The second release's report says what changed since the first, by the primary key.
    @Test func theReportSaysWhatChangedSinceTheLastRelease() throws {
        let directory = try TemporaryDirectory()
        try "code,name,people\n4211,춘천시,285000\n4213,원주시,356000\n4215,강릉시,213000\n"
            .write(toFile: directory.path("in.csv"), atomically: true, encoding: .utf8)
        try
            #"{"fields": [{"name": "code", "type": "string"}, {"name": "name", "type": "string"}, {"name": "people", "type": "integer"}], "primaryKey": ["code"]}"#
            .write(toFile: directory.path("schema.json"), atomically: true, encoding: .utf8)
        try """
        version: 1
        name: towns
        sources: {towns: {path: in.csv}}
        schema: schema.json
        steps: [{cast: {}}]
        outputs: [{path: out/towns.csv}]
        """.write(toFile: directory.path("p.yaml"), atomically: true, encoding: .utf8)
        #expect(try runPublicaBinary(["run", directory.path("p.yaml")]).code == 0)
        func changes() throws -> [String: Any]? {
            let report =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: directory.path("out/run-report.json"))))
                as? [String: Any]
            return report?["changes"] as? [String: Any]
        }
        #expect(try changes()?["note"] as? String == "This is the first release.")

        try "code,name,people\n4211,춘천시,286000\n4215,강릉시,213000\n4217,동해시,90000\n4219,태백시,40000\n"
            .write(toFile: directory.path("in.csv"), atomically: true, encoding: .utf8)
        #expect(try runPublicaBinary(["run", directory.path("p.yaml")]).code == 0)
        let table = try #require((try changes()?["resources"] as? [[String: Any]])?.first)
        #expect(table["previousRows"] as? Int == 3)
        #expect(table["rows"] as? Int == 4)
        #expect(table["added"] as? Int == 2)
        #expect(table["removed"] as? Int == 1)
        #expect(table["changed"] as? Int == 1)
        #expect((table["changedColumns"] as? [[String: Any]])?.first?["name"] as? String == "people")
        let page = try String(contentsOfFile: directory.path("out/run-report.html"), encoding: .utf8)
        #expect(page.contains("Change since the last release"))
        #expect(page.contains("people 1"))
    }

    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// The page in a real browser: headless Chromium renders it to a PNG 1280 px wide (the page's
    /// own width, 1216 px and its margins, fits it), and something is drawn.
    @Test(.enabled(if: chromium != nil, "Chromium is not installed"))
    func chromiumRendersThePageAt1280Pixels() throws {
        let directory = try TemporaryDirectory()
        _ = try runPublicaBinary(["run", try pipeline(directory)])
        let png = directory.path("report.png")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RunReportPageRunTests.chromium!)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,1600",
            "--screenshot=\(png)", "file://" + directory.path("out/run-report.html")
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let data = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let width = data[16..<20].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1280)
        // Something was drawn: a blank page compresses to a few kilobytes.
        #expect(data.count > 20_000)
    }
}
