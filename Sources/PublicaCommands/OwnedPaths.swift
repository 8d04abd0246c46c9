#if canImport(Glibc)
import Glibc
#endif
import PublicaCore

/// What `convert` refuses to replace: its input, its output with its rejects (or the other way
/// round), and a pipeline's output folder, which belongs to that pipeline's runs.
enum OwnedPaths {
    /// Throws a usage error (exit 64) when the output or the rejects file would replace the input,
    /// or each other.
    static func check(input: String, output: String, rejects: String?) throws {
        if output != "-", input != "-", same(output, input) {
            throw PublicaError(.usage, "the output is the input file; write to another path", at: SourceLocation(file: output))
        }
        guard let rejects, rejects != "-" else { return }
        if output != "-", same(rejects, output) {
            throw PublicaError(.usage, "--rejects names the output file; choose another path", at: SourceLocation(file: rejects))
        }
        if input != "-", same(rejects, input) {
            throw PublicaError(.usage, "--rejects names the input file; choose another path", at: SourceLocation(file: rejects))
        }
    }

    /// Throws when `folder` is a pipeline's output folder (it holds the runner's state), or holds the input.
    static func checkFolder(input: String, folder: String) throws {
        if input != "-", PathNormalization.isInside(input, folder) {
            throw PublicaError(.usage, "the input is inside the output folder, where its files are written; "
                               + "convert into another folder", at: SourceLocation(file: folder))
        }
        var info = stat()
        if lstat(folder + "/.publica-state.json", &info) == 0 {
            throw PublicaError(.usage, "is the output folder of a pipeline (it holds .publica-state.json), which only its runs may "
                               + "replace; convert into another folder", at: SourceLocation(file: folder))
        }
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
