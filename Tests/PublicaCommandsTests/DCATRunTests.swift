import Foundation
import PublicaTestSupport
import Testing

/// Every run publishes `dcat.jsonld` (DCAT-AP 3) beside its outputs, from the pipeline's
/// metadata keys; it conforms to the official shapes (checked with pyshacl by
/// `Scripts/check-dcat.py`), names each file with its size and SHA-256, and keeps the day the
/// dataset was first issued.
@Suite struct DCATRunTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized.path

    static let metadata = """
        title: 강원도 행정구역 코드
        description: 강원도 시군의 행정구역 코드와 이름
        license: KOGL-Type1
        publisher: {name: 강원도, email: data@gwd.go.kr, url: https://www.gwd.go.kr}
        contact: {name: 정보화정책과, email: open@gwd.go.kr}
        keywords: [행정구역, 코드]
        package_version: "2024.1"
        homepage: https://www.data.go.kr/data/15000000/fileData.do
        temporal: {start: 2024-01, end: 2024-12-31}
        spatial: 강원특별자치도
        base_url: https://data.example.go.kr/gangwon-codes
        """

    func pipeline(_ directory: borrowing TemporaryDirectory, _ metadata: String = metadata) throws -> String {
        try "code,name\n4211,춘천시\n4213,원주시\n".write(
            toFile: directory.path("codes.csv"), atomically: true, encoding: .utf8)
        let text = """
            version: 1
            name: gangwon-codes
            \(metadata)
            sources:
              codes: {path: codes.csv}
            outputs:
              - {path: out/codes.csv}
              - {path: out/codes.ndjson}
              - {path: out/datapackage.json}
            """
        try text.write(toFile: directory.path("p.yaml"), atomically: true, encoding: .utf8)
        return directory.path("p.yaml")
    }

    func check(_ paths: [String]) throws -> (code: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", DCATRunTests.root + "/Scripts/check-dcat.py"] + paths
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    func graph(_ path: String) throws -> [[String: Any]] {
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        return try #require((document as? [String: Any])?["@graph"] as? [[String: Any]])
    }

    @Test func theRecordConformsAndDescribesEveryFile() throws {
        let directory = try TemporaryDirectory()
        let (code, errors) = try runPublicaBinary(["run", try pipeline(directory)])
        #expect(code == 0, "\(errors)")
        let record = directory.path("out/dcat.jsonld")
        let checked = try check([record])
        #expect(checked.code == 0, "\(checked.output)")

        let nodes = try graph(record)
        let dataset = try #require(nodes.first { $0["@type"] as? String == "dcat:Dataset" })
        #expect(dataset["dct:title"] as? String == "강원도 행정구역 코드")
        #expect((dataset["dct:publisher"] as? [String: Any])?["foaf:name"] as? String == "강원도")
        #expect((dataset["dcat:contactPoint"] as? [String: Any])?["vcard:fn"] as? String == "정보화정책과")
        #expect(dataset["dcat:keyword"] as? [String] == ["행정구역", "코드"])
        let distributions = nodes.filter { $0["@type"] as? String == "dcat:Distribution" }
        #expect(distributions.count == 2)
        for distribution in distributions {
            let url = try #require((distribution["dcat:downloadURL"] as? [String: Any])?["@id"] as? String)
            #expect(url.hasPrefix("https://data.example.go.kr/gangwon-codes/"))
            let file = directory.path("out/" + url.split(separator: "/").last!)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect((distribution["dcat:byteSize"] as? [String: Any])?["@value"] as? String == String(bytes.count))
            let checksum = (distribution["spdx:checksum"] as? [String: Any])?["spdx:checksumValue"] as? [String: Any]
            let sha = try runSHA256(file)
            #expect(checksum?["@value"] as? String == sha)
            #expect(
                (distribution["dct:license"] as? [String: Any])?["@id"] as? String
                    == "https://www.kogl.or.kr/info/licenseType1.do")
        }
        // No path of this machine in it.
        let text = try String(contentsOfFile: record, encoding: .utf8)
        #expect(!text.contains(directory.path("")))
    }

    func runSHA256(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(output.prefix(64))
    }

    @Test func theCheckFailsARecordWithoutTitleOrDescription() throws {
        let directory = try TemporaryDirectory()
        #expect(try runPublicaBinary(["run", try pipeline(directory)]).code == 0)
        let record = directory.path("out/dcat.jsonld")
        var document = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: record))) as? [String: Any])
        var nodes = try graph(record)
        let index = try #require(nodes.firstIndex { $0["@type"] as? String == "dcat:Dataset" })
        nodes[index].removeValue(forKey: "dct:title")
        nodes[index].removeValue(forKey: "dct:description")
        document["@graph"] = nodes
        let broken = directory.path("broken.jsonld")
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: broken))
        let checked = try check([broken])
        #expect(checked.code == 1 && checked.output.contains("dct"), "\(checked.output)")
    }

    @Test func aPipelineWithoutMetadataStillConformsAndDCATFalseWritesNone() throws {
        let bare = try TemporaryDirectory()
        #expect(try runPublicaBinary(["run", try pipeline(bare, "")]).code == 0)
        let checked = try check([bare.path("out/dcat.jsonld")])
        #expect(checked.code == 0, "\(checked.output)")

        let off = try TemporaryDirectory()
        #expect(try runPublicaBinary(["run", try pipeline(off, "dcat: false")]).code == 0)
        #expect(!FileManager.default.fileExists(atPath: off.path("out/dcat.jsonld")))
        #expect(FileManager.default.fileExists(atPath: off.path("out/datapackage.json")))
    }

    @Test func theDayFirstIssuedIsKeptAcrossRuns() throws {
        let directory = try TemporaryDirectory()
        let file = try pipeline(directory)
        #expect(try runPublicaBinary(["run", file]).code == 0)
        let state = directory.path("out/.publica-state.json")
        let text = try String(contentsOfFile: state, encoding: .utf8)
        let issued = try #require(text.range(of: #""issued": "\d{4}-\d{2}-\d{2}""#, options: .regularExpression))
        try text.replacingCharacters(in: issued, with: #""issued": "2020-05-01""#)
            .write(toFile: state, atomically: true, encoding: .utf8)
        #expect(try runPublicaBinary(["run", file, "--full-refresh"]).code == 0)
        let dataset = try #require(try graph(directory.path("out/dcat.jsonld")).first)
        #expect((dataset["dct:issued"] as? [String: Any])?["@value"] as? String == "2020-05-01")
        #expect((dataset["dct:modified"] as? [String: Any])?["@value"] as? String != "2020-05-01")
    }

    @Test(arguments: [
        ("temporal: {start: 2024-13-01}", "temporal start takes a date"),
        ("base_url: ftp://example.org/x", "base_url takes the http(s) address"),
        ("dcat: sometimes", "dcat takes true or false"),
        ("contact: {email: a@b.c}", "contact needs a name"),
        ("temporal: {from: 2024}", "unknown key 'from'")
    ])
    func aWrongMetadataKeyIsReportedAtItsPlace(_ line: String, _ message: String) throws {
        let directory = try TemporaryDirectory()
        let (code, _) = try runPublicaBinary(
            ["check", try pipeline(directory, line)], standardOutput: directory.path("problems.txt"))
        let errors = try String(contentsOfFile: directory.path("problems.txt"), encoding: .utf8)
        #expect(code == 64, "\(errors)")
        #expect(errors.contains("p.yaml:3:") && errors.contains(message), "\(errors)")
    }
}
