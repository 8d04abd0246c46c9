import PublicaCore

/// The records a resource wrote, kept for the joins and foreign keys of the resources after it
/// (``Engine/retainsRecords``): each one a ``HeldRecords`` payload, so typed values and places
/// survive, in memory up to a limit and in an unnamed spill file past it (gone on every exit
/// path, like a sort's).
///
/// Kept rather than read back from the outputs: an output may be a format that loses types (a
/// CSV's integers come back as text, and a join takes typed values), or none of them a table.
/// The limit is small (``limit(for:)``) because the store lives beside the later resources'
/// whole runs; the runner takes what it holds out of their budget.
final class RetainedRecords {
    private let held = HeldRecords()
    /// Blocks in memory, each its payload's length (a varint) then the payload.
    private var memory: [UInt8] = []
    private var writer: SpillWriter?
    private let limit: Int
    private let folder: String?
    /// Records kept.
    private(set) var count = 0

    /// A store keeping up to `limit` bytes in memory, spilling into `folder`.
    init(limit: Int, folder: String?) {
        self.limit = limit
        self.folder = folder
    }

    /// An eighth of the run's budget: a small code list stays in memory and is never written.
    static func limit(for budget: MemoryBudget) -> Int { budget.bytes / 8 }

    /// The spill file's buffers: within the limit, 16 KiB to 1 MiB.
    private var bufferSize: Int { min(max(limit, 16 << 10), 1 << 20) }

    /// Whether the records went to a spill file.
    var spilled: Bool { writer != nil }

    /// The bytes held in memory.
    var bytesInMemory: Int { memory.capacity }

    /// Keeps a record from the fast path, as its bytes.
    func append(raw record: RawRecord) throws { try add(held.payload(raw: record)) }

    /// Keeps a record.
    func append(_ record: Record) throws { try add(held.payload(record)) }

    private func add(_ payload: [UInt8]) throws {
        count += 1
        if writer != nil {
            return try payload.withUnsafeBytes {
                try writer!.write(key: UnsafeRawBufferPointer(start: nil, count: 0), payload: $0)
            }
        }
        RecordSpill.Encoder.varint(UInt64(payload.count), into: &memory)
        memory += payload
        if memory.count > limit { try spill() }
    }

    /// Moves the blocks in memory to a new spill file; the later ones follow them there.
    private func spill() throws {
        var writer = SpillWriter(file: try SpillFile(in: folder), bufferSize: bufferSize)
        try forEachPayload(inMemory: true) { payload in
            try writer.write(key: UnsafeRawBufferPointer(start: nil, count: 0), payload: payload)
            return true
        }
        memory = []
        self.writer = writer
    }

    /// Gives each record, in order, to `body` until it returns false (a record from the fast
    /// path comes back as a `Record` with its typed values).
    func forEach(_ body: (Record) throws -> Bool) throws {
        try forEachPayload(inMemory: writer == nil) { payload in
            var going = true
            try held.read(payload, raw: { going = try body($0.makeRecord()) }, record: { going = try body($0) })
            return going
        }
    }

    private func forEachPayload(inMemory: Bool, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        guard inMemory else {
            let reader = SpillReader(try writer!.finish(), bufferSize: bufferSize)
            while let (_, payload) = try reader.next() { guard try body(payload) else { return } }
            return
        }
        try memory.withUnsafeBytes { bytes in
            var decoder = RecordSpill.Decoder(bytes)
            while decoder.position < bytes.count {
                let length = Int(truncatingIfNeeded: try decoder.varint())
                guard length >= 0, length <= bytes.count - decoder.position else { throw RecordSpill.corrupt }
                let payload = UnsafeRawBufferPointer(rebasing: bytes[decoder.position..<(decoder.position + length)])
                decoder.skip(length)
                guard try body(payload) else { return }
            }
        }
    }
}
