import Foundation

/// A test server on 127.0.0.1, started from a Python script in the fixtures (which prints the
/// port it got) and stopped when the value goes. No network beyond loopback.
package final class LoopbackServer: @unchecked Sendable {
    private let process = Process()
    /// The server's standard input: closed when this goes (or the test process ends, however it
    /// ends), which ends the server.
    private let lifeline = Pipe()
    /// `http://127.0.0.1:PORT`.
    package let base: String

    /// Starts `Fixtures/servers/<script>` with python3 (and `arguments` after its own) and waits for its port.
    package init(script: String, arguments: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Fixtures.url("servers/\(script)").path, "--until-stdin-closes"] + arguments
        process.standardInput = lifeline
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(0x0A) {
            let more = output.fileHandleForReading.availableData
            guard !more.isEmpty else { break }
            line.append(more)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile)
        }
        base = "http://127.0.0.1:\(port)"
    }

    /// The body of `GET base + path` (the server's controls: `/_requests`, `/_change`), fetched
    /// by Python's urllib so the test does not go through the client it tests.
    package func get(_ path: String) throws -> String {
        let client = Process()
        client.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        client.arguments = [
            "python3", "-c",
            "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())",
            base + path
        ]
        let output = Pipe()
        client.standardOutput = output
        try client.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        client.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    deinit {
        // Not waitUntilExit: on Linux it spins the calling thread's run loop, which a test's
        // thread may never give back.
        try? lifeline.fileHandleForWriting.close()
        process.terminate()
        for _ in 0..<200 where process.isRunning { usleep(10_000) }
    }
}
