import Foundation
import PublicaCore
import PublicaPipeline
import PublicaTestSupport
import Testing

/// `publica test`: a case's inputs replace the sources, its expected files are compared byte for
/// byte, and the real outputs are never written.
struct PipelineTesterTests {
    @Test func casesReplaceInputsCompareOutputsAndLeaveTheRealFolderAlone() throws {
        let directory = try TemporaryDirectory()
        let root = directory.path("")
        try "id,name\n1,가\n".write(toFile: root + "/data.csv", atomically: false, encoding: .utf8)
        try """
        version: 1
        sources:
          registry: {path: data.csv}
        steps:
          - rename: {name: label}
        outputs:
          - {path: out/registry/registry.csv}
        """.write(toFile: root + "/registry.yaml", atomically: false, encoding: .utf8)
        func addCase(_ name: String, input: String?, expected: String) throws {
            let folder = root + "/tests/registry/\(name)"
            try FileManager.default.createDirectory(atPath: folder + "/expected", withIntermediateDirectories: true)
            if let input {
                try FileManager.default.createDirectory(atPath: folder + "/inputs", withIntermediateDirectories: true)
                try input.write(toFile: folder + "/inputs/registry.csv", atomically: false, encoding: .utf8)
            }
            try expected.write(toFile: folder + "/expected/registry.csv", atomically: false, encoding: .utf8)
        }
        try addCase("own-input", input: nil, expected: "id,label\r\n1,가\r\n")
        try addCase("replaced", input: "id,name\n7,나\n", expected: "id,label\r\n7,나\r\n")
        try addCase("wrong", input: "id,name\n8,다\n", expected: "id,label\r\n8,라\r\n")

        let tester = PipelineTester(path: root + "/registry.yaml")
        let results = try tester.run()
        #expect(results.map(\.name) == ["own-input", "replaced", "wrong"])
        #expect(results.map(\.passed) == [true, true, false])
        #expect(results[2].failures.first?.contains("line 2:\n  - 8,라\n  + 8,다") == true)
        #expect(!FileManager.default.fileExists(atPath: root + "/out"))
    }
}
