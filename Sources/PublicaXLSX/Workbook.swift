import Foundation
import PublicaCore
import PublicaXML

/// A workbook's parts that every sheet needs: the sheet list, the date system and the styles'
/// number formats; the shared strings are read on request (``loadSharedStrings()``), so a
/// reader can inflate them while it prepares the sheet.
final class Workbook {
    struct Sheet {
        let name: String
        let part: String
        let state: String
    }

    let package: WorkbookPackage
    let path: String
    let sheets: [Sheet]
    let uses1904: Bool
    let styles: [NumberFormat.Kind]
    /// The shared strings' part, if the workbook has one.
    private let sharedStringsPart: String?

    /// The shared strings and the bytes of their text (for the note that says what is held).
    struct SharedStrings {
        var strings: [String] = []
        var byteCount = 0
    }

    init(path: String, limits: XLSXLimits) throws {
        self.path = path
        let package = try WorkbookPackage(path: path, limits: limits)
        self.package = package
        let workbookPart = try Workbook.mainPart(package)
        let workbook = WorkbookHandler()
        try parsePart(try package.read(workbookPart), name: "\(path):\(workbookPart)", handler: workbook)
        guard workbook.rootName == "workbook" else {
            throw PublicaError(
                .data, "not a workbook: the package's main part is <\(workbook.rootName ?? "nothing")>, not <workbook>",
                at: SourceLocation(file: "\(path):\(workbookPart)"))
        }
        let relationships = RelationshipsHandler()
        let relationshipsPart = PartPath.relationships(of: workbookPart)
        if package.has(relationshipsPart) {
            try parsePart(
                try package.read(relationshipsPart), name: "\(path):\(relationshipsPart)", handler: relationships)
        }
        sheets = workbook.sheets.compactMap { sheet in
            guard let target = relationships.byID[sheet.relationshipID]?.target,
                let part = PartPath.resolve(target, from: workbookPart)
            else { return nil }
            return Sheet(name: sheet.name, part: part, state: sheet.state)
        }
        uses1904 = workbook.uses1904
        styles = try Workbook.styles(package, relationships, workbookPart: workbookPart)
        sharedStringsPart = relationships.target(ofType: "sharedStrings")
            .flatMap { PartPath.resolve($0, from: workbookPart) }
            .flatMap { package.has($0) ? $0 : nil }
    }

    /// The office document the package's root relationships name; refuses a package without one
    /// (a zip that is not an OOXML document at all).
    private static func mainPart(_ package: WorkbookPackage) throws -> String {
        let root = RelationshipsHandler()
        if package.has("_rels/.rels") {
            try parsePart(try package.read("_rels/.rels"), name: "\(package.path):_rels/.rels", handler: root)
        }
        guard let target = root.target(ofType: "officeDocument"), let part = PartPath.resolve(target, from: ""),
            package.has(part)
        else {
            if package.has("xl/workbook.xml") { return "xl/workbook.xml" }
            throw PublicaError(
                .data, "not a workbook: the zip has no xl/workbook.xml (nor a main document relationship)",
                at: SourceLocation(file: package.path))
        }
        return part
    }

    private static func styles(
        _ package: WorkbookPackage, _ relationships: RelationshipsHandler, workbookPart: String
    ) throws -> [NumberFormat.Kind] {
        guard let target = relationships.target(ofType: "styles"),
            let part = PartPath.resolve(target, from: workbookPart), package.has(part)
        else { return [] }
        let handler = StylesHandler()
        try parsePart(try package.read(part), name: "\(package.path):\(part)", handler: handler)
        return handler.kinds
    }

    /// The shared strings, inflated straight into the parser (never whole as XML).
    func loadSharedStrings() throws -> SharedStrings {
        guard let part = sharedStringsPart else { return SharedStrings() }
        let handler = SharedStringsHandler()
        let parser = try XMLEventParser(source: "\(package.path):\(part)", handler: handler)
        try package.inflate(part, maxBytes: package.limits.maxSharedStringsBytes) { chunk in
            try chunk.withUnsafeBytes { try parser.parse($0) }
        }
        try parser.parse(nil)
        return SharedStrings(strings: handler.strings, byteCount: handler.byteCount)
    }

    /// The sheet by name (exact, then ignoring case) or 1-based position; the first without one.
    /// An unknown one is a usage error (exit 64) listing the sheets there are.
    func sheet(named wanted: String?) throws -> Sheet {
        guard !sheets.isEmpty else {
            throw PublicaError(.data, "the workbook has no worksheets", at: SourceLocation(file: path))
        }
        guard let wanted else { return sheets[0] }
        if let sheet = sheets.first(where: { $0.name == wanted })
            ?? sheets.first(where: { $0.name.lowercased() == wanted.lowercased() })
        {
            return sheet
        }
        if let index = Int(wanted), sheets.indices.contains(index - 1) { return sheets[index - 1] }
        throw PublicaError(
            .usage,
            "no sheet '\(wanted)' in \(path); it has \(sheets.map { "'\($0.name)'" }.joined(separator: ", ")) "
                + "({--sheet} takes a name or a 1-based position)")
    }
}
