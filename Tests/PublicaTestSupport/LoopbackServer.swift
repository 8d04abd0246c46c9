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

    /// Starts `Fixtures/servers/<script>` with python3 and waits for its port.
    package init(script: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Fixtures.url("servers/\(script)").path, "--until-stdin-closes"]
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

    deinit {
        // Not waitUntilExit: on Linux it spins the calling thread's run loop, which a test's
        // thread may never give back.
        try? lifeline.fileHandleForWriting.close()
        process.terminate()
        for _ in 0..<200 where process.isRunning { usleep(10_000) }
    }
}
