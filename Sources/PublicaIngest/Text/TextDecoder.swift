import PublicaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a file's bytes, in any supported encoding, into valid UTF-8, chunk by chunk.
///
/// UTF-8 input is validated while it is copied (eight ASCII bytes per step); other encodings
/// go through glibc's iconv. A byte-order mark is removed. Invalid bytes either stop the
/// read (``InvalidBytePolicy/strict``: the error names the byte offset) or become U+FFFD
/// (``InvalidBytePolicy/replace``: counted in ``replacementCount``).
///
/// Errors are deferred: `decode` first hands out every valid byte before the bad one, and
/// leaves the error in ``pendingError``, so the reader can name the line it is on.
public final class TextDecoder {
    /// The file read from.
    public let input: FileInput
    /// The encoding asked for; ``resolvedEncoding`` is what `auto` found.
    public let requestedEncoding: TextEncoding
    /// The encoding in use; nil until the first ``decode(into:capacity:)``, when `auto` is resolved.
    public private(set) var resolvedEncoding: TextEncoding?
    /// What an invalid byte sequence does: an error (``pendingError``) or U+FFFD.
    public let policy: InvalidBytePolicy
    /// How many invalid sequences were replaced by U+FFFD.
    public private(set) var replacementCount = 0
    /// A decoding error at a byte offset, waiting for the reader to add a line number.
    public private(set) var pendingError: PublicaError?

    private let raw: UnsafeMutablePointer<UInt8>
    private let rawCapacity: Int
    private var rawStart = 0
    private var rawEnd = 0
    private var rawEOF = false
    /// The file offset of `raw[rawStart]`.
    private var consumed = 0
    private var converter: (any ByteConverter)?
    private var utf16Unit = 1
    private var started = false

    /// - Parameter chunkSize: how many bytes one `read(2)` asks for.
    public init(
        input: FileInput, encoding: TextEncoding = .auto, policy: InvalidBytePolicy = .strict,
        chunkSize: Int = 1 << 20
    ) {
        self.input = input
        self.requestedEncoding = encoding
        self.policy = policy
        rawCapacity = max(chunkSize, 64)
        raw = .allocate(capacity: rawCapacity)
    }

    deinit { raw.deallocate() }

    /// Appends decoded UTF-8 to `destination`, at most `capacity` bytes (at least 16).
    ///
    /// - Returns: the bytes written (0 at the end of input or when ``pendingError`` is set)
    ///   and whether any character in them might change under NFC.
    public func decode(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws
        -> (count: Int, mayNeedNormalization: Bool)
    {
        precondition(capacity >= 16, "decode needs room for at least 16 bytes")
        if !started { try start() }
        if pendingError != nil { return (0, false) }
        guard let converter else { return try decodeUTF8(into: destination, capacity: capacity) }
        var mayNeedNormalization = false
        let count = try decodeWithConverter(
            into: destination, capacity: capacity, mayNeedNormalization: &mayNeedNormalization)
        if converter.classifiesNormalization { return (count, mayNeedNormalization) }
        return (count, UTF8Scan.scan(destination, count: count).mayNeedNormalization)
    }

    // MARK: - Start: fill, detect, strip the BOM

    private func start() throws {
        started = true
        while rawEnd < 4 && !rawEOF { try refillRaw() }
        let bytes = UnsafeBufferPointer(start: raw, count: rawEnd)
        let hasUTF8BOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        let hasLEBOM = bytes.starts(with: [0xFF, 0xFE])
        let hasBEBOM = bytes.starts(with: [0xFE, 0xFF])
        var encoding = requestedEncoding
        if encoding == .auto {
            if hasUTF8BOM {
                encoding = .utf8
            } else if hasLEBOM || hasBEBOM {
                encoding = .utf16
            } else {
                let scan = UTF8Scan.scan(raw, count: rawEnd)
                let valid = scan.validCount == rawEnd || (scan.truncatedAtEnd && !rawEOF)
                encoding = valid ? .utf8 : .cp949
            }
        }
        resolvedEncoding = encoding
        switch encoding {
        case .auto, .utf8:
            if hasUTF8BOM { skipRaw(3) }
        case .utf16:
            utf16Unit = 2
            if hasBEBOM {
                skipRaw(2)
                converter = try Iconv(from: "UTF-16BE")
            } else {
                if hasLEBOM { skipRaw(2) }
                converter = try Iconv(from: "UTF-16LE")
            }
        case .cp949: converter = try CP949Table.shared ?? Iconv(from: "CP949")
        case .eucKR: converter = try Iconv(from: "EUC-KR")
        case .latin1: converter = try Iconv(from: "ISO-8859-1")
        }
    }

    private func skipRaw(_ count: Int) {
        rawStart += count
        consumed += count
    }

    /// Moves unconsumed raw bytes to the front and reads more after them.
    private func refillRaw() throws {
        if rawStart > 0 {
            let remaining = rawEnd - rawStart
            if remaining > 0 { memmove(raw, raw + rawStart, remaining) }
            rawStart = 0
            rawEnd = remaining
        }
        guard rawEnd < rawCapacity else { return }
        let count = try input.read(into: raw + rawEnd, capacity: rawCapacity - rawEnd)
        if count == 0 { rawEOF = true }
        rawEnd += count
    }

    // MARK: - UTF-8: validate while copying

    private func decodeUTF8(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws
        -> (count: Int, mayNeedNormalization: Bool)
    {
        var written = 0
        var mayNeedNormalization = false
        while written < capacity {
            if rawStart == rawEnd {
                if rawEOF || written > 0 { break }
                try refillRaw()
                continue
            }
            let available = min(rawEnd - rawStart, capacity - written)
            let scan = UTF8Scan.scan(raw + rawStart, count: available)
            let cutByOutputRoom = available < rawEnd - rawStart
            if scan.validCount > 0 {
                memcpy(destination + written, raw + rawStart, scan.validCount)
                written += scan.validCount
                skipRaw(scan.validCount)
            }
            mayNeedNormalization = mayNeedNormalization || scan.mayNeedNormalization
            if scan.validCount == available { continue }
            if scan.truncatedAtEnd {
                if cutByOutputRoom { break }  // cut by the output's room, not the input's end
                if !rawEOF {
                    if written > 0 { break }
                    try refillRaw()
                    continue
                }
            }
            // An invalid sequence (or one cut short by the end of the file) at rawStart.
            guard policy == .replace else {
                pendingError = invalidByteError(encodingName: "UTF-8")
                break
            }
            guard capacity - written >= 3 else { break }
            writeReplacement(destination + written)
            written += 3
            skipRaw(1)
        }
        return (written, mayNeedNormalization)
    }

    // MARK: - Other encodings: a table (CP949) or iconv

    private func decodeWithConverter(
        into destination: UnsafeMutablePointer<UInt8>, capacity: Int,
        mayNeedNormalization: inout Bool
    ) throws -> Int {
        guard let converter else { return 0 }
        var written = 0
        while true {
            if rawStart == rawEnd {
                if rawEOF || written > 0 { return written }
                try refillRaw()
                continue
            }
            let before = rawStart
            let outcome = converter.convert(
                raw, position: &rawStart, inputEnd: rawEnd, into: destination,
                written: &written, capacity: capacity,
                mayNeedNormalization: &mayNeedNormalization)
            consumed += rawStart - before
            switch outcome {
            case .outputFull:
                return written
            case .needInput:
                if rawStart == rawEnd { continue }
                // An incomplete sequence waits for more input.
                if !rawEOF {
                    if written > 0 { return written }
                    try refillRaw()
                    continue
                }
                fallthrough  // cut short by the end of the file
            case .invalid:
                guard policy == .replace else {
                    pendingError = invalidByteError(
                        encodingName: (resolvedEncoding ?? requestedEncoding).rawValue.uppercased())
                    return written
                }
                guard capacity - written >= 3 else { return written }
                writeReplacement(destination + written)
                written += 3
                skipRaw(min(utf16Unit, rawEnd - rawStart))
            }
        }
    }

    private func writeReplacement(_ destination: UnsafeMutablePointer<UInt8>) {
        destination[0] = 0xEF
        destination[1] = 0xBF
        destination[2] = 0xBD
        replacementCount += 1
    }

    private func invalidByteError(encodingName: String) -> PublicaError {
        let shown = (rawStart..<min(rawEnd, rawStart + 4)).map { "0x" + hex(raw[$0]) }.joined(separator: " ")
        var message = "invalid \(encodingName) bytes (\(shown.isEmpty ? "truncated at end of file" : shown))"
        if requestedEncoding == .auto {
            let chosen = (resolvedEncoding ?? .utf8).rawValue
            message +=
                "; {--encoding} auto chose \(chosen) from the start of the file: name the real encoding"
                + " with {--encoding} (utf-8, cp949, latin1…)"
        }
        message += ", or use {--invalid-bytes} replace"
        return PublicaError(.encoding, message, at: SourceLocation(file: input.path, byteOffset: consumed))
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
