internal import CLibXML2
import PublicaCore

/// The state the libxml2 callbacks reach through their context pointer.
///
/// A struct behind a stable pointer, not a class: class state costs a retain, a release and an
/// exclusivity check per callback, which halves libxml2's throughput (PERFORMANCE notes).
struct SAXState {
    let source: String
    let preset: XMLReadOptions.Preset?
    let limits: ReadLimits
    var parser: xmlParserCtxtPtr?
    var generic: GenericMapper
    var sdmx = SDMXMapper()
    /// An error of Publica's own (a refused DOCTYPE, an API error envelope).
    var failure: PublicaError?
    /// The first error libxml2 reported.
    var parseError: PublicaError?
    var rootName = ""
    /// Open elements; libxml2 2.9's push parser does not enforce its own depth limit.
    var depth = 0
    static let maxDepth = 512

    var isSDMX: Bool { preset == .sdmx }

    var line: Int { SAXState.line(of: parser) }

    static func line(of parser: xmlParserCtxtPtr?) -> Int {
        parser.map { Int(xmlSAX2GetLineNumber(UnsafeMutableRawPointer($0))) } ?? 0
    }

    /// Records (or rejections) waiting to be handed on.
    var pendingCount: Int { isSDMX ? sdmx.output.count : generic.queue.count }

    mutating func start(_ name: XMLName, attributes: XMLAttributes) {
        depth += 1
        guard depth <= SAXState.maxDepth else {
            fail(
                PublicaError(
                    .data, "elements nested deeper than \(SAXState.maxDepth) levels (depth limit)",
                    at: SourceLocation(file: source, line: line)))
            return
        }
        if isSDMX {
            sdmx.start(name, attributes: attributes, line: line)
            return
        }
        if generic.depth == 0 {
            rootName = name.qualified
            if preset == .datagokr { chooseDataGoKrSelector(root: name) }
        }
        let parser = self.parser
        generic.start(name, attributes: attributes, line: { SAXState.line(of: parser) })
    }

    mutating func end() {
        depth -= 1
        if isSDMX {
            sdmx.end(source: source, line: line)
            if let name = sdmx.fields.overflow { failTooManyFields(name, record: nil) }
            return
        }
        let parser = self.parser
        generic.end(source: source, line: { SAXState.line(of: parser) })
        if let name = generic.fields.overflow { failTooManyFields(name, record: generic.recordNumber) }
        if generic.recordByteCount > limits.maxRecordBytes {
            fail(limits.recordTooLong("record \(generic.recordNumber)", at: SourceLocation(file: source, line: line)))
        }
        if preset == .datagokr && generic.depth == 1,
            let message = DataGoKrEnvelope.check(metadata: generic.metadata, root: rootName)
        {
            fail(PublicaError(.data, message, at: SourceLocation(file: source, line: line)))
        }
    }

    mutating func text(_ bytes: UnsafePointer<UInt8>, count: Int, cdata: Bool) {
        // Checked before the copy, so a giant text node never grows the buffer past the limit.
        let held = isSDMX ? sdmx.textCount : generic.textCount
        guard held + count <= limits.maxRecordBytes else {
            if failure == nil {
                fail(limits.recordTooLong("a text node", at: SourceLocation(file: source, line: line)))
            }
            return
        }
        if isSDMX {
            sdmx.text(bytes, count: count, cdata: cdata)
        } else {
            generic.text(bytes, count: count, cdata: cdata)
        }
    }

    /// A record brought one field more than ``ReadLimits/maxFields``.
    private mutating func failTooManyFields(_ name: String, record: Int?) {
        guard failure == nil else { return }
        let which = record.map { "record \($0)" } ?? "an observation"
        fail(
            PublicaError(
                .data,
                "\(which) brings a field past the limit of \(limits.maxFields) distinct fields "
                    + "(every record would be padded to all of them); {--max-fields} raises it",
                at: SourceLocation(file: source, line: line, field: name)))
    }

    /// Records the first failure and stops the parser.
    mutating func fail(_ error: PublicaError) {
        if failure == nil { failure = error }
        if let parser { xmlStopParser(parser) }
    }

    /// data.go.kr: the root element says which envelope this is.
    private mutating func chooseDataGoKrSelector(root: XMLName) {
        switch root.localString {
        case "response":
            generic.selector = .path(["response", "body", "items", "item"].map { (intern($0), nil) }, anyDepth: false)
        case "OpenAPI_ServiceResponse":
            generic.selector = .none
        default:
            generic.selector = .rootChildren(except: intern("cmmMsgHeader"))
        }
    }

    /// The parser dictionary's copy of `name`, so names compare by pointer.
    func intern(_ name: String) -> UnsafePointer<UInt8> {
        UnsafePointer(xmlDictLookup(parser!.pointee.dict, name, -1)!)
    }
}

/// A libxml2 SAX2 push parser with Publica's safety settings, owning every libxml2 resource.
///
/// Safety: no network (`XML_PARSE_NONET`), no entity substitution (no `XML_PARSE_NOENT`), no
/// DTD loading, and any `<!DOCTYPE` is refused outright: DTDs carry external entities (XXE) and
/// entity-expansion bombs, and no agency API response needs one. libxml2's own limits stay on
/// (nesting depth 256, text nodes 10 MB). Errors arrive through the structured handler and
/// become ``PublicaError``s with file, line and column; nothing is printed to stderr.
final class SAXParser {
    let state: UnsafeMutablePointer<SAXState>
    private let context: xmlParserCtxtPtr
    private var finished = false

    init(source: String, preset: XMLReadOptions.Preset?, recordPath: RecordPath?, limits: ReadLimits = ReadLimits())
        throws
    {
        xmlInitParser()
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = { context, localName, prefix, _, _, _, attributeCount, _, attributes in
            let state = context!.assumingMemoryBound(to: SAXState.self)
            state.pointee.start(
                XMLName(local: localName!, prefix: prefix),
                attributes: XMLAttributes(base: attributes, count: Int(attributeCount)))
        }
        handler.endElementNs = { context, _, _, _ in
            context!.assumingMemoryBound(to: SAXState.self).pointee.end()
        }
        handler.characters = { context, bytes, count in
            context!.assumingMemoryBound(to: SAXState.self).pointee.text(bytes!, count: Int(count), cdata: false)
        }
        handler.cdataBlock = { context, bytes, count in
            context!.assumingMemoryBound(to: SAXState.self).pointee.text(bytes!, count: Int(count), cdata: true)
        }
        handler.internalSubset = { context, _, _, _ in
            let state = context!.assumingMemoryBound(to: SAXState.self)
            state.pointee.fail(XMLRefusal.doctype(source: state.pointee.source, line: state.pointee.line))
        }
        handler.serror = { context, error in
            guard let context, let error else { return }
            let state = context.assumingMemoryBound(to: SAXState.self)
            guard state.pointee.parseError == nil else { return }
            state.pointee.parseError = XMLRefusal.malformed(error, source: state.pointee.source)
        }

        state = .allocate(capacity: 1)
        state.initialize(
            to: SAXState(source: source, preset: preset, limits: limits, generic: GenericMapper(selector: .none)))
        state.pointee.generic.fields.limit = limits.maxFields
        state.pointee.sdmx.fields.limit = limits.maxFields
        guard let context = xmlCreatePushParserCtxt(&handler, UnsafeMutableRawPointer(state), nil, 0, source) else {
            state.pointee.generic.release()
            state.pointee.sdmx.release()
            state.deinitialize(count: 1)
            state.deallocate()
            throw PublicaError(.internal, "libxml2 could not create a parser")
        }
        self.context = context
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))
        state.pointee.parser = context
        if let recordPath {
            state.pointee.generic.selector = .path(
                recordPath.components.map { (state.pointee.intern($0.local), $0.prefix.map(state.pointee.intern)) },
                anyDepth: recordPath.anyDepth)
        }
    }

    deinit {
        if let document = context.pointee.myDoc { xmlFreeDoc(document) }
        xmlFreeParserCtxt(context)
        state.pointee.generic.release()
        state.pointee.sdmx.release()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Parses a chunk of the document; `nil` ends it.
    func parse(_ bytes: UnsafeRawBufferPointer?) throws {
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

/// The two refusals both SAX parsers make, worded in one place.
enum XMLRefusal {
    /// A DOCTYPE at `line` of `source`: refused, since it carries external entities and expansion.
    static func doctype(source: String, line: Int) -> PublicaError {
        PublicaError(
            .data, "DOCTYPE declarations are refused: they carry external entities and entity expansion",
            at: SourceLocation(file: source, line: line))
    }

    /// libxml2's error as a located data error; nil for a warning.
    static func malformed(_ error: UnsafePointer<xmlError>, source: String) -> PublicaError? {
        guard error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return nil }
        let message = error.pointee.message.map { String(cString: $0) }?.trimmingSpaces ?? "malformed XML"
        return PublicaError(
            .data, "malformed XML: \(message)",
            at: SourceLocation(
                file: source, line: Int(error.pointee.line),
                column: error.pointee.int2 > 0 ? Int(error.pointee.int2) : nil))
    }
}
