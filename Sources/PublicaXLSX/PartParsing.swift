import Foundation
import PublicaCore
import PublicaXML

/// Parses a whole small part (already inflated) with `handler`.
func parsePart(_ data: Data, name: String, handler: some XMLEventHandler) throws {
    let parser = try XMLEventParser(source: name, handler: handler)
    try data.withUnsafeBytes { try parser.parse($0) }
    try parser.parse(nil)
}

/// Relationships (`*.rels`): id → target, type; external ones are dropped, never followed.
final class RelationshipsHandler: XMLEventHandler {
    struct Relationship {
        let type: String
        let target: String
    }
    private(set) var byID: [String: Relationship] = [:]

    func start(element: XMLElementName, attributes: XMLElementAttributes) {
        guard element.is("Relationship"), let id = attributes.value(of: "Id"),
            let target = attributes.value(of: "Target"), attributes.value(of: "TargetMode") != "External"
        else { return }
        byID[id] = Relationship(type: attributes.value(of: "Type") ?? "", target: target)
    }

    func end(element: XMLElementName) {}
    func text(_ bytes: UnsafeBufferPointer<UInt8>) {}

    /// The first relationship whose type ends with `/suffix`.
    func target(ofType suffix: String) -> String? {
        byID.values.filter { $0.type.hasSuffix("/" + suffix) }.map(\.target).sorted().first
    }
}

/// `workbook.xml`: the sheets in order and the date system.
final class WorkbookHandler: XMLEventHandler {
    struct Sheet {
        let name: String
        let relationshipID: String
        let state: String
    }
    private(set) var sheets: [Sheet] = []
    private(set) var uses1904 = false
    private(set) var rootName: String?

    func start(element: XMLElementName, attributes: XMLElementAttributes) {
        if rootName == nil { rootName = element.string }
        if element.is("workbookPr"), let value = attributes.value(of: "date1904") {
            uses1904 = value == "1" || value == "true"
        } else if element.is("sheet"), let name = attributes.value(of: "name"), let id = attributes.value(of: "id") {
            sheets.append(Sheet(name: name, relationshipID: id, state: attributes.value(of: "state") ?? "visible"))
        }
    }

    func end(element: XMLElementName) {}
    func text(_ bytes: UnsafeBufferPointer<UInt8>) {}
}

/// `styles.xml`: each cell style's number format, as the kind of value it makes.
final class StylesHandler: XMLEventHandler {
    private var customFormats: [Int: String] = [:]
    private var formatIDs: [Int] = []
    private var inCellXfs = false

    func start(element: XMLElementName, attributes: XMLElementAttributes) {
        if element.is("numFmt"), let id = attributes.value(of: "numFmtId").flatMap(Int.init),
            let code = attributes.value(of: "formatCode")
        {
            customFormats[id] = code
        } else if element.is("cellXfs") {
            inCellXfs = true
        } else if inCellXfs && element.is("xf") {
            formatIDs.append(attributes.value(of: "numFmtId").flatMap(Int.init) ?? 0)
        }
    }

    func end(element: XMLElementName) {
        if element.is("cellXfs") { inCellXfs = false }
    }

    func text(_ bytes: UnsafeBufferPointer<UInt8>) {}

    /// The kind of each cell style (`s` attribute), by index.
    var kinds: [NumberFormat.Kind] {
        formatIDs.map { NumberFormat.kind(id: $0, code: customFormats[$0]) }
    }
}

/// Resolves a relationship target against the part that owns it, inside the package only.
enum PartPath {
    /// `xl/worksheets/sheet1.xml` for target `worksheets/sheet1.xml` of `xl/workbook.xml`;
    /// nil when the target climbs out of the package.
    static func resolve(_ target: String, from owner: String) -> String? {
        var parts: [Substring]
        if target.hasPrefix("/") {
            parts = []
        } else {
            parts = owner.split(separator: "/")
            if !parts.isEmpty { parts.removeLast() }
        }
        for component in target.split(separator: "/") {
            switch component {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(component)
            }
        }
        return parts.joined(separator: "/")
    }

    /// The relationships part of `part`: `xl/_rels/workbook.xml.rels` for `xl/workbook.xml`.
    static func relationships(of part: String) -> String {
        var parts = part.split(separator: "/").map(String.init)
        let name = parts.removeLast()
        return (parts + ["_rels", name + ".rels"]).joined(separator: "/")
    }
}
