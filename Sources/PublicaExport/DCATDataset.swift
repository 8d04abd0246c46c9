import Foundation
import PublicaCore
import PublicaJSON

/// A data package's catalogue record in DCAT-AP 3 (`dcat.jsonld`), as portals harvest it: the
/// dataset (title, description, keywords, publisher, contact point, coverage, landing page,
/// version, issued and modified dates) and one distribution per published file (format, media
/// type, byte size, SHA-256 checksum, licence, access and download URL).
///
/// The JSON-LD carries its own context (no network is needed to read it). A file's URL is
/// relative to `dcat.jsonld` itself, which sits beside it, unless ``baseURL`` is given.
public struct DCATDataset {
    /// The package described: its metadata and its entries (the distributions).
    public var package: DataPackage
    /// Where the published folder is served (`base_url:`), ending in `/`; nil for URLs relative
    /// to the document.
    public var baseURL: String?
    /// The day the dataset was first published (ISO 8601 date).
    public var issued: String
    /// The day of this release (ISO 8601 date).
    public var modified: String

    /// The record of `package`, first published on `issued`, this release made on `modified`.
    public init(package: DataPackage, baseURL: String?, issued: String, modified: String) {
        self.package = package
        self.baseURL = baseURL.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        self.issued = issued
        self.modified = modified
    }

    static let context: FieldValue = .object([
        ("dcat", "http://www.w3.org/ns/dcat#"), ("dct", "http://purl.org/dc/terms/"),
        ("foaf", "http://xmlns.com/foaf/0.1/"), ("vcard", "http://www.w3.org/2006/vcard/ns#"),
        ("spdx", "http://spdx.org/rdf/terms#"), ("xsd", "http://www.w3.org/2001/XMLSchema#"),
        ("rdfs", "http://www.w3.org/2000/01/rdf-schema#")
    ])

    /// The document as ordered JSON values.
    public var jsonLD: FieldValue {
        .object([("@context", DCATDataset.context), ("@graph", .list([dataset] + package.entries.map(distribution)))])
    }

    /// A published file's IRI: its name percent-encoded (a space or `#` in it stays in the name).
    private func url(_ path: String) -> String {
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "#?%"))
        return (baseURL ?? "") + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path)
    }

    private static func node(_ id: String, _ type: String) -> FieldValue {
        .object([("@id", .text(id)), ("@type", .text(type))])
    }

    private static func typed(_ text: String, _ type: String) -> FieldValue {
        .object([("@value", .text(text)), ("@type", .text(type))])
    }

    private static func date(_ text: String) -> FieldValue {
        typed(text, text.count == 4 ? "xsd:gYear" : text.count == 7 ? "xsd:gYearMonth" : "xsd:date")
    }

    private var datasetID: String { url("dcat.jsonld#dataset") }

    private var dataset: FieldValue {
        let title = package.title ?? package.name
        var pairs: [(key: String, value: FieldValue)] = [
            ("@id", .text(datasetID)), ("@type", "dcat:Dataset"), ("dct:title", .text(title)),
            (
                "dct:description",
                .text(package.description ?? "\(title): \(package.entries.count) files published with Publica")
            ),
            ("dct:identifier", .text(DataPackage.slug(package.name))),
            ("dct:issued", DCATDataset.date(issued)), ("dct:modified", DCATDataset.date(modified))
        ]
        if !package.keywords.isEmpty { pairs.append(("dcat:keyword", .list(package.keywords.map(FieldValue.text)))) }
        if let version = package.version { pairs.append(("dcat:version", .text(version))) }
        if let homepage = package.homepage {
            pairs.append(("dcat:landingPage", DCATDataset.node(homepage, "foaf:Document")))
        }
        if let publisher = package.publisher { pairs.append(("dct:publisher", agent(publisher))) }
        if let contact = package.contact ?? package.publisher.map({ ($0.name, $0.email, $0.url) }) {
            pairs.append(
                ("dcat:contactPoint", contactPoint(name: contact.name, email: contact.email, url: contact.url)))
        }
        if let temporal = package.temporal {
            var period: [(key: String, value: FieldValue)] = [("@type", "dct:PeriodOfTime")]
            if let start = temporal.start { period.append(("dcat:startDate", DCATDataset.date(start))) }
            if let end = temporal.end { period.append(("dcat:endDate", DCATDataset.date(end))) }
            pairs.append(("dct:temporal", .object(period)))
        }
        if let spatial = package.spatial {
            let isIRI = spatial.hasPrefix("http://") || spatial.hasPrefix("https://")
            pairs.append(
                (
                    "dct:spatial",
                    isIRI
                        ? DCATDataset.node(spatial, "dct:Location")
                        : .object([("@type", "dct:Location"), ("rdfs:label", .text(spatial))])
                ))
        }
        if !package.entries.isEmpty {
            pairs.append(
                (
                    "dcat:distribution",
                    .list(package.entries.map { .object([("@id", .text(url($0.path) + "#distribution"))]) })
                ))
        }
        return .object(pairs)
    }

    private func agent(_ publisher: (name: String, email: String?, url: String?)) -> FieldValue {
        var pairs: [(key: String, value: FieldValue)] = [("@type", "foaf:Agent"), ("foaf:name", .text(publisher.name))]
        if let email = publisher.email { pairs.append(("foaf:mbox", .object([("@id", .text("mailto:" + email))]))) }
        if let url = publisher.url { pairs.append(("foaf:homepage", DCATDataset.node(url, "foaf:Document"))) }
        return .object(pairs)
    }

    private func contactPoint(name: String, email: String?, url: String?) -> FieldValue {
        var pairs: [(key: String, value: FieldValue)] = [("@type", "vcard:Kind"), ("vcard:fn", .text(name))]
        if let email { pairs.append(("vcard:hasEmail", .object([("@id", .text("mailto:" + email))]))) }
        if let url { pairs.append(("vcard:hasURL", .object([("@id", .text(url))]))) }
        return .object(pairs)
    }

    private func distribution(_ entry: DataPackage.Entry) -> FieldValue {
        let fileURL = url(entry.path)
        var pairs: [(key: String, value: FieldValue)] = [
            ("@id", .text(fileURL + "#distribution")), ("@type", "dcat:Distribution"),
            ("dct:title", .text(entry.path)), ("dcat:accessURL", DCATDataset.node(fileURL, "rdfs:Resource")),
            ("dcat:downloadURL", DCATDataset.node(fileURL, "rdfs:Resource")),

            ("dcat:byteSize", DCATDataset.typed(String(entry.bytes), "xsd:nonNegativeInteger")),
            ("dct:issued", DCATDataset.date(issued)), ("dct:modified", DCATDataset.date(modified))
        ]
        // IANA registers text/csv, text/tab-separated-values, application/json; not NDJSON's x- type.
        let mediaType = DataPackage.mediaType(entry.format)
        if !mediaType.contains("/x-") && mediaType != "application/octet-stream" {
            pairs.append(("dcat:mediaType", DCATDataset.node(DCATDataset.mediaTypeIRI(entry.format), "dct:MediaType")))
        }
        if let format = DCATDataset.fileTypes[entry.format] {
            pairs.append(
                (
                    "dct:format",
                    DCATDataset.node(
                        "http://publications.europa.eu/resource/authority/file-type/" + format, "dct:MediaTypeOrExtent")
                ))
        }
        if let title = entry.title { pairs.append(("dct:description", .text(title))) }
        if !entry.sha256.isEmpty {
            pairs.append(
                (
                    "spdx:checksum",
                    .object([
                        ("@type", "spdx:Checksum"),
                        ("spdx:algorithm", DCATDataset.node("spdx:checksumAlgorithm_sha256", "spdx:ChecksumAlgorithm")),
                        ("spdx:checksumValue", DCATDataset.typed(entry.sha256, "xsd:hexBinary"))
                    ])
                ))
        }
        if let license = package.licenses.first {
            pairs.append(
                (
                    "dct:license",
                    .object([
                        ("@id", .text(license.path)), ("@type", "dct:LicenseDocument"),
                        ("rdfs:label", .text(license.title))
                    ])
                ))
        }
        return .object(pairs)
    }

    /// The EU file-type authority's names of Publica's formats (NDJSON has none of its own).
    static let fileTypes = ["csv": "CSV", "tsv": "TSV", "json": "JSON", "sqlite": "SQLITE", "parquet": "PARQUET"]

    /// The IANA media type as the IRI DCAT-AP expects.
    static func mediaTypeIRI(_ format: String) -> String {
        "https://www.iana.org/assignments/media-types/" + DataPackage.mediaType(format)
    }

    /// Writes `dcat.jsonld` at `path`, atomically (pretty-printed: people read it too).
    public func write(to path: String, publication: Publication? = nil) throws {
        var output = OutputBuffer(file: try OutputFile(path: path, publication: publication))
        try output.append(JSONText.pretty(jsonLD) + "\n")
        try output.commitFile()
    }
}
