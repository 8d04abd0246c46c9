import PublicaCore

/// How an XML file becomes records.
public struct XMLReadOptions: Sendable {
    /// A reading preset for a family of documents.
    public enum Preset: String, Sendable, CaseIterable {
        /// Korea's public data portal: the `response/header` + `body/items/item` envelope, result
        /// codes checked, paging kept as metadata; also the older `cmmMsgHeader` envelopes.
        case datagokr
        /// SDMX-ML 2.1 data messages (GenericData and StructureSpecificData): one record per observation.
        case sdmx
    }

    /// The element that is one record; required unless a preset decides it.
    public var recordPath: RecordPath?
    /// A family of documents whose records and checks are known; nil for a plain record path.
    public var preset: Preset?
    /// Records read before the field list is fixed; later records with a new field are rejected.
    public var schemaSampleSize: Int
    /// Bytes handed to libxml2 per call (64–256 KiB measured best).
    public var chunkSize: Int
    /// The longest text node or record, and the most distinct fields, before the read stops.
    public var limits: ReadLimits

    /// Options with the defaults: the first 1,000 records fix the fields, 256 KiB per parser call.
    public init(
        recordPath: RecordPath? = nil, preset: Preset? = nil, schemaSampleSize: Int = 1000,
        chunkSize: Int = 256 << 10, limits: ReadLimits = ReadLimits()
    ) {
        self.recordPath = recordPath
        self.preset = preset
        self.schemaSampleSize = schemaSampleSize
        self.chunkSize = chunkSize
        self.limits = limits
    }
}
