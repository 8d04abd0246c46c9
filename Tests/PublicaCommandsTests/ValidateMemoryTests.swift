import Foundation
import PublicaTestSupport
import Testing

@testable import PublicaCommands

/// `publica validate --memory`: a budget its keys outgrow gives the report the default gives,
/// and leaves no spill file behind.
struct ValidateMemoryTests {
    @Test func aTinyBudgetGivesTheDefaultReport() throws {
        let directory = try TemporaryDirectory()
        var csv = "id,code,note\n"
        for index in 0..<20_000 {
            // Codes repeat near and far; ids repeat as 007 beside 7; some ids are missing.
            let id = index % 113 == 5 ? "" : index % 89 == 1 ? "000\(index / 2)" : "\(index)"
            csv += "\(id),k\(index % 3 == 0 ? index / 3 : index),n\(index % 7)\n"
        }
        let data = try writeText(csv, directory.path("data.csv"))
        let schema = try writeText(
            #"{"fields": [{"name": "id", "type": "integer"}, {"name": "code", "constraints": {"unique": true}}, "#
                + #"{"name": "note"}], "primaryKey": ["id"]}"#, directory.path("schema.json"))
        let spill = directory.path("spill")
        try FileManager.default.createDirectory(atPath: spill, withIntermediateDirectories: true)
        func report(_ memory: String) throws -> String {
            let path = directory.path("report-\(memory).json")
            let (code, errors) = try runPublicaBinary(
                ["validate", data, "--schema", schema, "--format", "json", "--memory", memory],
                standardOutput: path, environment: ["TMPDIR": spill])
            #expect(code == 65, "\(errors)")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return text.replacingOccurrences(of: #""seconds":\s*[0-9.]+"#, with: "", options: .regularExpression)
        }
        let inMemory = try report("256MiB")
        let spilled = try report("64KiB")
        #expect(inMemory.contains("\"unique-error\"") && inMemory.contains("\"primary-key\""))
        #expect(spilled == inMemory)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spill).isEmpty)
        #expect(publicaCapturingErrors(["validate", data, "--schema", schema, "--memory", "lots"]).code == 64)
    }

    /// A spill file that cannot be made is the run's failure (exit 1, saying so), never a
    /// verdict on the table (exit 65) with its later rows unchecked.
    @Test func aSpillThatCannotBeWrittenIsAnIOFailure() throws {
        let directory = try TemporaryDirectory()
        let data = try writeText(
            "code\n" + (0..<20_000).map { "k\($0)" }.joined(separator: "\n") + "\n", directory.path("data.csv"))
        let schema = try writeText(
            #"{"fields": [{"name": "code", "constraints": {"unique": true}}]}"#, directory.path("schema.json"))
        // A file where the spill folder should be.
        let (code, errors) = try runPublicaBinary(
            ["validate", data, "--schema", schema, "--memory", "64KiB"], environment: ["TMPDIR": data])
        #expect(code == 1, "\(errors)")
        #expect(errors.contains("cannot create a spill file"), "\(errors)")
        let fits = try runPublicaBinary(
            ["validate", data, "--schema", schema, "--memory", "256MiB"], environment: ["TMPDIR": data])
        #expect(fits.code == 0, "\(fits.errors)")
    }
}
