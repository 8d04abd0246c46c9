import PublicaCore
import PublicaIngest

/// Reads records from an XML file through libxml2's streaming SAX2 parser, in constant memory.
///
/// One record per element at the record path (or as the preset says). Fields come from child
/// elements (`name`, `address/city`), attributes (`@id`), repeated children (lists). The field
/// list is fixed after the first ``XMLReadOptions/schemaSampleSize`` records, which are held in
/// memory; a later record with a field not seen by then is rejected with the reason, never
/// dropped. Each record's provenance is the line where its element starts.
public final class XMLRecordSource: RecordSource {
    /// The file's base name without its extension (`stdin` for standard input), for output names.
    public let resourceName: String
    /// The fields, fixed from the first records when the source is opened.
    public private(set) var schema = RecordSchema(fieldNames: [])
    private let options: XMLReadOptions
    private let input: FileInput
    /// The path, for the raw records' places (they point at it).
    private let sourceName: SourceName
    private let parser: SAXParser
    private let chunk: UnsafeMutableRawBufferPointer
    private var position = 0
    private var atEnd = false

    /// Opens `path` (`-` for standard input) and reads ahead to fix the field list.
    public init(path: String, options: XMLReadOptions) throws {
        guard options.recordPath != nil || options.preset != nil else {
            throw PublicaError(
                .usage, "XML input needs {--record-path} (e.g. response/body/items/item or //item) or {--preset}")
        }
        self.options = options
        input = try FileInput(path: path)
        resourceName = SourceOptions.resourceName(for: path)
        sourceName = SourceName(path)
        parser = try SAXParser(
            source: path, preset: options.preset, recordPath: options.recordPath, limits: options.limits)
        chunk = .allocate(byteCount: options.chunkSize, alignment: 16)
        while !atEnd && parser.state.pointee.pendingCount < options.schemaSampleSize { try parseMore() }
        if options.preset == .sdmx {
            parser.state.pointee.sdmx.fields.isFrozen = true
            schema = RecordSchema(fieldNames: parser.state.pointee.sdmx.fields.names)
        } else {
            parser.state.pointee.generic.fields.isFrozen = true
            schema = RecordSchema(fieldNames: parser.state.pointee.generic.fields.names)
        }
    }

    deinit { chunk.deallocate() }

    /// Leaf values and attributes outside the records (envelope, SDMX header), by path.
    public var metadata: [(path: String, value: String)] {
        options.preset == .sdmx ? parser.state.pointee.sdmx.metadata : parser.state.pointee.generic.metadata
    }

    /// With the `datagokr` preset, the envelope's paging numbers (`paging totalCount`, `paging pageNo`…);
    /// otherwise none.
    public var counters: [(name: String, value: Int)] {
        options.preset == .datagokr ? DataGoKrEnvelope.paging(metadata: metadata) : []
    }

    /// The next record, padded to the fields with nulls; a record with a field not in the list goes
    /// to `onReject`. Nil at the end of the document.
    public func next(onReject: (Rejection) throws -> Void) throws -> Record? {
        while true {
            if position < parser.state.pointee.pendingCount {
                let output: XMLOutput
                if options.preset == .sdmx {
                    output = parser.state.pointee.sdmx.output[position]
                } else {
                    let queue = parser.state.pointee.generic.queue
                    switch queue.entries[position] {
                    case .raw(let firstSlot, let slotCount, let provenance):
                        output = .record(
                            queue.record(
                                firstSlot: firstSlot, slotCount: slotCount,
                                provenance: provenance, width: schema.count))
                    case .typed(let typed):
                        output = typed
                    }
                }
                position += 1
                switch output {
                case .record(let record): return padded(record)
                case .rejection(let rejection): try onReject(rejection)
                }
                continue
            }
            clearPending()
            guard !atEnd else { return nil }
            try parseMore()
        }
    }

    /// The fast path: records without repeated children go to `body` as bytes, with no `String` made.
    public func forEach(
        raw body: (RawRecord) throws -> Void, record: (Record) throws -> Void,
        onReject: (Rejection) throws -> Void
    ) throws {
        guard options.preset != .sdmx else {
            while let next = try next(onReject: onReject) { try record(next) }
            return
        }
        let width = schema.count
        let fields = UnsafeMutablePointer<RawRecord.Field>.allocate(capacity: max(width, 1))
        defer { fields.deallocate() }
        while true {
            // A local copy for the walk; released before the queue is cleared so its storage is reused.
            try withExtendedLifetime(()) {
                let queue = parser.state.pointee.generic.queue
                try queue.bytes.withUnsafeBufferPointer { bytes in
                    let empty: StaticString = ""
                    let base = bytes.baseAddress ?? empty.utf8Start
                    for entry in queue.entries[position...] {
                        switch entry {
                        case .raw(let firstSlot, let slotCount, let provenance):
                            for index in 0..<width {
                                let slot = index < slotCount ? queue.slots[firstSlot + index] : .null
                                fields[index] =
                                    slot.length < 0
                                    ? RawRecord.Field(start: base, count: 0, encoding: .null)
                                    : RawRecord.Field(
                                        start: base + Int(slot.start), count: Int(slot.length), encoding: .plain)
                            }
                            try body(
                                RawRecord(
                                    fields: UnsafeBufferPointer(start: fields, count: width),
                                    place: RawRecord.Place(
                                        source: sourceName, line: provenance.line, endLine: provenance.endLine,
                                        recordNumber: provenance.recordNumber)))
                        case .typed(.record(let typed)):
                            try record(padded(typed))
                        case .typed(.rejection(let rejection)):
                            try onReject(rejection)
                        }
                    }
                }
            }
            clearPending()
            guard !atEnd else { return }
            try parseMore()
        }
    }

    /// Records read before the field list was fixed may be shorter than it.
    private func padded(_ record: Record) -> Record {
        guard record.values.count < schema.count else { return record }
        var record = record
        record.values.append(contentsOf: repeatElement(.null, count: schema.count - record.values.count))
        return record
    }

    private func clearPending() {
        position = 0
        if options.preset == .sdmx {
            parser.state.pointee.sdmx.output.removeAll(keepingCapacity: true)
        } else {
            parser.state.pointee.generic.clearQueue()
        }
    }

    private func parseMore() throws {
        try Termination.check()
        let count = try input.read(into: chunk.baseAddress!, capacity: chunk.count)
        if count == 0 {
            atEnd = true
            try parser.parse(nil)
            try checkSDMXFooter()
        } else {
            try parser.parse(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
        }
    }

    /// An SDMX message with a footer and no observations did not deliver its data.
    private func checkSDMXFooter() throws {
        let sdmx = parser.state.pointee.sdmx
        guard options.preset == .sdmx, sdmx.observations == 0, !sdmx.footer.isEmpty else { return }
        throw PublicaError(
            .data, "SDMX message has no data, only a footer: " + sdmx.footer.joined(separator: " "),
            at: SourceLocation(file: input.path))
    }
}
