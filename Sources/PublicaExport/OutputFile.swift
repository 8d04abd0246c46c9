internal import CPublicaSystem
import Dispatch
import PublicaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written under a temporary name and moved into place only when complete.
///
/// Bytes go to a `TemporaryFile` beside the destination (unnamed where the system allows, so a
/// killed run leaves nothing; never following or replacing a planted file); ``commit(pending:)`` syncs
/// it and renames it over the destination in one step, so a reader (or a killed run) sees
/// either the old file or the whole new one, never half of it. With a ``Publication`` the
/// rename waits for the publication, so several files are published together. If the file is
/// dropped without a commit (an error was thrown), the temporary file is removed; what a
/// killed run left beside the destination is removed when the next one opens it. `-` writes
/// to standard output directly, and so does a destination that exists and is not a regular
/// file (a device such as `/dev/stdout`, a FIFO). Missing parent directories are created.
///
/// Writing is triple-buffered: while the caller fills one buffer, a writer thread hands the
/// others to `write(2)` in order (and a hasher reads them beside it), so the write overlaps
/// with parsing and a writer or hasher that falls one buffer behind does not stop the caller.
///
/// A file that outgrows one buffer is written with direct I/O (`O_DIRECT`) where the file system
/// allows it: whole 4 KiB blocks go from the buffer to the disk without a copy into the page
/// cache. That copy, and the allocation of hundreds of megabytes of cache pages, was the largest
/// and least steady cost of a big conversion on a VM (0.13–1.2 s of kernel time for 400 MB
/// against 0.05 s direct), and a published file read once by a portal need not evict what other
/// jobs keep in the cache. Each buffer's last partial block is carried into the next buffer; the
/// file's final partial block is written through the cache at commit. Where direct I/O is refused
/// (tmpfs on older kernels, some network file systems), writing falls back to the cache.
///
/// `@unchecked Sendable`: the writer thread touches only the buffers handed to it and the
/// locked first failure; the caller takes a buffer back only after waiting on `writeDone`,
/// which orders every access to it.
public final class OutputFile: @unchecked Sendable {
    /// The destination path as the user named it.
    public let path: String
    private var temporary: TemporaryFile?
    private let publication: Publication?
    private var descriptor: Int32
    /// True for a device or FIFO opened directly (closed in `deinit`).
    private var ownsDescriptor = false
    private var committed = false
    /// Bytes handed to the writer so far.
    public private(set) var bytesWritten = 0

    /// The buffer the caller fills.
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private(set) var bufferCapacity: Int
    /// The other buffers: free, or handed to the writer (oldest first). Two can be in flight, so
    /// that the caller goes on filling while the writer and the hasher lag by a buffer.
    private var free: [(pointer: UnsafeMutablePointer<UInt8>, capacity: Int)] = []
    private var inFlight: [(pointer: UnsafeMutablePointer<UInt8>, capacity: Int)] = []
    private let writer = DispatchQueue(label: "publica.output-writer")
    private let hasher = DispatchQueue(label: "publica.output-hasher")
    /// Signalled once per buffer written (and hashed).
    private let writeDone = DispatchSemaphore(value: 0)
    /// The first write's failure; set on the writer thread, read on the caller's.
    private let failure = FirstFailure()
    /// Whether big writes bypass the page cache (direct I/O); decided at the first hand-off, so
    /// false for a file that fits in one buffer, for standard output and devices, and where the
    /// file system refuses direct I/O.
    public private(set) var direct = false
    private var directDecided = false
    /// Direct I/O's unit for buffer addresses, file offsets and lengths (the largest logical
    /// block size in use; a multiple of 512).
    static let blockSize = 4096
    /// The SHA-256 of the bytes written, computed on the writer thread when asked for.
    private var digest: SHA256?
    /// The finished file's SHA-256 (lowercase hex), once committed, if hashing was asked for.
    public private(set) var sha256: String?

    /// - Parameters:
    ///   - bufferCapacity: each of the three buffers (one filling, two being written). 4 MiB measured
    ///     best: with 1 MiB the parser waited on the writer (CSV → NDJSON 0.51–0.57 s against
    ///     0.43–0.53 s); untouched pages cost no memory, so small outputs pay nothing for it.
    ///   - hashing: compute the file's SHA-256 while writing (for data packages and reports).
    ///   - publication: publish the file with the others of this publication, not at ``commit(pending:)``.
    public init(path: String, bufferCapacity: Int = 4 << 20, hashing: Bool = false, publication: Publication? = nil)
        throws
    {
        self.path = path
        self.publication = publication
        digest = hashing ? SHA256() : nil
        // Whole blocks, so that a buffer can always take the previous one's partial block.
        let bufferCapacity = max(
            OutputFile.blockSize, (bufferCapacity + OutputFile.blockSize - 1) & -OutputFile.blockSize)
        self.bufferCapacity = bufferCapacity
        var existing = stat()
        if path == "-" {
            descriptor = 1
        } else if stat(path, &existing) == 0 && (existing.st_mode & S_IFMT) != S_IFREG {
            // A device, FIFO or socket (`/dev/stdout`, a named pipe): write to it directly; a rename
            // would replace it with a regular file.
            guard (existing.st_mode & S_IFMT) != S_IFDIR else {
                throw PublicaError(.io, "is a directory, not a file", at: SourceLocation(file: path))
            }
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw PublicaError.system(errno, "cannot write", path: path) }
            descriptor = fd
            ownsDescriptor = true
        } else {
            if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
                OutputFile.makeDirectories(String(path[..<slash]))
            }
            TemporaryFile.removeStale(besides: path)
            let file = try TemporaryFile(for: path)
            descriptor = file.descriptor
            temporary = file
        }
        buffer = OutputFile.allocate(bufferCapacity)
        free = (1..<OutputFile.bufferCount).map { _ in (OutputFile.allocate(bufferCapacity), bufferCapacity) }
    }

    /// Buffers per output: one the caller fills, the others written (and hashed) meanwhile.
    static let bufferCount = 3

    /// A buffer aligned for direct I/O.
    private static func allocate(_ capacity: Int) -> UnsafeMutablePointer<UInt8> {
        UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: blockSize).bindMemory(
            to: UInt8.self, capacity: capacity)
    }

    deinit {
        for _ in inFlight { writeDone.wait() }
        buffer.deallocate()
        for spare in free + inFlight { spare.pointer.deallocate() }
        if let temporary, !committed {
            close(descriptor)
            if let named = temporary.path { unlink(named) }
        }
        if ownsDescriptor { close(descriptor) }
    }

    /// Hands the first `count` bytes of `buffer` to the writer thread and makes the other
    /// buffer current. Returns how many bytes were kept back at the start of the new current
    /// buffer: under direct I/O, the partial block at the end (the caller goes on after them).
    /// Reports an earlier write's failure.
    func handOff(count: Int) throws -> Int {
        try waitForWriter(all: false)
        guard count > 0 else { return 0 }
        if !directDecided {
            directDecided = true
            // Only files bigger than a buffer: a small file's one write costs nothing worth saving.
            direct = temporary != nil && OutputFile.setDirect(descriptor, true)
        }
        let kept = direct ? count & (OutputFile.blockSize - 1) : 0
        let sending = count - kept
        guard sending > 0 else { return kept }  // less than a block: stays where it is
        // After waitForWriter a buffer is always free: no bytes can be left behind.
        guard let next = free.popLast() else { preconditionFailure("no free output buffer") }
        let full = (pointer: buffer, capacity: bufferCapacity)
        next.pointer.update(from: full.pointer + sending, count: kept)  // kept < blockSize <= capacity
        buffer = next.pointer
        bufferCapacity = next.capacity
        inFlight.append(full)
        let offset = bytesWritten
        bytesWritten += sending
        let fd = descriptor
        let startsWriteback = temporary != nil && !direct
        let address = UInt(bitPattern: full.pointer)  // the buffer belongs to the writer until `writeDone`
        writer.async { [self] in
            // After a failed write, the rest is not written: the run ends with that failure.
            guard failure.error == nil else {
                writeDone.signal()
                return
            }
            let bytes = UnsafeRawPointer(bitPattern: address)!
            // The hash beside the write, not before it: the write mostly waits on the disk, and the
            // hash of 400 MB is as long as the parse (the buffer is read by both, written by neither).
            let hashed = DispatchGroup()
            if digest != nil {
                hasher.async(group: hashed) { [self] in
                    digest!.update(
                        UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: address)!, count: sending))
                }
            }
            let error = OutputFile.writeAll(fd, bytes, count: sending, path: path)
            if let error { failure.record(error) }
            // Start this range on its way to disk now, so commit's fsync does not wait for the whole file.
            if error == nil && startsWriteback { _ = publica_start_writeback(fd, Int64(offset), Int64(sending)) }
            hashed.wait()
            writeDone.signal()
        }
        return kept
    }

    /// Turns direct I/O on or off for `fd`; false if the file system refuses it.
    private static func setDirect(_ fd: Int32, _ on: Bool) -> Bool {
        publica_set_direct_io(fd, on ? 1 : 0) == 0
    }

    /// Waits until a buffer is free (or, with `all`, until every write is done) and reports a
    /// write's failure.
    private func waitForWriter(all: Bool) throws {
        while !inFlight.isEmpty && (all || free.isEmpty) {
            writeDone.wait()
            free.append(inFlight.removeFirst())
        }
        if let error = failure.error { throw error }
    }

    /// Replaces the current buffer with one of at least `capacity` bytes, for a huge record,
    /// keeping its first `keeping` bytes.
    func growBuffer(to capacity: Int, keeping: Int) {
        let capacity = (capacity + OutputFile.blockSize - 1) & -OutputFile.blockSize
        let larger = OutputFile.allocate(capacity)
        larger.update(from: buffer, count: keeping)
        buffer.deallocate()
        buffer = larger
        bufferCapacity = capacity
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawPointer, count: Int, path: String) -> PublicaError? {
        var offset = 0
        while offset < count {
            let written = Glibc.write(fd, bytes + offset, count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                // Direct I/O refused at the first write, or a short write left the offset off a
                // block: go on through the page cache.
                if errno == EINVAL && publica_is_direct_io(fd) != 0 && setDirect(fd, false) { continue }
                return PublicaError.system(errno, "cannot write", path: path)
            }
            offset += written
        }
        return nil
    }

    /// Writes the first `pending` bytes of `buffer` (the rest of the file), waits for the
    /// writer, syncs the file and moves it into place. Standard output is only drained.
    public func commit(pending: Int) throws {
        try waitForWriter(all: true)
        if pending > 0 {
            // The last partial block cannot go direct.
            if direct { _ = OutputFile.setDirect(descriptor, false) }
            digest?.update(UnsafeRawBufferPointer(start: buffer, count: pending))
            if let failure = OutputFile.writeAll(descriptor, buffer, count: pending, path: path) { throw failure }
            bytesWritten += pending
        }
        sha256 = digest?.finalize()
        guard temporary != nil else { return }
        try moveIntoPlace()
    }

    /// The temporary file's name, for a library that writes the file itself by path (SQLite):
    /// the file is named now (it is empty, never a link, and this output's lock is on it), and
    /// ``commitWrittenByPath()`` moves what was written there into place. Only for an output
    /// nothing has been written to through the buffers, and not for standard output or a device.
    public func pathForWriting() throws -> String {
        guard temporary != nil, bytesWritten == 0 else {
            throw PublicaError(.usage, "this format needs a regular file to write (not standard output or a device)")
        }
        return try temporary!.giveName(destination: path)
    }

    /// Moves the file written through ``pathForWriting()`` into place, as ``commit(pending:)``
    /// does, after hashing it (when asked for) and taking its size.
    public func commitWrittenByPath() throws {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw PublicaError.system(errno, "cannot read back", path: path) }
        bytesWritten = Int(info.st_size)
        if var digest {
            // The output's descriptor is write-only: read through the name, checked to be the same file.
            let reader = open(try temporary!.giveName(destination: path), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            var readInfo = stat()
            guard reader >= 0, fstat(reader, &readInfo) == 0, readInfo.st_ino == info.st_ino,
                readInfo.st_dev == info.st_dev
            else {
                if reader >= 0 { close(reader) }
                throw PublicaError(
                    .io, "the finished file was replaced while it was written", at: SourceLocation(file: path))
            }
            defer { close(reader) }
            let chunk = UnsafeMutableRawBufferPointer(start: buffer, count: bufferCapacity)
            var offset: off_t = 0
            while true {
                let count = pread(reader, chunk.baseAddress, chunk.count, offset)
                guard count >= 0 else { throw PublicaError.system(errno, "cannot read back", path: path) }
                if count == 0 { break }
                digest.update(UnsafeRawBufferPointer(rebasing: chunk[..<count]))
                offset += off_t(count)
            }
            sha256 = digest.finalize()
        }
        try moveIntoPlace()
    }

    /// Syncs the finished temporary file and renames it over the destination (or hands it to the
    /// publication).
    private func moveIntoPlace() throws {
        guard fsync(descriptor) == 0 else { throw PublicaError.system(errno, "cannot write", path: path) }
        let named = try temporary!.giveName(destination: path)
        committed = true
        if let publication {
            publication.add(temporary: named, descriptor: descriptor, destination: path)
            descriptor = -1
            return
        }
        defer {
            close(descriptor)
            descriptor = -1
        }
        guard rename(named, path) == 0 else {
            let failure = PublicaError.system(errno, "cannot move the finished file into place", path: path)
            unlink(named)
            throw failure
        }
        OutputFile.syncDirectory(of: path)
    }

    /// Removes what killed runs left beside `path` (their temporary files), as opening an
    /// output there does; for an output a run decides not to write (an empty rejects file).
    public static func removeStaleTemporaries(besides path: String) {
        guard path != "-" else { return }
        TemporaryFile.removeStale(besides: path)
    }

    /// Creates `directory` and its missing parents (like `mkdir -p`); failures surface at `open`.
    public static func makeDirectories(_ directory: String) {
        var prefix = directory.hasPrefix("/") ? "/" : ""
        for component in directory.split(separator: "/") {
            prefix += component
            mkdir(prefix, 0o755)
            prefix += "/"
        }
    }

    /// Syncs the directory holding `path`, so a rename survives a crash.
    public static func syncDirectory(of path: String) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let fd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}

/// The first failure of the writer thread, read on the caller's thread (a pthread mutex:
/// `Mutex` needs macOS 15, and this module does without Foundation).
private final class FirstFailure: @unchecked Sendable {
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var first: PublicaError?

    init() { pthread_mutex_init(lock, nil) }

    deinit {
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    var error: PublicaError? {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return first
    }

    func record(_ error: PublicaError) {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        if first == nil { first = error }
    }
}
