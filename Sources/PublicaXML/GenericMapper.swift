import PublicaCore
import PublicaJSON

/// Turns elements at a record path into records: child elements become fields named by their
/// path below the record (`address/city`), attributes `@id` or `address/@kind`, repeated
/// children lists. Leaf text and attributes outside records are kept as metadata.
///
/// The hot path makes no `String`: names are interned pointers, the field-path trie is searched
/// by pointer, and values go as bytes into the ``RecordQueue``.
struct GenericMapper {
    /// How records are recognised.
    enum Selector {
        /// Interned path components (local name, optional prefix); `anyDepth` for `//…`.
        case path([(local: UnsafePointer<UInt8>, prefix: UnsafePointer<UInt8>?)], anyDepth: Bool)
        /// Every child of the root element except the one with this local name (legacy data.go.kr).
        case rootChildren(except: UnsafePointer<UInt8>)
        /// No records (an error envelope).
        case none
    }

    private struct Frame {
        let name: XMLName
        /// Path components matched up to this element (absolute paths).
        var matched: Int
        /// The element's node in the field-path trie (inside a record), else -1.
        var node: Int
        var hasChildren = false
    }

    /// A child in the field-path trie, found by comparing interned pointers.
    private struct Child {
        let local: UnsafePointer<UInt8>
        let prefix: UnsafePointer<UInt8>?
        let isAttribute: Bool
        let node: Int
    }

    var selector: Selector
    var fields = FieldTable()
    var queue = RecordQueue()
    /// Leaf text and attributes outside records, by absolute path (`response/header/resultCode`).
    var metadata: [(path: String, value: String)] = []
    private let metadataLimit = 256
    private var stack: [Frame] = []
    private var recordDepth = -1
    private var text = TextBuffer()
    private var children: [[Child]] = [[]]
    private var nodeNames: [String] = [""]
    private var nodeFields: [Int?] = [nil]

    // The record being built.
    private var current: [RecordQueue.Slot] = []
    private var touched: [Int] = []
    private var repeats: [(field: Int, slot: RecordQueue.Slot)] = []
    private var unknownField: String?
    /// Values of fields the fixed field list lacks, kept for the rejection (nothing is dropped).
    private var unknownValues: [(name: String, slot: RecordQueue.Slot)] = []
    private var recordLine = 0
    private var recordsStarted = 0
    /// Where the record being built starts in the queue's byte arena.
    private var recordBytesStart = 0

    init(selector: Selector) {
        self.selector = selector
    }

    var depth: Int { stack.count }

    /// Bytes of the text node being read.
    var textCount: Int { text.count }

    /// Bytes of values of the record being built (0 outside records).
    var recordByteCount: Int { recordDepth >= 0 ? queue.bytes.count - recordBytesStart : 0 }

    /// The number of the record being built or last built.
    var recordNumber: Int { recordsStarted }

    /// The absolute path of the open elements, `a/b/c`.
    var currentPath: String { stack.map(\.name.qualified).joined(separator: "/") }

    mutating func text(_ bytes: UnsafePointer<UInt8>, count: Int, cdata: Bool) {
        text.appendText(bytes, count: count, cdata: cdata)
    }

    /// Frees the text buffer; called once by the parser's owner.
    func release() { text.release() }

    mutating func start(_ name: XMLName, attributes: XMLAttributes, line: () -> Int) {
        text.removeAll()
        if !stack.isEmpty { stack[stack.count - 1].hasChildren = true }
        if recordDepth >= 0 {
            let node = child(of: stack[stack.count - 1].node, name, isAttribute: false)
            stack.append(Frame(name: name, matched: 0, node: node))
            if attributes.count > 0 { setAttributes(attributes, of: node) }
            return
        }
        let (matched, isRecord) = match(name)
        stack.append(Frame(name: name, matched: matched, node: isRecord ? 0 : -1))
        if isRecord {
            recordDepth = stack.count - 1
            beginRecord(line: line())
            if attributes.count > 0 { setAttributes(attributes, of: 0) }
        } else if metadata.count < metadataLimit {
            for index in 0..<attributes.count {
                let attribute = attributes[index]
                metadata.append((currentPath + "/@" + attribute.name.qualified, attribute.value))
            }
        }
    }

    /// Ends the innermost element; a record element's end queues the record.
    mutating func end(source: String, line: () -> Int) {
        let frame = stack.removeLast()
        defer { text.removeAll() }
        guard recordDepth >= 0 else {
            if !frame.hasChildren && metadata.count < metadataLimit {
                let path = stack.isEmpty ? frame.name.qualified : currentPath + "/" + frame.name.qualified
                metadata.append((path, text.string))
            }
            return
        }
        if stack.count == recordDepth {
            // The record element itself: a leaf record is one field named after it.
            if !frame.hasChildren { setText(node: child(of: 0, frame.name, isAttribute: false)) }
            recordDepth = -1
            finishRecord(source: source, endLine: line())
            return
        }
        if !frame.hasChildren { setText(node: frame.node) }
    }

    // MARK: - Record building

    private mutating func beginRecord(line: Int) {
        for index in touched { current[index] = .null }
        touched.removeAll(keepingCapacity: true)
        repeats.removeAll(keepingCapacity: true)
        unknownField = nil
        unknownValues.removeAll(keepingCapacity: true)
        recordLine = line
        recordsStarted += 1
        recordBytesStart = queue.bytes.count
    }

    /// Empties the queue once its records are handed on, keeping the bytes of a record still
    /// being built (a record can span chunks).
    mutating func clearQueue() {
        guard recordDepth >= 0 else {
            queue.removeAll()
            return
        }
        let kept = Array(queue.bytes[recordBytesStart...])
        let shift = Int32(truncatingIfNeeded: recordBytesStart)
        queue.removeAll()
        queue.bytes.append(contentsOf: kept)
        for index in touched { current[index].start -= shift }
        for index in repeats.indices { repeats[index].slot.start -= shift }
        for index in unknownValues.indices { unknownValues[index].slot.start -= shift }
        recordBytesStart = 0
    }

    private mutating func setText(node: Int) {
        let slot = queue.store(text.base, count: text.count)
        set(node: node, slot)
    }

    private mutating func setAttributes(_ attributes: XMLAttributes, of node: Int) {
        for index in 0..<attributes.count {
            let attribute = attributes[index]
            let attributeNode = child(of: node, attribute.name, isAttribute: true)
            set(
                node: attributeNode, queue.store(attribute.valueStart, count: attribute.valueEnd - attribute.valueStart)
            )
        }
    }

    private mutating func set(node: Int, _ slot: RecordQueue.Slot) {
        guard let index = field(for: node) else {
            if unknownField == nil { unknownField = nodeNames[node] }
            unknownValues.append((nodeNames[node], slot))
            return
        }
        if index >= current.count { current.append(contentsOf: repeatElement(.null, count: index - current.count + 1)) }
        if current[index].length < 0 {
            current[index] = slot
            touched.append(index)
        } else {
            repeats.append((index, slot))
        }
    }

    private mutating func finishRecord(source: String, endLine: Int) {
        let width = fields.names.count
        let provenance = Provenance(source: source, line: recordLine, endLine: endLine, recordNumber: recordsStarted)
        if repeats.isEmpty && unknownField == nil {
            let first = queue.slots.count
            queue.slots.append(contentsOf: current.prefix(width))
            queue.entries.append(.raw(firstSlot: first, slotCount: min(width, current.count), provenance: provenance))
            return
        }
        // Lists or an unknown field: the typed slow path.
        var values = (0..<width).map { index in
            index < current.count ? queue.string(current[index]).map(FieldValue.text) ?? .null : .null
        }
        for (index, slot) in repeats {
            let value = FieldValue.text(queue.string(slot) ?? "")
            if case .list(var items) = values[index] {
                items.append(value)
                values[index] = .list(items)
            } else {
                values[index] = .list([values[index], value])
            }
        }
        guard let unknownField else {
            queue.entries.append(.typed(.record(Record(values: values, provenance: provenance))))
            return
        }
        queue.entries.append(
            .typed(
                .rejection(
                    Rejection(
                        rawValues: values.map { $0.textValue ?? "" }
                            + unknownValues.map { queue.string($0.slot) ?? "" },
                        fieldNames: FieldNames.makeUnique(fields.names + unknownValues.map(\.name)),
                        provenance: provenance,
                        field: unknownField, rule: "unknown-field",
                        message:
                            "field '\(unknownField)' did not occur in the records read before the field list was fixed")
                )))
    }

    // MARK: - Paths

    /// Whether an element opened outside records starts a record, and how much of an absolute path it matches.
    private func match(_ name: XMLName) -> (matched: Int, isRecord: Bool) {
        switch selector {
        case .none:
            return (0, false)
        case .rootChildren(let except):
            return (0, stack.count == 1 && name.local != except)
        case .path(let components, let anyDepth):
            if anyDepth {
                // Suffix match: this element is the last component, its ancestors the ones before.
                guard stack.count >= components.count - 1 else { return (0, false) }
                for (offset, component) in components.reversed().enumerated() {
                    let candidate = offset == 0 ? name : stack[stack.count - offset].name
                    guard matches(candidate, component) else { return (0, false) }
                }
                return (0, true)
            }
            let parentMatched = stack.last?.matched ?? 0
            guard parentMatched == stack.count, stack.count < components.count,
                matches(name, components[stack.count])
            else { return (-1, false) }
            return (stack.count + 1, stack.count + 1 == components.count)
        }
    }

    private func matches(_ name: XMLName, _ component: (local: UnsafePointer<UInt8>, prefix: UnsafePointer<UInt8>?))
        -> Bool
    {
        name.local == component.local && (component.prefix == nil || name.prefix == component.prefix)
    }

    /// The trie node for `name` below `parent`, made on first sight.
    private mutating func child(of parent: Int, _ name: XMLName, isAttribute: Bool) -> Int {
        for entry in children[parent]
        where entry.local == name.local && entry.prefix == name.prefix && entry.isAttribute == isAttribute {
            return entry.node
        }
        let step = (isAttribute ? "@" : "") + name.qualified
        let node = nodeNames.count
        nodeNames.append(parent == 0 ? step : nodeNames[parent] + "/" + step)
        nodeFields.append(nil)
        children.append([])
        children[parent].append(Child(local: name.local, prefix: name.prefix, isAttribute: isAttribute, node: node))
        return node
    }

    /// The field index of a node that carries a value (nil when the field list is fixed and lacks it).
    private mutating func field(for node: Int) -> Int? {
        if let index = nodeFields[node] { return index }
        let index = fields.index(of: nodeNames[node])
        nodeFields[node] = index
        return index
    }
}
