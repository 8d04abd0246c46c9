import Foundation
import PublicaTestSupport
import Testing

/// A run whose fetch fails keeps the pages it saved in order (`.<folder>.publica-resume`, with
/// the day); `publica run --resume` the same day asks only for the pages after them. A fetch that
/// succeeds removes the kept pages; those of another day are fetched again.
@Suite(.serialized) struct ResumeRunTests {
    let server: LoopbackServer

    init() throws { server = try LoopbackServer(script: "datagokr_server.py") }

    func run(_ fault: String, in directory: borrowing TemporaryDirectory, _ more: [String] = []) throws -> (
        code: Int32, errors: String
    ) {
        try runPublicaBinary(
            ["run", RemoteRunTests.pipeline] + more,
            environment: [
                "DATA_GO_KR_BASE": server.base + "/" + fault, "DATA_GO_KR_KEY": RemoteRunTests.key,
                "PUBLICA_OUT": directory.path("out")
            ])
    }

    func requests(_ page: Int, _ fault: String = "quota3once") throws -> Int {
        let counts = try JSONSerialization.jsonObject(with: Data(try server.get("/_requests").utf8)) as? [String: Int]
        return counts?["\(fault):\(page)"] ?? 0
    }

    @Test func aResumedRunAsksOnlyForThePagesAfterTheSavedOnes() throws {
        let directory = try TemporaryDirectory()
        let failed = try run("quota3once", in: directory)
        #expect(failed.code == 75, "\(failed.errors)")
        #expect(failed.errors.contains("publica run --resume goes on from them today"), "\(failed.errors)")
        let resume = directory.path("out/.kasi-holidays.publica-resume")
        #expect(FileManager.default.fileExists(atPath: resume + "/1/partial.json"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("out/kasi-holidays")))
        try RemoteRunTests.expectNoSecret(in: directory, errors: failed.errors)

        let resumed = try run("quota3once", in: directory, ["--resume"])
        #expect(resumed.code == 0, "\(resumed.errors)")
        #expect(resumed.errors.contains("going on after page 2 of 3"), "\(resumed.errors)")
        #expect(try requests(1) == 1 && requests(2) == 1 && requests(3) == 2)
        let lines = try String(
            contentsOfFile: directory.path("out/kasi-holidays/kasi-holidays.ndjson"), encoding: .utf8
        ).split(separator: "\n")
        #expect(lines.count == 45)
        #expect(!FileManager.default.fileExists(atPath: resume))
    }

    @Test func aRunWithoutResumeFetchesEveryPageAndDropsTheKeptOnes() throws {
        let directory = try TemporaryDirectory()
        #expect(try run("quota3once", in: directory).code == 75)
        let again = try run("quota3once", in: directory)
        #expect(again.code == 0, "\(again.errors)")
        #expect(try requests(1) == 2)
        #expect(!FileManager.default.fileExists(atPath: directory.path("out/.kasi-holidays.publica-resume")))
    }

    @Test func pagesKeptOnAnotherDayAreFetchedAgain() throws {
        let directory = try TemporaryDirectory()
        #expect(try run("quota3once", in: directory).code == 75)
        let day = directory.path("out/.kasi-holidays.publica-resume/resume.json")
        try #"{"day": "2001-01-01"}"#.write(toFile: day, atomically: true, encoding: .utf8)
        let resumed = try run("quota3once", in: directory, ["--resume"])
        #expect(resumed.code == 0, "\(resumed.errors)")
        #expect(resumed.errors.contains("were fetched on 2001-01-01, not today"), "\(resumed.errors)")
        #expect(try requests(1) == 2)
    }

    /// A run that fails before saving a page leaves the pages an earlier run kept.
    @Test func aRunThatSavesNothingLeavesTheKeptPages() throws {
        let directory = try TemporaryDirectory()
        #expect(try run("quota3once", in: directory).code == 75)
        #expect(try run("gateway403", in: directory).code == 77)
        let resumed = try run("quota3once", in: directory, ["--resume"])
        #expect(resumed.code == 0 && resumed.errors.contains("going on after page 2 of 3"), "\(resumed.errors)")
    }
}
