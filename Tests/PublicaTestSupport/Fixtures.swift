import Foundation

/// Test fixtures shipped in the test bundle (copied from the shared corpus, with SOURCES.md).
package enum Fixtures {
    /// The URL of a fixture, e.g. `Fixtures.url("csv-spectrum/csvs/simple.csv")`.
    package static func url(_ relativePath: String) -> URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(relativePath)
    }

    /// The bytes of a fixture.
    package static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }

    /// The names of the files in a fixture folder, sorted.
    package static func files(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url(folder).path).sorted()
    }
}

/// A temporary directory removed when the test ends.
package struct TemporaryDirectory: ~Copyable {
    package let url: URL

    package init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("publica-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    package func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}
