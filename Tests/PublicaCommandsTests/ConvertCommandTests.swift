import ArgumentParser
import Foundation
import PublicaCore
import PublicaTestSupport
import Testing

@testable import PublicaCommands

/// Runs `publica ARGS` in process and returns its exit code.
func publica(_ arguments: [String]) -> Int32 {
    do {
        var command = try PublicaCommand.parseAsRoot(arguments)
        try command.run()
        return 0
    } catch {
        return PublicaCommand.exitCode(for: error).rawValue
    }
}

struct ConvertCommandTests {
    @Test func cp949AndItsUTF8TwinGiveByteIdenticalNDJSON() throws {
        let directory = try TemporaryDirectory()
        let original = Fixtures.url("korean-csv/kosis-airline-company.csv").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", "CP949", "-t", "UTF-8", original]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let twin = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try twin.write(to: directory.url.appendingPathComponent("twin.csv"))

        #expect(publica(["convert", original, directory.path("a.ndjson"), "--encoding", "auto", "-q"]) == 0)
        #expect(publica(["convert", directory.path("twin.csv"), directory.path("b.ndjson"), "-q"]) == 0)
        let a = try Data(contentsOf: directory.url.appendingPathComponent("a.ndjson"))
        let b = try Data(contentsOf: directory.url.appendingPathComponent("b.ndjson"))
        #expect(a == b)
        #expect(String(decoding: a.prefix(60), as: UTF8.self).hasPrefix(#"{"시점":"2005.01","항공사별(1)":"아시아나항공""#))
    }

    @Test func exitCodesForBadInput() throws {
        let directory = try TemporaryDirectory()
        let ragged = try writeText("a,b\n1,2\n3\n", directory.path("ragged.csv"))
        #expect(publica(["convert", ragged, directory.path("r.ndjson"), "--on-ragged", "error", "-q"]) == 65)
        #expect(!FileManager.default.fileExists(atPath: directory.path("r.ndjson")))

        #expect(publica(["convert", ragged, directory.path("r.ndjson"), "-q"]) == 3)
        let rejects = try String(contentsOfFile: directory.path("r.rejects.ndjson"), encoding: .utf8)
        #expect(rejects.contains(#""line":3"#) && rejects.contains(#""rule":"field-count""#))
        // A later clean run of the same output removes the stale rejects.
        try "a,b\n1,2\n".write(toFile: ragged, atomically: false, encoding: .utf8)
        #expect(publica(["convert", ragged, directory.path("r.ndjson"), "-q"]) == 0)
        #expect(!FileManager.default.fileExists(atPath: directory.path("r.rejects.ndjson")))

        let open = try writeText("a\n\"x\n", directory.path("open.csv"))
        #expect(publica(["convert", open, directory.path("o.json"), "-q"]) == 65)
        #expect(!FileManager.default.fileExists(atPath: directory.path("o.json")))

        #expect(publica(["convert", directory.path("missing.csv"), directory.path("m.json")]) == 1)
        #expect(publica(["convert", ragged, ragged + "/out.json"]) == 1)  // under a regular file
        #expect(publica(["convert", ragged, directory.path("x.unknown")]) == 64)
        #expect(publica(["convert", ragged, directory.path("x.json"), "--encoding", "klingon"]) == 64)
        #expect(publica(["convert", ragged, directory.path("x.json"), "--bogus"]) == 64)
    }

    @Test func jsonToCSVAndBack() throws {
        let directory = try TemporaryDirectory()
        let input = try writeText(
            #"[{"code":"01234","n":1.50,"ok":true},{"code":"0540","n":2,"ok":null}]"#,
            directory.path("in.json"))
        #expect(publica(["convert", input, directory.path("out.csv"), "--line-ending", "lf", "-q"]) == 0)
        #expect(
            try String(contentsOfFile: directory.path("out.csv"), encoding: .utf8)
                == "code,n,ok\n01234,1.5,true\n0540,2,\n")
        #expect(publica(["convert", input, directory.path("out.ndjson"), "-q"]) == 0)
        #expect(
            try String(contentsOfFile: directory.path("out.ndjson"), encoding: .utf8)
                == "{\"code\":\"01234\",\"n\":1.5,\"ok\":true}\n{\"code\":\"0540\",\"n\":2,\"ok\":null}\n")
    }

    @Test func tsvInWithExplicitFormats() throws {
        let directory = try TemporaryDirectory()
        let input = try writeText("a\tb\n1\t\"x\ty\"\n", directory.path("in.txt"))
        #expect(publica(["convert", input, directory.path("out.dat"), "--from", "tsv", "--to", "ndjson", "-q"]) == 0)
        #expect(
            try String(contentsOfFile: directory.path("out.dat"), encoding: .utf8) == "{\"a\":\"1\",\"b\":\"x\\ty\"}\n")
    }

    /// `--schema` casts to the schema's types with the validator's checks; failing records are rejected.
    @Test func convertWithASchemaTypesAndRejects() throws {
        let directory = try TemporaryDirectory()
        let input = try writeText(
            "code,amount,day,paid\n01234,\"1,234,000\",2022.09.02,Y\n0540,12,2022.13.01,N\n0999,x,2022.10.01,Y\n",
            directory.path("in.csv"))
        let schema = try writeText(
            """
            {"fields": [{"name": "code", "type": "string", "constraints": {"pattern": "[0-9]{4,5}"}},
                        {"name": "amount", "type": "integer", "groupChar": ","},
                        {"name": "day", "type": "date", "format": "%Y.%m.%d"},
                        {"name": "paid", "type": "boolean", "trueValues": ["Y"], "falseValues": ["N"]}]}
            """, directory.path("schema.json"))
        #expect(publica(["convert", input, directory.path("out.ndjson"), "--schema", schema, "-q"]) == 3)
        #expect(
            try String(contentsOfFile: directory.path("out.ndjson"), encoding: .utf8)
                == "{\"code\":\"01234\",\"amount\":1234000,\"day\":\"2022-09-02\",\"paid\":true}\n")
        let rejects = try String(contentsOfFile: directory.path("out.rejects.ndjson"), encoding: .utf8).split(
            separator: "\n")
        #expect(rejects.count == 2)
        #expect(
            rejects[0].contains(#""field":"day""#) && rejects[0].contains(#""rule":"type-error""#)
                && rejects[0].contains(#""line":3"#))
        #expect(rejects[1].contains(#""field":"amount""#))
        let missing = try writeText(#"{"fields": [{"name": "nope", "type": "string"}]}"#, directory.path("other.json"))
        #expect(publica(["convert", input, directory.path("x.ndjson"), "--schema", missing]) == 64)
    }

    @Test func xmlThroughTheRegistry() throws {
        let directory = try TemporaryDirectory()
        let sample = Fixtures.url("datagokr/kasi/get24DivisionsInfo_2021.xml").path
        #expect(
            publica([
                "convert", sample, directory.path("solar.csv"), "--preset", "datagokr", "--line-ending", "lf", "-q"
            ]) == 0)
        let csv = try String(contentsOfFile: directory.path("solar.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("dateKind,dateName,isHoliday,kst,locdate,seq\n03,소한,N,1223,20210105,1\n"))
        #expect(csv.split(separator: "\n").count == 25)

        let envelope = try writeText(
            "<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg>"
                + "<returnReasonCode>22</returnReasonCode></cmmMsgHeader></OpenAPI_ServiceResponse>",
            directory.path("error.xml"))
        #expect(publica(["convert", envelope, directory.path("e.json"), "--preset", "datagokr"]) == 65)
        #expect(!FileManager.default.fileExists(atPath: directory.path("e.json")))
        let broken = try writeText("<r><item><a>1</b></item></r>", directory.path("broken.xml"))
        #expect(publica(["convert", broken, directory.path("b.json"), "--record-path", "//item"]) == 65)
        #expect(publica(["convert", broken, directory.path("b.json")]) == 64)  // no record path
        #expect(publica(["convert", broken, directory.path("b.json"), "--preset", "nope"]) == 64)
    }
}

func writeText(_ text: String, _ path: String) throws -> String {
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    return path
}

/// `frictionless` on the PATH, if installed (`.ci/run` installs it from PyPI when it can).
let frictionlessExecutable: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    return path.split(separator: ":").map { "\($0)/frictionless" }.first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
}()

/// True when frictionless can read NDJSON: it needs its `json` extra (`ijson`, `jsonlines`).
/// Asked of frictionless itself, on a two-line NDJSON file, so a wrapper on the PATH (a pyenv
/// shim, a venv's script) is judged by what it does, not by its `#!` line.
let frictionlessReadsNDJSON: Bool = {
    guard let executable = frictionlessExecutable else { return false }
    do {
        let directory = try TemporaryDirectory()
        _ = try writeText("{\"a\":1}\n{\"a\":2}\n", directory.path("probe.ndjson"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // A relative path in its folder: frictionless refuses absolute ones as "not safe".
        process.arguments = ["validate", "--json", "probe.ndjson"]
        process.currentDirectoryURL = directory.url
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let report = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        // Without the extra the report is invalid: "Please install \"frictionless[json]\"".
        return (try JSONSerialization.jsonObject(with: report) as? [String: Any])?["valid"] as? Bool == true
    } catch {
        return false
    }
}()

struct BulletinConvertTests {
    @Test func bulletinBecomesADirectoryWithADataPackage() throws {
        let directory = try TemporaryDirectory()
        let input = Fixtures.url("bulletins/rnd-kiosk-098.txt").path
        #expect(publica(["convert", input, directory.path("kiosk"), "--from", "bulletin", "-q"]) == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path("kiosk")).sorted()
        #expect(
            files.contains("datapackage.json") && files.contains("table_1.ndjson") && files.contains("citations.ndjson")
        )
        let package =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: directory.url.appendingPathComponent("kiosk/datapackage.json")))
            as? [String: Any]
        let resources = package?["resources"] as? [[String: Any]] ?? []
        #expect(resources.count == files.count - 1)
        let issue = try #require(resources.first { $0["name"] as? String == "issue" })
        let bytes = try Data(contentsOf: directory.url.appendingPathComponent("kiosk/issue.ndjson"))
        #expect(issue["bytes"] as? Int == bytes.count)
        #expect((issue["hash"] as? String)?.hasPrefix("sha256:") == true)
    }

    @Test(
        .enabled(if: frictionlessExecutable != nil, "frictionless is not installed (pip install frictionless): skipped")
    )
    func csvDataPackagePassesFrictionless() throws {
        try checkWithFrictionless(format: "csv")
    }

    @Test(
        .enabled(
            if: frictionlessReadsNDJSON,
            "frictionless cannot read NDJSON here (pip install 'frictionless[json]'): skipped"))
    func ndjsonDataPackagePassesFrictionless() throws {
        try checkWithFrictionless(format: "ndjson")
    }

    private func checkWithFrictionless(format: String) throws {
        let directory = try TemporaryDirectory()
        let input = Fixtures.url("bulletins/rnd-kiosk-098.txt").path
        #expect(publica(["convert", input, directory.path("out"), "--from", "bulletin", "--to", format, "-q"]) == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: frictionlessExecutable!)
        process.arguments = ["validate", "--json", "datapackage.json"]
        process.currentDirectoryURL = directory.url.appendingPathComponent("out")
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let report = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let parsed = try JSONSerialization.jsonObject(with: report) as? [String: Any]
        #expect(parsed?["valid"] as? Bool == true, "\(String(decoding: report.prefix(2000), as: UTF8.self))")
    }
}
