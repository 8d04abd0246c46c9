import Foundation
import PublicaCore
import PublicaPipeline
import PublicaTestSupport
import Testing

@testable import PublicaCommands

/// `convert` and `run` on exports as the portals make them: `--header-row auto`, `--trim`,
/// `--delimiter auto`, and their pipeline keys.
@Suite(.serialized)
struct ReadingExportsTests {
    static let weather = Fixtures.url("korean-csv/weather-portal-export.csv").path

    @Test func convertReadsTheWeatherExportWithAutoHeaderAndTrim() throws {
        let directory = try TemporaryDirectory()
        let output = directory.path("weather.ndjson")
        let run = publicaCapturingErrors(["convert", Self.weather, output, "--header-row", "auto", "--trim"])
        #expect(run.code == 0)
        #expect(run.errors.contains("7 records written"))
        #expect(run.errors.contains("header_row auto: the header is line 10 (6 fields)"))
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 7)
        #expect(
            lines.first
                == #"{"지점":"108","지점명":"서울","일시":"2023-01-01","평균기온(°C)":"-0.8","최저기온(°C)":"-5.8","최고기온(°C)":"4.6"}"#
        )
        #expect(!FileManager.default.fileExists(atPath: directory.path("weather.rejects.ndjson")))
    }

    @Test func withoutTrimTheTabOnlyLinesAreRejected() throws {
        let directory = try TemporaryDirectory()
        let run = publicaCapturingErrors(["convert", Self.weather, directory.path("w.ndjson"), "--header-row", "auto"])
        #expect(run.code == 3)
    }

    @Test func aPipelineReadsTheWeatherExport() throws {
        let directory = try TemporaryDirectory()
        let pipeline = try writeText(
            """
            version: 1
            name: weather
            sources:
              kma:
                path: \(Self.weather)
                header_row: auto
                delimiter: auto
                trim: true
            steps:
              - rename: {지점: station, 일시: date, 평균기온(°C): mean_temp}
              - select: [station, date, mean_temp]
            outputs:
              - {path: out/weather.csv}
            """, directory.path("weather.yaml"))
        #expect(publica(["check", pipeline]) == 0)
        let run = publicaCapturingErrors(["run", pipeline])
        #expect(run.code == 0)
        #expect(run.errors.contains("header_row auto: the header is line 10"))
        #expect(run.errors.contains("delimiter auto: ',' (comma)"))
        let text = try String(contentsOfFile: directory.path("out/weather.csv"), encoding: .utf8)
        #expect(text.hasPrefix("station,date,mean_temp\r\n108,2023-01-01,-0.8\r\n"))
        #expect(text.split(separator: "\r\n").count == 8)
    }

    @Test func aSemicolonAndAPipeFileAreSniffed() throws {
        let directory = try TemporaryDirectory()
        let semicolon = try writeText("지역;인구\n춘천시;286000\n원주시;361000\n", directory.path("semi.csv"))
        let pipe = try writeText("code|name\n01|가\n02|나\n", directory.path("pipe.csv"))
        for (input, note) in [(semicolon, "';' (semicolon)"), (pipe, "'|' (pipe)")] {
            let output = input + ".ndjson"
            let run = publicaCapturingErrors(["convert", input, output, "--delimiter", "auto"])
            #expect(run.code == 0 && run.errors.contains("delimiter auto: " + note))
            let first = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").first
            #expect(first == #"{"지역":"춘천시","인구":"286000"}"# || first == #"{"code":"01","name":"가"}"#)
        }
    }

    @Test func autoThatCannotDecideNamesHeaderRow() throws {
        let directory = try TemporaryDirectory()
        let input = try writeText("a\nb,c\nd,e,f\ng,h,i,j\nk,l,m,n,o\np,q,r,s,t,u\n", directory.path("odd.csv"))
        let run = publicaCapturingErrors(["convert", input, directory.path("o.ndjson"), "--header-row", "auto"])
        #expect(run.code == 65)
        #expect(run.errors.contains("odd.csv:1: error: header_row auto cannot find the header"))
        #expect(run.errors.contains("--header-row N"))
        #expect(publicaCapturingErrors(["convert", input, directory.path("o.ndjson"), "--header-row", "x"]).code == 64)
    }

    /// The messages `check` gives for a pipeline file, sorted.
    static func problems(_ path: String) -> [String] {
        do {
            _ = try PipelineLoader().load(path: path)
            return []
        } catch let problems as PipelineProblems {
            return problems.diagnostics.map(\.message).sorted()
        } catch {
            return ["\(error)"]
        }
    }

    @Test func checkKnowsTheNewKeys() throws {
        let directory = try TemporaryDirectory()
        _ = try writeText("a,b\n1,2\n", directory.path("in.csv"))
        let typo = try writeText(
            "version: 1\nname: p\nsources:\n  s: {path: in.csv, trimm: true}\noutputs:\n  - {path: out/a.csv}\n",
            directory.path("typo.yaml"))
        #expect(publica(["check", typo]) == 64)
        #expect(Self.problems(typo).contains("unknown key 'trimm' in source 's'; did you mean 'trim'?"))
        let bad = try writeText(
            "version: 1\nname: p\nsources:\n  s: {path: in.csv, trim: both_sides, header_row: top}\noutputs:\n  - {path: out/a.csv}\n",
            directory.path("bad.yaml"))
        #expect(
            Self.problems(bad) == [
                "header_row must be a line number (1 or more) or auto", "trim must be true, false, start or end"
            ])
        let fine = try writeText(
            "version: 1\nname: p\nsources:\n  s: {path: in.csv, trim: end, header_row: auto, delimiter: auto}\noutputs:\n  - {path: out/a.csv}\n",
            directory.path("fine.yaml"))
        #expect(publica(["check", fine]) == 0)
    }
}
