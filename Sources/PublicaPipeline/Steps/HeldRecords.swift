import PublicaCore

/// Records as a step holds them while it waits for the end of the stream (a sort, a dedupe past
/// its budget): each one a
/// payload of bytes, given back as it came in.
///
/// A record from the fast path keeps its fields' bytes and encodings, so it leaves as a
/// ``RawRecord`` and is written without a `String` made; a ``Record`` keeps its values
/// (``RecordSpill``) and leaves as a `Record`. Either way its place comes back: sources are
/// numbered once and held here, so their names outlive the readers that made them.
final class HeldRecords {
    private var sources: [SourceName] = []
    private var numbers: [ObjectIdentifier: Int] = [:]
    private var numbersByPath: [String: Int] = [:]
    private var encoder = RecordSpill.Encoder()
    private let fields = FieldBuffer()

    private enum Form: UInt8 { case raw, record }

    /// The payload of a record from the fast path, valid until the next call.
    func payload(raw record: RawRecord) -> [UInt8] {
        start(.raw, number(record.place.source), record.place.line, record.place.endLine, record.place.recordNumber)
        encoder.unsigned(record.fields.count)
        for field in record.fields {
            encoder.bytes.append(field.encoding.rawValue)
            encoder.unsigned(field.count)
            encoder.bytes.append(contentsOf: UnsafeBufferPointer(start: field.start, count: field.count))
        }
        return encoder.bytes
    }

    /// The payload of a record, valid until the next call.
    func payload(_ record: Record) -> [UInt8] {
        let place = record.provenance
        start(.record, number(place.source), place.line, place.endLine, place.recordNumber)
        encoder.unsigned(record.values.count)
        for value in record.values { encoder.value(value) }
        return encoder.bytes
    }

    /// Gives a payload back: as bytes to `raw` (valid during the call) or as a record to `record`.
    func read(
        _ payload: UnsafeRawBufferPointer, raw: (RawRecord) throws -> Void, record: (Record) throws -> Void
    ) throws {
        var decoder = RecordSpill.Decoder(payload)
        let form = Form(rawValue: try decoder.byte())
        let number = try decoder.unsigned()
        guard let form, sources.indices.contains(number) else { throw RecordSpill.corrupt }
        let line = try decoder.unsigned()
        let endLine = line + (try decoder.unsigned())
        let recordNumber = try decoder.unsigned()
        let count = try decoder.unsigned()
        guard count <= payload.count else { throw RecordSpill.corrupt }
        switch form {
        case .record:
            let provenance = Provenance(
                source: sources[number].path, line: line, endLine: endLine, recordNumber: recordNumber)
            var values: [FieldValue] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try decoder.value()) }
            try record(Record(values: values, provenance: provenance))
        case .raw:
            let place = RawRecord.Place(
                source: sources[number], line: line, endLine: endLine, recordNumber: recordNumber)
            let fields = self.fields.fields(count)
            for index in 0..<count {
                let encoding = RawRecord.Encoding(rawValue: try decoder.byte())
                let length = try decoder.unsigned()
                guard let encoding, length >= 0, length <= payload.count - decoder.position else {
                    throw RecordSpill.corrupt
                }
                let start = (payload.baseAddress! + decoder.position).assumingMemoryBound(to: UInt8.self)
                fields[index] = RawRecord.Field(start: start, count: length, encoding: encoding)
                decoder.skip(length)
            }
            try raw(RawRecord(fields: UnsafeBufferPointer(fields), place: place))
        }
    }

    private func start(_ form: Form, _ source: Int, _ line: Int, _ endLine: Int, _ recordNumber: Int) {
        encoder.bytes.removeAll(keepingCapacity: true)
        encoder.bytes.append(form.rawValue)
        encoder.unsigned(source)
        encoder.unsigned(line)
        encoder.unsigned(endLine - line)
        encoder.unsigned(recordNumber)
    }

    /// The source's number. The name is held from now on, so its identity is not reused.
    private func number(_ source: SourceName) -> Int {
        if let last = sources.last, last === source { return sources.count - 1 }
        if let known = numbers[ObjectIdentifier(source)] { return known }
        sources.append(source)
        numbers[ObjectIdentifier(source)] = sources.count - 1
        return sources.count - 1
    }

    private func number(_ path: String) -> Int {
        if let known = numbersByPath[path] { return known }
        sources.append(SourceName(path))
        numbersByPath[path] = sources.count - 1
        return sources.count - 1
    }
}
