import PublicaCore
import PublicaIngest
import PublicaJSON
import PublicaXML

/// Reads the records of a fetch folder (``Fetcher``), page after page, in page order: the
/// `fetched` source format, which is also what `--replay` reads.
///
/// The fields are those of the first page with records; a later page's field that they lack is
/// rejected with its record, never dropped. Each record's place is its page's URL (secrets
/// redacted) and its line there (JSON: its item number). At the end the records received are
/// checked against the service's `totalCount`: a difference stops the run before anything is
/// published, with each page's count. A download (`paging: none`) is read as the file it is,
/// each record's place the URL and its line there.
public final class FetchedSource: RecordSource {
    /// The source's resource name (the fetch folder's name).
    public let resourceName: String
    /// The first page's fields.
    public private(set) var schema = RecordSchema(fieldNames: [])
    private let folder: String
    private let manifest: FetchManifest
    private let options: SourceOptions
    private var pageIndex = -1
    private var page: PageRecords?
    /// Per page, records received (rejected ones included).
    private var counts: [Int] = []
    private var recordNumber = 0
    /// A download's reader (`paging: none`), nil for a paged service.
    private var download: (any RecordSource)?

    /// Opens the fetch folder `folder` and reads up to its first page with records; a download
    /// is opened with `reading` (path, format, options).
    public init(
        folder: String, options: SourceOptions,
        reading: (String, String, SourceOptions) throws -> any RecordSource
    ) throws {
        self.folder = folder
        self.options = options
        manifest = try FetchManifest.read(folder: folder)
        resourceName = SourceOptions.resourceName(for: folder)
        if manifest.paging == "none", let page = manifest.pages.first {
            download = try relocated(page.url) { try reading(folder + "/" + page.file, manifest.format, options) }
            schema = download!.schema
            return
        }
        var peek = 0
        while peek < manifest.pages.count {
            let opened = try open(peek)
            if !opened.fieldNames.isEmpty {
                schema = RecordSchema(fieldNames: opened.fieldNames)
                break
            }
            peek += 1
        }
    }

    /// Pages read and the service's total, for the report.
    public var counters: [(name: String, value: Int)] {
        [("pages", manifest.pages.count)] + (manifest.totalCount.map { [("totalCount", $0)] } ?? [])
    }

    /// The next record, its place its page's; nil after the last page, once the count is checked.
    public func next(onReject: (Rejection) throws -> Void) throws -> Record? {
        if download != nil { return try nextDownloaded(onReject: onReject) }
        while true {
            let url = pageIndex >= 0 ? manifest.pages[pageIndex].url : ""
            // A page's own rejections: counted with the page, placed at its URL.
            let pageReject = { (rejection: Rejection) throws in
                var rejection = rejection
                self.counts[self.pageIndex] += 1
                self.recordNumber += 1
                rejection.provenance = Provenance(
                    source: url, line: rejection.provenance.line, recordNumber: self.recordNumber)
                try onReject(rejection)
            }
            if let page, let (values, line) = try page.next(onReject: pageReject) {
                counts[pageIndex] += 1
                recordNumber += 1
                let place = Provenance(source: url, line: line, recordNumber: recordNumber)
                if let rejection = page.unknownField(values, schema: schema, place: place) {
                    try onReject(rejection)
                    continue
                }
                return Record(values: page.arrange(values, into: schema), provenance: place)
            }
            guard pageIndex + 1 < manifest.pages.count else {
                try checkTotal()
                return nil
            }
            pageIndex += 1
            counts.append(0)
            page = try open(pageIndex)
        }
    }

    private func open(_ index: Int) throws -> PageRecords {
        let entry = manifest.pages[index]
        let path = folder + "/" + entry.file
        return try relocated(entry.url) {
            switch (manifest.paging, manifest.format) {
            case ("odcloud", _): return try JSONPageRecords(path: path) { $0["data"] }
            case ("kosis", _): return try JSONPageRecords(path: path) { $0 }
            case ("seoul", "json"): return try JSONPageRecords(path: path) { SeoulPreset.service($0)?["row"] }
            case ("seoul", _):
                let xml = XMLReadOptions(recordPath: RecordPath("//row"), limits: options.limits)
                return XMLPageRecords(try XMLRecordSource(path: path, options: xml))
            case (_, "json"):
                return try JSONPageRecords(path: path) { ($0["response"] ?? $0)["body"]?["items"]?["item"] }
            default:
                var xml = XMLReadOptions(limits: options.limits)
                xml.preset = .datagokr
                return XMLPageRecords(try XMLRecordSource(path: path, options: xml))
            }
        }
    }

    /// A downloaded file's next record, placed at the URL rather than the file the run saved.
    private func nextDownloaded(onReject: (Rejection) throws -> Void) throws -> Record? {
        let url = manifest.pages[0].url
        let record = try relocated(url) {
            try download!.next { rejection in
                var rejection = rejection
                rejection.provenance.source = url
                try onReject(rejection)
            }
        }
        guard var record else { return nil }
        record.provenance.source = url
        return record
    }

    /// `body`, its errors placed at `url` (with their line and column), not the folder the run saved in.
    private func relocated<T>(_ url: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as PublicaError {
            error.location = SourceLocation(file: url, line: error.location?.line, column: error.location?.column)
            throw error
        }
    }

    /// The name the service gives its total, for the message when the records do not reach it.
    private var totalName: String {
        ["seoul": "list_total_count", "odcloud": "matchCount"][manifest.paging] ?? "totalCount"
    }

    private func checkTotal() throws {
        guard let total = manifest.totalCount else { return }
        let received = counts.reduce(0, +)
        guard received != total else { return }
        let pages = counts.enumerated().map { "page \($0.offset + 1): \($0.element)" }.joined(separator: ", ")
        throw PublicaError(
            .data,
            "received \(received) records, but the service's \(totalName) is \(total) (\(pages)); nothing is published",
            at: SourceLocation(file: manifest.url))
    }
}

/// One page's records, as values by the page's own field names.
protocol PageRecords: AnyObject {
    var fieldNames: [String] { get }
    /// The next record's values (by ``fieldNames``) and line, or nil at the page's end.
    func next(onReject: (Rejection) throws -> Void) throws -> ([FieldValue], Int)?
}

extension PageRecords {
    /// A rejection when the record has a value in a field the source's fields lack.
    func unknownField(_ values: [FieldValue], schema: RecordSchema, place: Provenance) -> Rejection? {
        for (index, name) in fieldNames.enumerated() where !schema.fieldNames.contains(name) {
            guard index < values.count, values[index] != .null else { continue }
            return Rejection(
                rawValues: values.map { $0.textValue ?? "" }, fieldNames: fieldNames, provenance: place, field: name,
                rule: "unknown-field",
                message:
                    "field '\(name)' is not among the fields of the first page (\(schema.fieldNames.joined(separator: ", ")))"
            )
        }
        return nil
    }

    /// The values in the source's field order, null where this page has no such field.
    func arrange(_ values: [FieldValue], into schema: RecordSchema) -> [FieldValue] {
        if fieldNames == schema.fieldNames { return values }
        return schema.fieldNames.map { name in
            fieldNames.firstIndex(of: name).flatMap { $0 < values.count ? values[$0] : nil } ?? .null
        }
    }
}

/// An XML page, through the streaming reader with the `datagokr` preset.
final class XMLPageRecords: PageRecords {
    private let reader: XMLRecordSource
    let fieldNames: [String]

    init(_ reader: XMLRecordSource) {
        self.reader = reader
        fieldNames = reader.schema.fieldNames
    }

    func next(onReject: (Rejection) throws -> Void) throws -> ([FieldValue], Int)? {
        try reader.next(onReject: onReject).map { ($0.values, $0.provenance.line) }
    }
}

/// A JSON page: the records `items` finds in the document (data.go.kr: `response.body.items.item`)
/// as an array, one object, or empty (`""`, missing).
final class JSONPageRecords: PageRecords {
    private let items: [FieldValue]
    private var position = 0
    let fieldNames: [String]

    init(path: String, items find: (FieldValue) -> FieldValue?) throws {
        let document = try JSONDocument.read(path: path)
        let item = find(document)
        switch item {
        case .list(let list)?: items = list
        case .object?: items = [item!]
        default: items = []
        }
        if case .object(let pairs)? = items.first { fieldNames = pairs.map(\.key) } else { fieldNames = [] }
    }

    func next(onReject: (Rejection) throws -> Void) throws -> ([FieldValue], Int)? {
        guard position < items.count else { return nil }
        position += 1
        guard case .object(let pairs) = items[position - 1] else {
            return (Array(repeating: .null, count: fieldNames.count), position)
        }
        var values = Array(repeating: FieldValue.null, count: fieldNames.count)
        var extra: [String] = []
        for pair in pairs {
            if let index = fieldNames.firstIndex(of: pair.key) {
                values[index] = pair.value
            } else {
                extra.append(pair.key)
            }
        }
        if let name = extra.first {
            try onReject(
                Rejection(
                    rawValues: pairs.map { $0.value.textValue ?? "" }, fieldNames: pairs.map(\.key),
                    provenance: Provenance(source: "", line: position, recordNumber: position), field: name,
                    rule: "unknown-field", message: "field '\(name)' is not among the page's first item's fields"))
            return try next(onReject: onReject)
        }
        return (values, position)
    }
}
