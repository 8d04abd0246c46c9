import PublicaCore
import PublicaExport

#if canImport(Glibc)
import Glibc
#endif

/// What `convert` refuses to replace: its input, its output with its rejects (or the other way
/// round), and a pipeline's output folder, which belongs to that pipeline's runs.
enum OwnedPaths {
    /// Throws a usage error (exit 64) when the output or the rejects file would replace the input,
    /// or each other.
    static func check(input: String, output: String, rejects: String?) throws {
        if output != "-", input != "-" ? same(output, input) : isStandardInput(output) {
            throw PublicaError(
                .usage, "the output is the input file; write to another path", at: SourceLocation(file: output))
        }
        if output == "-", rejects == "-" {
            throw PublicaError(
                .usage, "--rejects - would mix rejected records into the output on standard output; name a file")
        }
        for path in [output, rejects ?? "-"] where path != "-" {
            let slash = path.lastIndex(of: "/")
            let folder = slash.map { String(path[..<$0]) } ?? "."
            if let owned = pipelineFolder(atOrAbove: folder.isEmpty ? "/" : folder) {
                throw PublicaError(
                    .usage,
                    "\(owned) is the output folder of a pipeline (it holds .publica-state.json), which only "
                        + "its runs may replace; convert into another folder", at: SourceLocation(file: path))
            }
        }
        guard let rejects, rejects != "-" else { return }
        if output != "-", same(rejects, output) {
            throw PublicaError(
                .usage, "--rejects names the output file; choose another path", at: SourceLocation(file: rejects))
        }
        if input != "-" ? same(rejects, input) : isStandardInput(rejects) {
            throw PublicaError(
                .usage, "--rejects names the input file; choose another path", at: SourceLocation(file: rejects))
        }
    }

    /// Throws when `folder` is a pipeline's output folder (it holds the runner's state), or holds the input.
    static func checkFolder(input: String, folder: String) throws {
        if input != "-", PathNormalization.isInside(input, folder) {
            throw PublicaError(
                .usage,
                "the input is inside the output folder, where its files are written; "
                    + "convert into another folder", at: SourceLocation(file: folder))
        }
        if let owned = pipelineFolder(atOrAbove: folder) {
            throw PublicaError(
                .usage,
                (owned == PathNormalization.normalize(folder) ? "is" : "is inside \(owned),")
                    + " the output folder of a pipeline (it holds .publica-state.json), which only its runs may "
                    + "replace; convert into another folder", at: SourceLocation(file: folder))
        }
    }

    /// The nearest folder at or above `folder` that is a pipeline's output folder (it holds the
    /// runner's state), named as the user wrote it while the written path lasts, else absolute.
    /// A run replaces its whole folder, subfolders included, so nothing may be written anywhere in it.
    static func pipelineFolder(atOrAbove folder: String) -> String? {
        var written: String? = PathNormalization.normalize(folder)
        var path = PathNormalization.absolute(folder)
        while true {
            var info = stat()
            if lstat((path == "/" ? "" : path) + "/.publica-state.json", &info) == 0 { return written ?? path }
            guard path != "/" else { return nil }
            path = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "/"
            written = written.flatMap { name -> String? in
                guard name != ".", name != "/", !name.hasSuffix("..") else { return nil }
                guard let slash = name.lastIndex(of: "/") else { return "." }
                return slash == name.startIndex ? "/" : String(name[..<slash])
            }
        }
    }

    /// Takes the lock of conversions to `output` (`.<name>.publica.lock` beside it, never following a
    /// link): a second conversion to the same output exits 75 rather than race the first. -1 for
    /// standard output.
    static func lock(_ output: String) throws -> Int32 {
        guard output != "-" else { return -1 }
        let slash = output.lastIndex(of: "/")
        let folder = slash.map { String(output[...$0]) } ?? ""
        let name = slash.map { String(output[output.index(after: $0)...]) } ?? output
        if !folder.isEmpty { OutputFile.makeDirectories(String(folder.dropLast())) }
        let path = folder + ".\(name).publica.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw PublicaError.system(errno, "cannot open the lock file", path: path)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw PublicaError(.locked, "another conversion to \(output) is running (\(path)); try later")
        }
        return fd
    }

    /// True when standard input is the regular file at `path` (`convert - data.csv < data.csv`).
    static func isStandardInput(_ path: String) -> Bool {
        var input = stat()
        var file = stat()
        guard fstat(0, &input) == 0, input.st_mode & S_IFMT == S_IFREG, stat(path, &file) == 0 else { return false }
        return input.st_dev == file.st_dev && input.st_ino == file.st_ino
    }

    /// The same file: the same device and inode when both exist, else the same normalised path.
    static func same(_ a: String, _ b: String) -> Bool {
        var first = stat()
        var second = stat()
        if stat(a, &first) == 0, stat(b, &second) == 0 {
            return first.st_dev == second.st_dev && first.st_ino == second.st_ino
        }
        return PathNormalization.absolute(a) == PathNormalization.absolute(b)
    }
}
