import PublicaCore

/// Turns SDMX-ML 2.1 data messages into one record per observation.
///
/// GenericData: `SeriesKey/Value` and `ObsKey/Value` (id, value) give dimensions,
/// `ObsDimension` the observation dimension (named by the header's `dimensionAtObservation`),
/// `ObsValue` the value, `Attributes/Value` the attributes. StructureSpecificData: the same
/// as XML attributes on `Series` and `Obs`. The value is `OBS_VALUE`, an exact decimal (null
/// for `NaN` or empty). Header fields (ID, Prepared, Sender) become metadata. A footer message
/// with no observations (Eurostat's "the response will be written to a file") is an error,
/// never an empty table.
struct SDMXMapper {
    private enum Target { case none, seriesKey, seriesAttributes, obsKey, obsAttributes }

    var fields = FieldTable()
    var assembly = RecordAssembly()
    /// Observations made from the current chunk.
    var output: [XMLOutput] = []
    var metadata: [(path: String, value: String)] = []
    private(set) var observations = 0
    /// Footer messages: code and texts.
    private(set) var footer: [String] = []

    private var stack: [String] = []
    private var text = TextBuffer()
    private var dimensionAtObservation = "TIME_PERIOD"
    private var seriesKey: [(String, String)] = []
    private var seriesAttributes: [(String, String)] = []
    private var observationKey: [(String, String)] = []
    private var observationAttributes: [(String, String)] = []
    private var observationValue: String?
    private var target = Target.none
    private var inObservation = false
    private var inGroup = false
    private var inHeader = false

    /// Bytes of the text node being read.
    var textCount: Int { text.count }

    mutating func text(_ bytes: UnsafePointer<UInt8>, count: Int, cdata: Bool) {
        text.appendText(bytes, count: count, cdata: cdata)
    }

    /// Frees the text buffer; called once by the parser's owner.
    func release() { text.release() }

    mutating func start(_ name: XMLName, attributes: XMLAttributes, line: Int) {
        let local = name.localString
        stack.append(local)
        text.removeAll()
        if inGroup { return }
        switch local {
        case "Header": inHeader = true
        case "Structure" where inHeader:
            if let dimension = attributes.value(of: "dimensionAtObservation"), dimension != "AllDimensions" {
                dimensionAtObservation = dimension
            }
        case "Sender" where inHeader:
            if let id = attributes.value(of: "id") { metadata.append(("Sender", id)) }
        case "Group": inGroup = true
        case "Series":
            seriesKey = SDMXMapper.dataAttributes(attributes)
            seriesAttributes.removeAll(keepingCapacity: true)
        case "SeriesKey": target = .seriesKey
        case "ObsKey": target = .obsKey
        case "Attributes": target = inObservation ? .obsAttributes : .seriesAttributes
        case "Obs":
            inObservation = true
            observationKey.removeAll(keepingCapacity: true)
            observationAttributes.removeAll(keepingCapacity: true)
            observationValue = nil
            assembly.begin(line: line)
            for (id, value) in SDMXMapper.dataAttributes(attributes) {
                if id == "OBS_VALUE" { observationValue = value } else { observationKey.append((id, value)) }
            }
        case "ObsDimension":
            if let value = attributes.value(of: "value") {
                observationKey.append((attributes.value(of: "id") ?? dimensionAtObservation, value))
            }
        case "ObsValue":
            observationValue = attributes.value(of: "value")
        case "Value":
            guard let id = attributes.value(of: "id"), let value = attributes.value(of: "value") else { break }
            switch target {
            case .seriesKey: seriesKey.append((id, value))
            case .seriesAttributes: seriesAttributes.append((id, value))
            case .obsKey: observationKey.append((id, value))
            case .obsAttributes: observationAttributes.append((id, value))
            case .none: break
            }
        case "Message":
            if let code = attributes.value(of: "code") { footer.append("code \(code)") }
        default: break
        }
    }

    mutating func end(source: String, line: Int) {
        if let result = endElement(source: source, line: line) { output.append(result) }
    }

    private mutating func endElement(source: String, line: Int) -> XMLOutput? {
        let local = stack.removeLast()
        defer { text.removeAll() }
        if inGroup {
            if local == "Group" { inGroup = false }
            return nil
        }
        switch local {
        case "Header": inHeader = false
        case "ID" where inHeader, "Prepared" where inHeader, "Test" where inHeader, "DataSetID" where inHeader:
            metadata.append((local, text.string))
        case "Text" where stack.contains("Footer"):
            footer.append(text.string)
        case "SeriesKey", "ObsKey", "Attributes": target = .none
        case "Obs":
            inObservation = false
            observations += 1
            return finishObservation(source: source, line: line)
        default: break
        }
        return nil
    }

    /// Series dimensions, the observation's dimensions, the value, then attributes, as first met.
    private mutating func finishObservation(source: String, line: Int) -> XMLOutput {
        for (id, value) in seriesKey + observationKey { assembly.set(id, index: fields.index(of: id), .text(value)) }
        let value: FieldValue
        if let text = observationValue, !text.isEmpty, text != "NaN" {
            value = ExactDecimal(text).map(FieldValue.decimal) ?? .text(text)
        } else {
            value = .null
        }
        if case .null = value {
            // Keep the field's place even when the value is missing.
            _ = fields.index(of: "OBS_VALUE")
        } else {
            assembly.set("OBS_VALUE", index: fields.index(of: "OBS_VALUE"), value)
        }
        for (id, value) in seriesAttributes + observationAttributes {
            assembly.set(id, index: fields.index(of: id), .text(value))
        }
        return assembly.finish(fields: fields, source: source, endLine: line)
    }

    /// Unprefixed attributes, which StructureSpecificData uses for dimensions and attributes.
    private static func dataAttributes(_ attributes: XMLAttributes) -> [(String, String)] {
        attributes.unprefixed
    }
}
