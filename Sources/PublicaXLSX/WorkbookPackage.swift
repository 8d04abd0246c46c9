import Foundation
import PublicaCore
import ZIPFoundation

/// An opened `.xlsx` zip, checked against zip bombs before anything is inflated.
///
/// Only entries inside the package are ever read (relationships marked `External` are ignored,
/// and a target that climbs out of the package is refused), so a workbook never makes Publica
/// open another file or a URL.
final class WorkbookPackage {
    let path: String
    private let archive: Archive
    let limits: XLSXLimits
    private let entries: [String: Entry]
    /// `Archive` reads through one shared `FILE`, so its fallback extraction is one at a time
    /// (a sheet's merged ranges and the shared strings are inflated on two threads).
    private let archiveLock = NSLock()

    init(path: String, limits: XLSXLimits) throws {
        self.path = path
        self.limits = limits
        try ContainerSniffer.check(path: path)
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw PublicaError(
                .data, "not a readable zip (truncated or damaged: \(error)); an .xlsx is a zip package",
                at: SourceLocation(file: path))
        }
        var entries: [String: Entry] = [:]
        var total = 0
        let fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? Int.max
        for entry in archive {
            guard entries.count < limits.maxEntries else {
                throw PublicaError(
                    .data, "the zip holds more than \(limits.maxEntries) entries (entry count limit)",
                    at: SourceLocation(file: "\(path):\(entry.path)"))
            }
            try WorkbookPackage.checkDeclared(entry, fileSize: fileSize, limits: limits, path: path)
            total += Int(clamping: entry.uncompressedSize)
            guard total <= limits.maxTotalBytes else {
                throw PublicaError(
                    .data,
                    "the entries declare more than \(ReadLimits.describe(limits.maxTotalBytes)) in all "
                        + "(total size limit; a zip bomb?)",
                    at: SourceLocation(file: "\(path):\(entry.path)"))
            }
            entries[entry.path] = entry
        }
        self.entries = entries
    }

    /// One entry's declared sizes against the limits; a compressed size past the file's own size
    /// is a truncated or forged zip (and would make the inflater wait for bytes that never come).
    private static func checkDeclared(_ entry: Entry, fileSize: Int, limits: XLSXLimits, path: String) throws {
        let location = SourceLocation(file: "\(path):\(entry.path)")
        let inflated = Int(clamping: entry.uncompressedSize)
        let compressed = Int(clamping: entry.compressedSize)
        guard compressed <= fileSize else {
            throw PublicaError(
                .data, "the entry declares \(compressed) compressed bytes, more than the file holds (truncated zip)",
                at: location)
        }
        guard inflated <= limits.maxEntryBytes else {
            throw PublicaError(
                .data,
                "the entry declares \(ReadLimits.describe(inflated)) inflated, past the limit of "
                    + "\(ReadLimits.describe(limits.maxEntryBytes)) (a zip bomb?)", at: location)
        }
        if inflated > limits.ratioGraceBytes && inflated / max(compressed, 1) > limits.maxRatio {
            throw PublicaError(
                .data,
                "the entry declares an inflation ratio of \(inflated / max(compressed, 1)):1, past the "
                    + "limit of \(limits.maxRatio):1 (a zip bomb?)", at: location)
        }
    }

    /// The entry at `name` (a path inside the package, no leading slash).
    func entry(_ name: String) -> Entry? { entries[name] }

    /// Whether the package has the part.
    func has(_ name: String) -> Bool { entries[name] != nil }

    /// Inflates `name` chunk by chunk into `body`, enforcing the actual inflation ratio and size,
    /// and then its CRC-32 unless `checksums` is false (for a second pass over the same bytes).
    func inflate(_ name: String, maxBytes: Int? = nil, checksums: Bool = true, body: (Data) throws -> Void) throws {
        guard let entry = entries[name] else {
            throw PublicaError(.data, "the workbook has no part '\(name)'", at: SourceLocation(file: path))
        }
        var meter = InflationMeter(entry: entry, limits: limits, maxBytes: maxBytes, location: "\(path):\(name)")
        let checksum: CRC32
        do {
            let counted: (Data) throws -> Void = { chunk in
                try meter.count(chunk.count)
                try body(chunk)
            }
            var inflater = EntryInflater(path: path, entry: entry, location: "\(path):\(name)")
            inflater.checksums = checksums
            if let sum = try inflater.inflate(counted) {
                checksum = sum
            } else {
                archiveLock.lock()
                defer { archiveLock.unlock() }
                checksum = try archive.extract(entry, bufferSize: EntryInflater.bufferSize, consumer: counted)
            }
        } catch let error as PublicaError {
            throw error
        } catch let error as ChunkChannel.Cancelled {
            throw error
        } catch {
            throw PublicaError(
                .data, "the entry cannot be inflated (truncated or damaged zip: \(error))",
                at: SourceLocation(file: "\(path):\(name)"))
        }
        guard checksum == entry.checksum || !checksums else {
            throw PublicaError(
                .data, "the entry's CRC-32 does not match its bytes (damaged zip)",
                at: SourceLocation(file: "\(path):\(name)"))
        }
    }

    /// The whole part, for the small ones (workbook, relationships, styles).
    func read(_ name: String, maxBytes: Int = 64 << 20) throws -> Data {
        var data = Data()
        try inflate(name, maxBytes: maxBytes) { data.append($0) }
        return data
    }
}

/// Counts an entry's inflated bytes against the ratio and size limits as they come.
struct InflationMeter {
    let compressed: Int
    let limits: XLSXLimits
    let maxBytes: Int
    let location: String
    private(set) var inflated = 0

    init(entry: Entry, limits: XLSXLimits, maxBytes: Int?, location: String) {
        compressed = max(Int(clamping: entry.compressedSize), 1)
        self.limits = limits
        self.maxBytes = min(maxBytes ?? limits.maxEntryBytes, limits.maxEntryBytes)
        self.location = location
    }

    mutating func count(_ bytes: Int) throws {
        inflated += bytes
        guard inflated <= maxBytes else {
            throw PublicaError(
                .data, "the entry inflates past \(ReadLimits.describe(maxBytes)) (size limit; a zip bomb?)",
                at: SourceLocation(file: location))
        }
        if inflated > limits.ratioGraceBytes && inflated / compressed > limits.maxRatio {
            throw PublicaError(
                .data,
                "the entry inflates past \(limits.maxRatio) times its compressed size of \(compressed) bytes "
                    + "(inflation ratio limit; a zip bomb)", at: SourceLocation(file: location))
        }
    }
}
