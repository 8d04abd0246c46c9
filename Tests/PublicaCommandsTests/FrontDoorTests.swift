import Foundation
import PublicaCore
import PublicaIngest
import PublicaTestSupport
import Testing

@testable import PublicaCommands

/// What a newcomer meets first: typos, options that only apply elsewhere, plain messages.
struct FrontDoorTests {
    @Test func aMistypedCommandGetsADidYouMean() {
        #expect(
            PublicaCommand.unknownCommand(in: ["conver", "a", "b"])
                == "unknown command 'conver' (commands: run, check, convert, validate, infer); did you mean 'convert'?")
        #expect(PublicaCommand.unknownCommand(in: ["help", "conver"])?.hasSuffix("did you mean 'convert'?") == true)
        #expect(PublicaCommand.unknownCommand(in: ["frobnicate"])?.contains("did you mean") == false)
        for fine in [["convert", "a", "b"], ["help"], ["help", "run"], ["--help"], ["--version"], []] {
            #expect(PublicaCommand.unknownCommand(in: fine) == nil)
        }
    }

    @Test func optionsThatWouldDoNothingAreRefused() throws {
        let directory = try TemporaryDirectory()
        let input = try writeText("a,b\n1,2\n", directory.path("in.csv"))
        #expect(publica(["convert", input, directory.path("out.ndjson"), "--title", "x", "-q"]) == 64)
        #expect(!FileManager.default.fileExists(atPath: directory.path("out.ndjson")))
        _ = try writeText(
            "version: 1\nname: p\nsources:\n  s: {path: in.csv}\noutputs:\n  - {path: out/a.csv}\n",
            directory.path("p.yaml"))
        #expect(publica(["run", directory.path("p.yaml"), "--limit", "1", "-q"]) == 64)
        #expect(!FileManager.default.fileExists(atPath: directory.path("out")))
    }

    @Test func countsReadAsEnglish() {
        let outcome = ConversionOutcome(
            written: 1, rejected: 0, dropped: 0,
            counters: [
                ("skipped lines", 1), ("blank lines", 2),
                ("paging numOfRows", 100), ("paging pageNo", 1)
            ])
        #expect(
            outcome.summary(input: "a.xml", output: "b.ndjson", rejectsPath: "r")
                == "publica: a.xml -> b.ndjson: 1 record written; 1 skipped line, 2 blank lines, paging: numOfRows 100, pageNo 1"
        )
    }

    @Test func aTitleLineAboveTheHeaderGetsAHint() throws {
        let directory = try TemporaryDirectory()
        let titled = try writeText("시설 현황 (2024년)\n연번,시설명,주소\n1,가,서울\n2,나,부산\n3,다,대구\n", directory.path("titled.csv"))
        let hint = HeaderHint.check(titled, options: CSVReadOptions())
        #expect(
            hint
                == "hint: line 1 has 1 field but the rows below have 3; if the header is further down (a title line above it), "
                + "name its line with --header-row N")
        #expect(HeaderHint.check(titled, options: CSVReadOptions(headerRow: 2)) == nil)
        let plain = try writeText("a,b\n1,2\n3,4\n5,6\n", directory.path("plain.csv"))
        #expect(HeaderHint.check(plain, options: CSVReadOptions()) == nil)
    }
}
