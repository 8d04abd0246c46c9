import PublicaCore

/// Records made from one chunk of XML, kept as bytes until the source hands them on.
///
/// The common record (each field at most once) is stored as byte ranges in one arena, so no
/// `String` or ``FieldValue`` is made for it: the source passes it on as a ``RawRecord``.
/// Records with repeated children (lists) or rejected ones are kept as typed outputs.
struct RecordQueue {
    /// A field's bytes in `bytes`; `length < 0` is null (absent).
    struct Slot {
        var start: Int32
        var length: Int32
        static let null = Slot(start: 0, length: -1)
    }

    enum Entry {
        case raw(firstSlot: Int, slotCount: Int, provenance: Provenance)
        case typed(XMLOutput)
    }

    var bytes: [UInt8] = []
    var slots: [Slot] = []
    var entries: [Entry] = []

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
    }

    /// Appends bytes to the arena and returns their slot.
    mutating func store(_ source: UnsafePointer<UInt8>, count: Int) -> Slot {
        let start = bytes.count
        bytes.append(contentsOf: UnsafeBufferPointer(start: source, count: count))
        return Slot(start: Int32(truncatingIfNeeded: start), length: Int32(truncatingIfNeeded: count))
    }

    /// The text of a slot.
    func string(_ slot: Slot) -> String? {
        guard slot.length >= 0 else { return nil }
        return String(decoding: bytes[Int(slot.start)..<Int(slot.start + slot.length)], as: UTF8.self)
    }

    /// A typed record from raw slots, padded with nulls to `width`.
    func record(firstSlot: Int, slotCount: Int, provenance: Provenance, width: Int) -> Record {
        var values = (0..<slotCount).map { string(slots[firstSlot + $0]).map(FieldValue.text) ?? .null }
        if values.count < width { values.append(contentsOf: repeatElement(.null, count: width - values.count)) }
        return Record(values: values, provenance: provenance)
    }
}
