import CPublicaSystem
import Foundation
import PublicaCore
import ZIPFoundation

/// Inflates one entry reading only its own compressed bytes, through ZIPFoundation's public
/// `Data.decompress` with a provider of Publica's.
///
/// Why not `Archive.extract`: on Linux its provider reads past the entry and, at the end of the
/// file, hands zlib empty chunks while the deflate stream still wants bytes, so a truncated or
/// forged stream (a stored block longer than the file) makes it loop forever; and it tells zlib
/// a short last chunk is full-size, an over-read. Here every chunk is the size zlib is told
/// (padded with zeros past the entry, which a stream that ended never reads), and asking past
/// the entry's compressed size is the located error "truncated".
struct EntryInflater {
    let path: String
    let entry: Entry
    let location: String
    /// False for a pass that only looks at the bytes (the `mergeCell` scan): the pass that reads
    /// the rows checks the CRC-32 of the same bytes.
    var checksums = true

    static let bufferSize = 64 << 10

    /// The entry's data offset (past its local header), or nil when ZIPFoundation's entry does
    /// not show where its local header is (then `Archive.extract` is the fallback).
    static func dataOffset(of entry: Entry, in handle: FileHandle) throws -> UInt64? {
        guard let directory = Mirror(reflecting: entry).descendant("centralDirectoryStructure") else { return nil }
        let mirror = Mirror(reflecting: directory)
        var offset = (mirror.descendant("relativeOffsetOfLocalHeader") as? UInt32).map(UInt64.init)
        if let wide = mirror.descendant("zip64ExtendedInformation", "some", "relativeOffsetOfLocalHeader") as? UInt64,
            wide > 0
        {
            offset = wide
        }
        guard let offset else { return nil }
        try handle.seek(toOffset: offset)
        let header = [UInt8](try handle.read(upToCount: 30) ?? Data())
        guard header.count == 30, header[0] == 0x50, header[1] == 0x4B, header[2] == 3, header[3] == 4 else {
            throw PublicaError(.data, "the entry's local header is missing or damaged", at: nil)
        }
        let nameLength = UInt64(header[26]) | UInt64(header[27]) << 8
        let extraLength = UInt64(header[28]) | UInt64(header[29]) << 8
        return offset + 30 + nameLength + extraLength
    }

    /// The zip CRC-32 of `chunk`, continuing from `checksum`.
    static func crc32(_ chunk: Data, continuing checksum: CRC32) -> CRC32 {
        chunk.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return checksum }
            return publica_crc32(checksum, base.assumingMemoryBound(to: UInt8.self), raw.count)
        }
    }

    /// Hands the inflated bytes to `consumer` chunk by chunk; returns their CRC-32, or nil when
    /// the entry's place is unknown (the caller then uses `Archive.extract`).
    func inflate(_ consumer: (Data) throws -> Void) throws -> CRC32? {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PublicaError(.io, "cannot open '\(path)'", at: SourceLocation(file: path))
        }
        defer { try? handle.close() }
        let start: UInt64
        do {
            guard let offset = try EntryInflater.dataOffset(of: entry, in: handle) else { return nil }
            start = offset
        } catch let error as PublicaError {
            throw PublicaError(error.kind, error.message, at: SourceLocation(file: location))
        }
        let compressed = Int64(clamping: entry.compressedSize)
        let provider: Provider = { position, size in
            guard position < compressed else {
                throw PublicaError(
                    .data, "the entry's compressed data ends before its deflate stream does (truncated zip)",
                    at: SourceLocation(file: location))
            }
            try handle.seek(toOffset: start + UInt64(position))
            var chunk = try handle.read(upToCount: Int(min(Int64(size), compressed - position))) ?? Data()
            guard !chunk.isEmpty else {
                throw PublicaError(
                    .data, "the file ends inside the entry's compressed data (truncated zip)",
                    at: SourceLocation(file: location))
            }
            if chunk.count < size { chunk.append(Data(count: size - chunk.count)) }
            return chunk
        }
        guard entry.isCompressed else {
            var position: Int64 = 0
            var checksum: CRC32 = 0
            while position < compressed {
                let chunk = try provider(position, Int(min(Int64(EntryInflater.bufferSize), compressed - position)))
                position += Int64(chunk.count)
                if checksums { checksum = EntryInflater.crc32(chunk, continuing: checksum) }
                try consumer(chunk)
            }
            return checksum
        }
        // The checksum here, not ZIPFoundation's: on Linux it has no zlib module and goes byte by
        // byte (a tenth of a large sheet's read time); ours is slicing-by-8.
        var checksum: CRC32 = 0
        _ = try Data.decompress(
            size: Int64(clamping: entry.uncompressedSize), bufferSize: EntryInflater.bufferSize, skipCRC32: true,
            provider: provider
        ) { chunk in
            if checksums { checksum = EntryInflater.crc32(chunk, continuing: checksum) }
            try consumer(chunk)
        }
        return checksum
    }
}
