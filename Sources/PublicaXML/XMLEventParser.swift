internal import CLibXML2
import PublicaCore

/// Receives a document's elements and text from an ``XMLEventParser``.
///
/// For readers of XML dialects other than records (an XLSX sheet, its shared strings), which
/// keep their own state and need only the events.
public protocol XMLEventHandler: AnyObject {
    /// An element opens.
    func start(element: XMLElementName, attributes: XMLElementAttributes)
    /// The innermost open element closes.
    func end(element: XMLElementName)
    /// Character data inside the current element (one text node may arrive in several calls).
    func text(_ bytes: UnsafeBufferPointer<UInt8>)
}

/// An element's local name (namespace prefix dropped), valid during the callback only.
public struct XMLElementName {
    let local: UnsafePointer<UInt8>

    /// Whether the local name is `name`, compared byte by byte without making a String.
    public func `is`(_ name: StaticString) -> Bool {
        let expected = name.utf8Start
        for index in 0..<name.utf8CodeUnitCount where local[index] != expected[index] { return false }
        return local[name.utf8CodeUnitCount] == 0
    }

    /// The local name as a String.
    public var string: String { String(cString: local) }

    /// The name's byte when it is one byte long (`r`, `t`, `s`), else nil: a hot path's
    /// dispatch on short attribute names.
    public var singleByte: UInt8? { local[0] != 0 && local[1] == 0 ? local[0] : nil }
}

/// A start tag's attributes, valid during the callback only.
public struct XMLElementAttributes {
    let attributes: XMLAttributes

    /// The value of the attribute with this local name (any prefix), if present.
    public func value(of local: StaticString) -> String? {
        for index in 0..<attributes.count {
            let attribute = attributes[index]
            if XMLElementName(local: attribute.name.local).is(local) { return attribute.value }
        }
        return nil
    }

    /// The raw bytes of the attribute with this local name (any prefix), if present; valid
    /// during the callback only. For hot paths that parse a value without making a String.
    public func bytes(of local: StaticString) -> UnsafeBufferPointer<UInt8>? {
        for index in 0..<attributes.count {
            let attribute = attributes[index]
            if XMLElementName(local: attribute.name.local).is(local) {
                return UnsafeBufferPointer(
                    start: attribute.valueStart, count: attribute.valueEnd - attribute.valueStart)
            }
        }
        return nil
    }

    /// Calls `body` with each attribute's local name and raw value bytes (valid during the
    /// callback only), in document order: one pass for a hot path that reads several.
    public func forEach(_ body: (XMLElementName, UnsafeBufferPointer<UInt8>) -> Void) {
        for index in 0..<attributes.count {
            let attribute = attributes[index]
            body(
                XMLElementName(local: attribute.name.local),
                UnsafeBufferPointer(start: attribute.valueStart, count: attribute.valueEnd - attribute.valueStart))
        }
    }
}

/// The state the libxml2 callbacks reach through their context pointer.
struct EventState {
    let source: String
    unowned(unsafe) let handler: any XMLEventHandler
    var parser: xmlParserCtxtPtr?
    var failure: PublicaError?
    var parseError: PublicaError?
    var depth = 0

    var line: Int { SAXState.line(of: parser) }

    mutating func fail(_ error: PublicaError) {
        if failure == nil { failure = error }
        if let parser { xmlStopParser(parser) }
    }
}

/// A libxml2 SAX2 push parser that hands events to a handler, with the same safety settings as
/// the record reader's: no network, no entity substitution, any `<!DOCTYPE` refused, a nesting
/// limit, and errors as ``PublicaError``s (exit 65) naming `source` and the line.
public final class XMLEventParser {
    private let state: UnsafeMutablePointer<EventState>
    private let context: xmlParserCtxtPtr
    private var finished = false

    /// A parser for the document named `source` (used in errors); `handler` must outlive it.
    public init(source: String, handler: any XMLEventHandler) throws {
        xmlInitParser()
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = { context, localName, _, _, _, _, attributeCount, _, attributes in
            let state = context!.assumingMemoryBound(to: EventState.self)
            state.pointee.depth += 1
            guard state.pointee.depth <= SAXState.maxDepth else {
                state.pointee.fail(
                    PublicaError(
                        .data, "elements nested deeper than \(SAXState.maxDepth) levels (depth limit)",
                        at: SourceLocation(file: state.pointee.source, line: state.pointee.line)))
                return
            }
            state.pointee.handler.start(
                element: XMLElementName(local: localName!),
                attributes: XMLElementAttributes(
                    attributes: XMLAttributes(base: attributes, count: Int(attributeCount))))
        }
        sax.endElementNs = { context, localName, _, _ in
            let state = context!.assumingMemoryBound(to: EventState.self)
            state.pointee.depth -= 1
            state.pointee.handler.end(element: XMLElementName(local: localName!))
        }
        sax.characters = { context, bytes, count in
            let state = context!.assumingMemoryBound(to: EventState.self)
            state.pointee.handler.text(UnsafeBufferPointer(start: bytes, count: Int(count)))
        }
        sax.cdataBlock = sax.characters
        sax.internalSubset = { context, _, _, _ in
            let state = context!.assumingMemoryBound(to: EventState.self)
            state.pointee.fail(XMLRefusal.doctype(source: state.pointee.source, line: state.pointee.line))
        }
        sax.serror = { context, error in
            guard let context, let error else { return }
            let state = context.assumingMemoryBound(to: EventState.self)
            guard state.pointee.parseError == nil else { return }
            state.pointee.parseError = XMLRefusal.malformed(error, source: state.pointee.source)
        }
        state = .allocate(capacity: 1)
        state.initialize(to: EventState(source: source, handler: handler))
        guard let context = xmlCreatePushParserCtxt(&sax, UnsafeMutableRawPointer(state), nil, 0, source) else {
            state.deinitialize(count: 1)
            state.deallocate()
            throw PublicaError(.internal, "libxml2 could not create a parser")
        }
        self.context = context
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))
        state.pointee.parser = context
    }

    deinit {
        if let document = context.pointee.myDoc { xmlFreeDoc(document) }
        xmlFreeParserCtxt(context)
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// The line the parser has reached.
    public var line: Int { state.pointee.line }

    /// Parses a chunk of the document; `nil` (or an empty chunk) ends it. Throws the first error.
    public func parse(_ bytes: UnsafeRawBufferPointer?) throws {
        guard !finished else { return }
        if let bytes, bytes.count > 0 {
            xmlParseChunk(context, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count), 0)
        } else {
            finished = true
            xmlParseChunk(context, nil, 0, 1)
        }
        if let failure = state.pointee.failure { throw failure }
        if let error = state.pointee.parseError { throw error }
        if finished && context.pointee.wellFormed == 0 {
            throw PublicaError(.data, "malformed XML", at: SourceLocation(file: state.pointee.source))
        }
    }
}
