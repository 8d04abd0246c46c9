#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Paths compared as text: absolute, with `.`, `..` and repeated slashes resolved lexically
/// (symbolic links are not followed; where that matters, files are compared by device and inode).
public enum PathNormalization {
    /// `path` made absolute against the working directory and normalised.
    public static func absolute(_ path: String) -> String {
        normalize(path.hasPrefix("/") ? path : workingDirectory() + "/" + path)
    }

    /// `path` with `.`, `..` and empty components resolved (`a/./b/../c` → `a/c`); `..` above
    /// the root stays at the root.
    public static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !path.hasPrefix("/") {
                    parts.append(part)
                }
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    /// True when `path` is `folder` or lies inside it (both made absolute first).
    public static func isInside(_ path: String, _ folder: String) -> Bool {
        let path = absolute(path)
        let folder = absolute(folder)
        return path == folder || path.hasPrefix(folder == "/" ? "/" : folder + "/")
    }

    /// `path` as seen from `folder` (`../SampleData/x.csv`), both made absolute first: how a
    /// published file names an input without the machine's own folders.
    public static func relative(_ path: String, to folder: String) -> String {
        let target = absolute(path).split(separator: "/")
        let base = absolute(folder).split(separator: "/")
        let shared = zip(target, base).prefix { $0 == $1 }.count
        let parts = Array(repeating: "..", count: base.count - shared) + target.dropFirst(shared).map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// The working directory (`.` if it cannot be read).
    public static func workingDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
