import Foundation
import PublicaTestSupport
import Testing

/// A remote file (`paging: none`) is asked for with the last run's `ETag` (`If-None-Match`) or
/// `Last-Modified` (`If-Modified-Since`): unchanged (HTTP 304), it is not downloaded and the run
/// has nothing to do; changed, or needed after all (the pipeline changed), it is downloaded.
@Suite(.serialized) struct DownloadRunTests {
    let server: LoopbackServer

    init() throws { server = try LoopbackServer(script: "datagokr_server.py") }

    func pipeline(_ directory: borrowing TemporaryDirectory, path: String, steps: String = "") throws -> String {
        let text = """
            version: 1
            name: codes
            sources:
              codes:
                url: "\(server.base)\(path)"
            \(steps)
            outputs:
              - {path: out/codes.csv}
            """
        let file = directory.path("codes.yaml")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func run(_ file: String, _ more: [String] = []) throws -> (code: Int32, errors: String) {
        try runPublicaBinary(["run", file] + more)
    }

    func published(_ directory: borrowing TemporaryDirectory) throws -> String {
        try String(contentsOfFile: directory.path("out/codes.csv"), encoding: .utf8)
    }

    func notModifiedAnswers() throws -> Int {
        let counts = try JSONSerialization.jsonObject(with: Data(try server.get("/_requests").utf8)) as? [String: Int]
        return counts?["plain-304"] ?? 0
    }

    @Test(arguments: ["/plain/file.csv", "/plaindate/file.csv"])
    func anUnchangedFileIsNotDownloadedAndAChangedOneIs(_ path: String) throws {
        let directory = try TemporaryDirectory()
        let file = try pipeline(directory, path: path)
        let first = try run(file)
        #expect(first.code == 0, "\(first.errors)")
        #expect(try published(directory) == "code,name\r\n01,서울\r\n02,부산\r\n")

        let before = try notModifiedAnswers()
        let again = try run(file)
        #expect(again.code == 0, "\(again.errors)")
        #expect(again.errors.contains("unchanged since the last run (HTTP 304)"), "\(again.errors)")
        #expect(again.errors.contains("nothing to do"), "\(again.errors)")
        #expect(try notModifiedAnswers() == before + 1)

        _ = try server.get("/_change")
        let changed = try run(file)
        #expect(changed.code == 0 && changed.errors.contains("published"), "\(changed.errors)")
        #expect(try published(directory) == "code,name\r\n01,서울\r\n02,부산\r\n12,v2\r\n")
        #expect(try notModifiedAnswers() == before + 1)
    }

    @Test func anUnchangedFileIsDownloadedWhenThePipelineChanged() throws {
        let directory = try TemporaryDirectory()
        let file = try pipeline(directory, path: "/plain/file.csv")
        #expect(try run(file).code == 0)
        _ = try pipeline(directory, path: "/plain/file.csv", steps: "steps:\n  - select: [name]")
        let edited = try run(file)
        #expect(edited.code == 0, "\(edited.errors)")
        #expect(edited.errors.contains("HTTP 304") && edited.errors.contains("published"), "\(edited.errors)")
        #expect(try published(directory) == "name\r\n서울\r\n부산\r\n")
    }

    @Test func aFullRefreshAsksForTheWholeFile() throws {
        let directory = try TemporaryDirectory()
        let file = try pipeline(directory, path: "/plain/file.csv")
        #expect(try run(file).code == 0)
        let before = try notModifiedAnswers()
        let refreshed = try run(file, ["--full-refresh"])
        #expect(refreshed.code == 0 && refreshed.errors.contains("published"), "\(refreshed.errors)")
        #expect(try notModifiedAnswers() == before)
    }

    /// A server that dates each answer at the time of asking changes nothing when the bytes do not.
    @Test func aNewLastModifiedWithTheSameBytesIsNothingToDo() throws {
        let directory = try TemporaryDirectory()
        let file = try pipeline(directory, path: "/plainclock/file.csv")
        #expect(try run(file).code == 0)
        let again = try run(file)
        #expect(again.code == 0 && again.errors.contains("nothing to do"), "\(again.errors)")
        #expect(!again.errors.contains("HTTP 304"))
    }
}
