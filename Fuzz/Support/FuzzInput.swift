import CFuzzDriver
import PublicaCore
#if canImport(Glibc)
import Glibc
#endif

/// A fuzz input as a file: the readers take paths, as users give them, so the fuzzers
/// exercise the same file reading, chunking and decoding a real run does.
public enum FuzzInput {
    /// A private folder in memory (/dev/shm), one per fuzzing process.
    private static let folder: String = {
        let path = "/dev/shm/publica-fuzz-\(getpid())"
        mkdir(path, 0o700)
        return path
    }()

    /// Writes `bytes` to `name` in the fuzzer's folder and calls `body` with its path.
    public static func withFile<T>(_ bytes: UnsafeRawBufferPointer, name: String = "input",
                                   _ body: (String) throws -> T) rethrows -> T {
        let path = folder + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0, "cannot write the fuzz input to \(path)")
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            precondition(written > 0, "short write to \(path)")
            offset += written
        }
        close(fd)
        return try body(path)
    }

    /// Runs `body`: a documented refusal (a ``PublicaError``, or an error of one of the
    /// `alsoAllowed` types) is the expected outcome for bad input; any other error is a finding.
    public static func expectingRefusals(_ alsoAllowed: [any Error.Type] = [], _ body: () throws -> Void) {
        do {
            try body()
        } catch is PublicaError {
        } catch {
            guard alsoAllowed.contains(where: { type(of: error) == $0 }) else {
                fatalError("an error outside Publica's documented errors: \(error)")
            }
        }
    }

    /// Fails the run (a finding) when a reader's output is not valid UTF-8.
    public static func requireValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>, _ what: @autoclosure () -> String) {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return
            case .error: fatalError("invalid UTF-8 in \(what())")
            }
        }
    }
}

/// Runs libFuzzer with `callback` as the target: each fuzzer's entry point calls this.
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                      _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv, callback)
}
