import Foundation
import PublicaTestSupport
import Testing

/// `keep_raw: true` publishes the responses in `raw/<source>/` with the outputs, and
/// `publica run --replay DIR` reruns the pipeline from them with no server and no key; a kept
/// folder is checked as any published file is (a link or a stranger's file in it is refused).
@Suite(.serialized) struct ReplayRunTests {
    /// The shipped KASI pipeline with `keep_raw: true`, written into `folder` (not the run's
    /// directory, which is searched for the key: the shipped file's comments show the test key).
    func keepingPipeline(in folder: borrowing TemporaryDirectory, keep: Bool = true) throws -> String {
        let shipped = try String(contentsOfFile: RemoteRunTests.pipeline, encoding: .utf8)
        let text = shipped.replacingOccurrences(of: "    rate: 10/s\n", with: "    rate: 10/s\n    keep_raw: \(keep)\n")
        #expect(text != shipped)
        let path = folder.path("kasi-keeping.yaml")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func run(_ arguments: [String], base: String, directory: borrowing TemporaryDirectory, key: String?) throws -> (
        code: Int32, errors: String
    ) {
        var environment = ["DATA_GO_KR_BASE": base, "PUBLICA_OUT": directory.path("out")]
        if let key { environment["DATA_GO_KR_KEY"] = key }
        return try runPublicaBinary(["run"] + arguments, environment: environment)
    }

    func contents(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func theKeptResponsesReplayWithoutServerOrKeyToTheSameOutputs() throws {
        let directory = try TemporaryDirectory()
        let pipelines = try TemporaryDirectory()
        let pipeline = try keepingPipeline(in: pipelines)
        var server: LoopbackServer? = try LoopbackServer(script: "datagokr_server.py")
        let base = server!.base + "/ok"
        let first = try run([pipeline], base: base, directory: directory, key: RemoteRunTests.key)
        #expect(first.code == 0, "\(first.errors)")
        let out = directory.path("out/kasi-holidays")
        let raw = try FileManager.default.contentsOfDirectory(atPath: out + "/raw/kasi").sorted()
        #expect(raw == ["manifest.json", "page-00001.xml", "page-00002.xml", "page-00003.xml"])
        let csv = try contents(out + "/kasi-holidays.csv")
        let manifest = try String(contentsOfFile: out + "/raw/kasi/manifest.json", encoding: .utf8)
        #expect(manifest.contains("serviceKey=***"))
        try RemoteRunTests.expectNoSecret(in: directory, errors: first.errors)

        server = nil  // no network at all from here on
        try FileManager.default.removeItem(atPath: out + "/kasi-holidays.csv")
        try FileManager.default.copyItem(atPath: out, toPath: directory.path("kept"))
        let replayed = try run(
            [pipeline, "--replay", directory.path("kept")], base: base, directory: directory, key: nil)
        #expect(replayed.code == 0, "\(replayed.errors)")
        #expect(!replayed.errors.contains("fetched"))
        #expect(try contents(out + "/kasi-holidays.csv") == csv)
        #expect(
            try contents(out + "/raw/kasi/page-00002.xml") == contents(directory.path("kept/raw/kasi/page-00002.xml")))

        // From the raw folder itself, and from the output folder it replaces.
        for folder in [directory.path("kept/raw"), out] {
            let again = try run([pipeline, "--replay", folder], base: base, directory: directory, key: nil)
            #expect(again.code == 0, "\(again.errors)")
            #expect(try contents(out + "/kasi-holidays.csv") == csv)
        }
    }

    @Test func aFolderWithoutKeptResponsesOrAnotherRequestsIsRefused() throws {
        let directory = try TemporaryDirectory()
        let pipelines = try TemporaryDirectory()
        let pipeline = try keepingPipeline(in: pipelines)
        let server = try LoopbackServer(script: "datagokr_server.py")
        #expect(try run([pipeline], base: server.base + "/ok", directory: directory, key: RemoteRunTests.key).code == 0)
        try FileManager.default.createDirectory(atPath: directory.path("empty"), withIntermediateDirectories: true)
        let missing = try run(
            [pipeline, "--replay", directory.path("empty")], base: server.base + "/ok",
            directory: directory, key: nil)
        #expect(missing.code == 64 && missing.errors.contains("was it run with keep_raw: true?"), "\(missing.errors)")
        let other = try run(
            [pipeline, "--replay", directory.path("out/kasi-holidays")], base: server.base + "/flaky",
            directory: directory, key: nil)
        #expect(other.code == 64 && other.errors.contains("not this pipeline's request"), "\(other.errors)")
    }

    @Test func aKeptManifestNamingAFileOutsideItsFolderIsRefused() throws {
        let directory = try TemporaryDirectory()
        let pipelines = try TemporaryDirectory()
        let pipeline = try keepingPipeline(in: pipelines)
        let server = try LoopbackServer(script: "datagokr_server.py")
        #expect(try run([pipeline], base: server.base + "/ok", directory: directory, key: RemoteRunTests.key).code == 0)
        try FileManager.default.copyItem(atPath: directory.path("out/kasi-holidays"), toPath: directory.path("kept"))
        let manifest = directory.path("kept/raw/kasi/manifest.json")
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        try text.replacingOccurrences(of: "\"page-00002.xml\"", with: "\"../../secret.xml\"")
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        let (code, errors) = try run(
            [pipeline, "--replay", directory.path("kept")], base: server.base + "/ok", directory: directory, key: nil)
        #expect(code == 65 && errors.contains("is not a name in the folder"), "\(errors)")
    }

    @Test func aLinkPlantedInTheKeptFolderIsRefusedAndWhatItPointsAtKept() throws {
        let directory = try TemporaryDirectory()
        let pipelines = try TemporaryDirectory()
        let pipeline = try keepingPipeline(in: pipelines)
        let server = try LoopbackServer(script: "datagokr_server.py")
        let base = server.base + "/ok"
        #expect(try run([pipeline], base: base, directory: directory, key: RemoteRunTests.key).code == 0)
        let victim = directory.path("victim")
        try FileManager.default.createDirectory(atPath: victim, withIntermediateDirectories: true)
        try "precious".write(toFile: victim + "/page-00001.xml", atomically: true, encoding: .utf8)
        let kept = directory.path("out/kasi-holidays/raw/kasi")
        try FileManager.default.removeItem(atPath: kept)
        try FileManager.default.createSymbolicLink(atPath: kept, withDestinationPath: victim)
        let (code, errors) = try run(
            [pipeline, "--full-refresh"], base: base, directory: directory, key: RemoteRunTests.key)
        #expect(code == 64 && errors.contains("holds files Publica did not write (raw/kasi)"), "\(errors)")
        #expect(try String(contentsOfFile: victim + "/page-00001.xml", encoding: .utf8) == "precious")
    }

    @Test func turningKeepRawOffRemovesTheKeptFolderAndAStrangersFileInItIsKept() throws {
        let directory = try TemporaryDirectory()
        let server = try LoopbackServer(script: "datagokr_server.py")
        let base = server.base + "/ok"
        let pipelines = try TemporaryDirectory()
        let keeping = try keepingPipeline(in: pipelines)
        #expect(try run([keeping], base: base, directory: directory, key: RemoteRunTests.key).code == 0)
        let out = directory.path("out/kasi-holidays")
        #expect(FileManager.default.fileExists(atPath: out + "/raw/kasi/manifest.json"))
        _ = try keepingPipeline(in: pipelines, keep: false)
        let off = try run([keeping], base: base, directory: directory, key: RemoteRunTests.key)
        #expect(off.code == 0, "\(off.errors)")
        #expect(!FileManager.default.fileExists(atPath: out + "/raw"))
        #expect(FileManager.default.fileExists(atPath: out + "/kasi-holidays.csv"))

        _ = try keepingPipeline(in: pipelines)
        #expect(try run([keeping], base: base, directory: directory, key: RemoteRunTests.key).code == 0)
        try "mine".write(toFile: out + "/raw/kasi/notes.txt", atomically: true, encoding: .utf8)
        let refused = try run([keeping, "--full-refresh"], base: base, directory: directory, key: RemoteRunTests.key)
        #expect(refused.code == 64 && refused.errors.contains("raw/kasi/notes.txt"), "\(refused.errors)")
        #expect(try String(contentsOfFile: out + "/raw/kasi/notes.txt", encoding: .utf8) == "mine")
    }

    /// Two requests of one resource keep their responses in folders of their own.
    @Test func twoSourcesOfOneResourceKeepTheirResponsesApart() throws {
        let directory = try TemporaryDirectory()
        let server = try LoopbackServer(script: "datagokr_server.py")
        let url = server.base + "/ok/B090041/openapi/service/SpcdeInfoService/getRestDeInfo"
        func source(_ year: Int) -> String {
            """
                  - url: "\(url)"
                    params: {serviceKey: "${DATA_GO_KR_KEY}", solYear: \(year), numOfRows: 20}
                    paging: datagokr
                    keep_raw: true
            """
        }
        let text = """
            version: 2
            name: twice
            output: \(directory.path("out"))/twice/
            resources:
              holidays:
                sources:
            \(source(2020))
            \(source(2021))
            """
        try text.write(toFile: directory.path("twice.yaml"), atomically: true, encoding: .utf8)
        let first = try run([directory.path("twice.yaml")], base: "", directory: directory, key: RemoteRunTests.key)
        #expect(first.code == 0, "\(first.errors)")
        let raw = directory.path("out/twice/raw")
        #expect(try FileManager.default.contentsOfDirectory(atPath: raw).sorted() == ["holidays", "holidays-2"])
        for folder in ["holidays", "holidays-2"] {
            let manifest = try String(contentsOfFile: raw + "/\(folder)/manifest.json", encoding: .utf8)
            #expect(manifest.contains("solYear=\(folder == "holidays" ? 2020 : 2021)"))
        }
        let csv = try contents(directory.path("out/twice/holidays.csv"))
        let replayed = try run(
            [directory.path("twice.yaml"), "--replay", directory.path("out/twice")], base: "", directory: directory,
            key: nil)
        #expect(replayed.code == 0, "\(replayed.errors)")
        #expect(try contents(directory.path("out/twice/holidays.csv")) == csv)
    }
}
