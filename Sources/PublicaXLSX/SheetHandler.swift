import PublicaCore
import PublicaXML

/// Turns a worksheet's SAX events into ``SheetRow``s, queued until the source takes them.
///
/// Cell types (ECMA-376 §18.18.11): `s` shared string, `inlineStr`, `str` (a formula's text),
/// `b` boolean, `e` error, `d` ISO date, and `n` (or none) a number, which the cell's style may
/// make a date. A formula's value is its cached `<v>`; one without is counted and left missing.
final class SheetHandler: XMLEventHandler {
    let location: String
    let sharedStrings: [String]
    let styles: [NumberFormat.Kind]
    let uses1904: Bool
    /// Rows past this one are not needed (a `range` ends there): the parse may stop.
    let lastRow: Int
    /// False for the pass that only looks for the merged ranges.
    let keepsRows: Bool
    private(set) var rows: [SheetRow] = []
    private(set) var failure: PublicaError?
    /// Formula cells without a cached value: how many, and the first (counted, not kept, so a
    /// sheet of them costs no memory).
    private(set) var formulasWithoutValue = 0
    private(set) var firstFormulaWithoutValue: CellReference?
    private(set) var formulaCount = 0
    private(set) var mergedRanges: [CellRange] = []
    private(set) var pastLastRow = false

    private var row: SheetRow?
    private var cell = CellState()
    private var inSheetData = false
    private var lastNumber = 0

    /// What is known of the open `<c>`.
    struct CellState {
        var reference = CellReference(column: 1, row: 1)
        var type = CellType.number
        var style = 0
        var text: [UInt8] = []
        var hasValue = false
        var hasFormula = false
        var capturing = false
        var phoneticDepth = 0
        var previousColumn = 0
    }

    init(
        location: String, sharedStrings: [String], styles: [NumberFormat.Kind], uses1904: Bool, lastRow: Int,
        keepsRows: Bool = true
    ) {
        self.keepsRows = keepsRows
        self.location = location
        self.sharedStrings = sharedStrings
        self.styles = styles
        self.uses1904 = uses1904
        self.lastRow = lastRow
    }

    /// Hands over the rows read so far.
    func takeRows() -> [SheetRow] {
        defer { rows.removeAll(keepingCapacity: true) }
        return rows
    }

    func start(element: XMLElementName, attributes: XMLElementAttributes) {
        guard failure == nil, !pastLastRow else { return }
        if element.is("sheetData") {
            inSheetData = true
        } else if inSheetData && element.is("row") {
            startRow(attributes)
        } else if row != nil && element.is("c") {
            startCell(attributes)
        } else if row != nil {
            startInCell(element)
        } else if element.is("mergeCell"), let ref = attributes.value(of: "ref"), let range = CellRange(ref) {
            mergedRanges.append(range)
        }
    }

    func end(element: XMLElementName) {
        guard failure == nil, !pastLastRow else { return }
        if element.is("sheetData") {
            inSheetData = false
        } else if element.is("row"), let finished = row {
            if keepsRows { rows.append(finished) }
            lastNumber = finished.number
            row = nil
        } else if row != nil && element.is("c") {
            finishCell()
        } else if element.is("rPh") {
            cell.phoneticDepth -= 1
        } else if element.is("v") || element.is("t") {
            cell.capturing = false
        }
    }

    func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        if cell.capturing { cell.text.append(contentsOf: bytes) }
    }

    private func startRow(_ attributes: XMLElementAttributes) {
        let previous = lastNumber
        let number = attributes.bytes(of: "r").flatMap(SheetHandler.integer) ?? previous + 1
        guard number <= lastRow else {
            pastLastRow = true
            return
        }
        row = SheetRow(number: number)
        cell.previousColumn = 0
    }

    private func startCell(_ attributes: XMLElementAttributes) {
        let number = row!.number
        if let ref = attributes.bytes(of: "r") {
            guard let reference = CellReference(utf8: ref), reference.row == number else {
                fail("cell reference '\(String(decoding: ref, as: UTF8.self))' is not a cell of row \(number)", at: nil)
                return
            }
            cell.reference = reference
        } else {
            cell.reference = CellReference(column: cell.previousColumn + 1, row: number)
        }
        cell.previousColumn = cell.reference.column
        cell.type = CellType(attributes.bytes(of: "t"))
        cell.style = attributes.bytes(of: "s").flatMap(SheetHandler.integer) ?? 0
        cell.text.removeAll(keepingCapacity: true)
        cell.hasValue = false
        cell.hasFormula = false
        cell.capturing = false
        cell.phoneticDepth = 0
    }

    private func startInCell(_ element: XMLElementName) {
        if element.is("v") {
            cell.capturing = true
            cell.hasValue = true
        } else if element.is("f") {
            cell.hasFormula = true
        } else if element.is("rPh") {
            cell.phoneticDepth += 1
        } else if element.is("t") && cell.phoneticDepth == 0 && cell.type == .inlineString {
            cell.capturing = true
            cell.hasValue = true
        }
    }

    private func finishCell() {
        guard keepsRows else { return }
        if cell.hasFormula { formulaCount += 1 }
        guard cell.hasValue else {
            if cell.hasFormula {
                formulasWithoutValue += 1
                if firstFormulaWithoutValue == nil { firstFormulaWithoutValue = cell.reference }
            }
            return
        }
        switch CellDecoder.decode(
            type: cell.type, text: cell.text, kind: styles.indices.contains(cell.style) ? styles[cell.style] : .number,
            sharedStrings: sharedStrings, uses1904: uses1904)
        {
        case .value(let value):
            row!.cells.append((cell.reference.column, value))
        case .problem(let message):
            row!.problems.append((cell.reference, message))
        case .fatal(let message):
            fail(message, at: cell.reference)
        }
    }

    /// A non-negative decimal attribute (`r="7"`, `s="3"`), as `Int(text)` reads one; nil for
    /// anything else.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else {
            return bytes.isEmpty ? nil : Int(String(decoding: bytes, as: UTF8.self))
        }
        var value = 0
        for byte in bytes {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return Int(String(decoding: bytes, as: UTF8.self)) }
            value = value * 10 + Int(digit)
        }
        return value
    }

    private func fail(_ message: String, at reference: CellReference?) {
        guard failure == nil else { return }
        failure = PublicaError(
            .data, message, at: SourceLocation(file: location + (reference.map { "!\($0)" } ?? "")))
    }
}
