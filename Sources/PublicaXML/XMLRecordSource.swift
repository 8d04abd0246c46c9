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
    public let resourceName: String
    public private(set) var schema = RecordSchema(fieldNames: [])
    private let options: XMLReadOptions
    private let input: FileInput
    private let parser: SAXParser
    private let chunk: UnsafeMutableRawBufferPointer
    private var position = 0
    private var atEnd = false

    /// Opens `path` (`-` for standard input) and reads ahead to fix the field list.
    public init(path: String, options: XMLReadOptions) throws {
        guard options.recordPath != nil || options.preset != nil else {
            throw PublicaError(.usage, "XML input needs --record-path (e.g. response/body/items/item or //item) or --preset")
        }
        self.options = options
        input = try FileInput(path: path)
        resourceName = SourceOptions.resourceName(for: path)
        parser = try SAXParser(source: path, preset: options.preset, recordPath: options.recordPath)
        chunk = .allocate(byteCount: options.chunkSize, alignment: 16)
        while !atEnd && parser.state.pointee.output.count < options.schemaSampleSize { try parseMore() }
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

    public var counters: [(name: String, value: Int)] {
        options.preset == .datagokr ? DataGoKrEnvelope.paging(metadata: metadata) : []
    }

    public func next(onReject: (Rejection) throws -> Void) throws -> Record? {
        while true {
            if position < parser.state.pointee.output.count {
                let item = parser.state.pointee.output[position]
                position += 1
                switch item {
                case .record(var record):
                    // Records read before the field list was fixed may be shorter than it.
                    if record.values.count < schema.count {
                        record.values.append(contentsOf: repeatElement(.null, count: schema.count - record.values.count))
                    }
                    return record
                case .rejection(let rejection):
                    try onReject(rejection)
                    continue
                }
            }
            parser.state.pointee.output.removeAll(keepingCapacity: true)
            position = 0
            guard !atEnd else { return nil }
            try parseMore()
        }
    }

    private func parseMore() throws {
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
        throw PublicaError(.data, "SDMX message has no data, only a footer: " + sdmx.footer.joined(separator: " "),
                           at: SourceLocation(file: input.path))
    }
}
