import Foundation
import PublicaTestSupport
import Testing

/// `publica test --keep-outputs DIR` copies each case's outputs to `DIR/<case>/`, and replaces
/// only a folder it made there itself: a case, or anything else of the user's, is refused.
@Suite struct KeptCaseOutputsTests {
    static let pipeline = RemoteRunTests.pipeline
    static let caseName = "rest-days-2019-2021"

    @Test func theOutputsAreKeptAndReplacedOnTheNextRun() throws {
        let directory = try TemporaryDirectory()
        for _ in 0..<2 {
            let (code, errors) = try runPublicaBinary(
                ["test", KeptCaseOutputsTests.pipeline, "--keep-outputs", directory.path("kept")],
                standardOutput: directory.path("stdout"))
            #expect(code == 0, "\(errors)")
        }
        let kept = directory.path("kept/\(KeptCaseOutputsTests.caseName)")
        #expect(FileManager.default.fileExists(atPath: kept + "/kasi-holidays.ndjson"))
        #expect(FileManager.default.fileExists(atPath: kept + "/dcat.jsonld"))
    }

    @Test func aFolderItDidNotMakeIsNeverReplaced() throws {
        let directory = try TemporaryDirectory()
        let mine = directory.path("kept/\(KeptCaseOutputsTests.caseName)")
        try FileManager.default.createDirectory(atPath: mine + "/expected", withIntermediateDirectories: true)
        try "precious".write(toFile: mine + "/expected/x.csv", atomically: true, encoding: .utf8)
        let (code, errors) = try runPublicaBinary(
            ["test", KeptCaseOutputsTests.pipeline, "--keep-outputs", directory.path("kept")],
            standardOutput: directory.path("stdout"))
        #expect(code == 64 && errors.contains("is not a folder publica test --keep-outputs made"), "\(errors)")
        #expect(try String(contentsOfFile: mine + "/expected/x.csv", encoding: .utf8) == "precious")
    }
}
