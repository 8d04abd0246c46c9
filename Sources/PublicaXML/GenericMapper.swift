import PublicaCore

/// Turns elements at a record path into records: child elements become fields named by their
/// path below the record (`address/city`), attributes `@id` or `address/@kind`, repeated
/// children lists. Leaf text and attributes outside records are kept as metadata.
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

    private struct PathKey: Hashable {
        let parent: Int
        let local: UInt
        let prefix: UInt
        let isAttribute: Bool
    }

    var selector: Selector
    var fields = FieldTable()
    var assembly = RecordAssembly()
    /// Leaf text and attributes outside records, by absolute path (`response/header/resultCode`).
    var metadata: [(path: String, value: String)] = []
    private let metadataLimit = 256
    private var stack: [Frame] = []
    private var recordDepth = -1
    private var text: [UInt8] = []
    private var trie: [PathKey: Int] = [:]
    private var nodeNames: [String] = [""]
    private var nodeFields: [Int?] = [nil]

    init(selector: Selector) {
        self.selector = selector
    }

    var depth: Int { stack.count }

    /// The absolute path of the open elements, `a/b/c`.
    var currentPath: String { stack.map(\.name.qualified).joined(separator: "/") }

    mutating func text(_ bytes: UnsafePointer<UInt8>, count: Int, cdata: Bool) {
        appendText(bytes, count: count, cdata: cdata, to: &text)
    }

    mutating func start(_ name: XMLName, attributes: XMLAttributes, line: Int) {
        text.removeAll(keepingCapacity: true)
        if !stack.isEmpty { stack[stack.count - 1].hasChildren = true }
        if recordDepth >= 0 {
            let node = child(of: stack[stack.count - 1].node, name, isAttribute: false)
            stack.append(Frame(name: name, matched: 0, node: node))
            for attribute in attributes {
                let attributeNode = child(of: node, attribute.name, isAttribute: true)
                assembly.set(nodeNames[attributeNode], index: field(for: attributeNode), .text(attribute.value))
            }
            return
        }
        let (matched, isRecord) = match(name)
        stack.append(Frame(name: name, matched: matched, node: isRecord ? 0 : -1))
        if isRecord {
            recordDepth = stack.count - 1
            assembly.begin(line: line)
            for attribute in attributes {
                let attributeNode = child(of: 0, attribute.name, isAttribute: true)
                assembly.set(nodeNames[attributeNode], index: field(for: attributeNode), .text(attribute.value))
            }
        } else if metadata.count < metadataLimit {
            for attribute in attributes {
                metadata.append((currentPath + "/@" + attribute.name.qualified, attribute.value))
            }
        }
    }

    /// Ends the innermost element; returns the record when it was a record element.
    mutating func end(source: String, line: Int) -> XMLOutput? {
        let frame = stack.removeLast()
        defer { text.removeAll(keepingCapacity: true) }
        guard recordDepth >= 0 else {
            if !frame.hasChildren && metadata.count < metadataLimit {
                let path = stack.isEmpty ? frame.name.qualified : currentPath + "/" + frame.name.qualified
                metadata.append((path, String(decoding: text, as: UTF8.self)))
            }
            return nil
        }
        if stack.count == recordDepth {
            // The record element itself: a leaf record is one field named after it.
            if !frame.hasChildren {
                let node = child(of: 0, frame.name, isAttribute: false)
                assembly.set(nodeNames[node], index: field(for: node), .text(String(decoding: text, as: UTF8.self)))
            }
            recordDepth = -1
            return assembly.finish(fields: fields, source: source, endLine: line)
        }
        if !frame.hasChildren {
            assembly.set(nodeNames[frame.node], index: field(for: frame.node), .text(String(decoding: text, as: UTF8.self)))
        }
        return nil
    }

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
                  matches(name, components[stack.count]) else { return (-1, false) }
            return (stack.count + 1, stack.count + 1 == components.count)
        }
    }

    private func matches(_ name: XMLName, _ component: (local: UnsafePointer<UInt8>, prefix: UnsafePointer<UInt8>?)) -> Bool {
        name.local == component.local && (component.prefix == nil || name.prefix == component.prefix)
    }

    /// The trie node for `name` below `parent`, made on first sight.
    private mutating func child(of parent: Int, _ name: XMLName, isAttribute: Bool) -> Int {
        let key = PathKey(parent: parent, local: UInt(bitPattern: name.local),
                          prefix: UInt(bitPattern: name.prefix), isAttribute: isAttribute)
        if let node = trie[key] { return node }
        let step = (isAttribute ? "@" : "") + name.qualified
        let node = nodeNames.count
        nodeNames.append(parent == 0 ? step : nodeNames[parent] + "/" + step)
        nodeFields.append(nil)
        trie[key] = node
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
