import ArgumentParser
import PublicaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one line to standard error.
func printError(_ line: String) {
    let text = line + "\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
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
