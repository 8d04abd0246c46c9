import ArgumentParser
import PublicaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one line to standard error, all of it (a NUL byte in a message does not cut it short).
func printError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

/// Runs `body`; a ``PublicaError`` becomes one line on standard error and its documented exit code.
func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as PublicaError {
        printError("publica: " + error.description)
        throw ExitCode(error.exitStatus.rawValue)
    }
}
