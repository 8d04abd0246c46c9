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
    /// Rows past ``lastRow`` were met: the parse may stop.
    var pastLastRow: Bool { state.pastLastRow }
    /// What stopped the sheet (a cell reference outside its row, a missing shared string).
    var failure: PublicaError? { state.failure }
    /// Formula cells without a cached value: how many, and the first (counted, not kept, so a
    /// sheet of them costs no memory).
    var formulasWithoutValue: Int { state.formulasWithoutValue }
    var firstFormulaWithoutValue: CellReference? { state.firstFormulaWithoutValue }
    var formulaCount: Int { state.formulaCount }
    var mergedRanges: [CellRange] { state.mergedRanges }

    /// What the parse changes as it goes. It sits behind a pointer: the handler runs for every
    /// SAX event, and each touch of a class's stored `var` is checked for exclusive access at
    /// run time (a tenth of a large sheet's read time); a pointer's pointee is not.
    private struct State {
        var rows: [SheetRow] = []
        var failure: PublicaError?
        var formulasWithoutValue = 0
        var firstFormulaWithoutValue: CellReference?
        var formulaCount = 0
        var mergedRanges: [CellRange] = []
        var pastLastRow = false
        var row: SheetRow?
        var cell = CellState()
        var inSheetData = false
        var lastNumber = 0
        /// The previous row's cell count: a row's cells are reserved at once, not grown 1, 2, 4…
        var lastCellCount = 0
    }

    private let statePointer: UnsafeMutablePointer<State>
    private var state: State {
        unsafeAddress { UnsafePointer(statePointer) }
        unsafeMutableAddress { statePointer }
    }

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
        statePointer = .allocate(capacity: 1)
        statePointer.initialize(to: State())
    }

    deinit {
        statePointer.deinitialize(count: 1)
        statePointer.deallocate()
    }

    /// Hands over the state.rows read so far.
    func takeRows() -> [SheetRow] {
        defer { state.rows.removeAll(keepingCapacity: true) }
        return state.rows
    }

    func start(element: XMLElementName, attributes: XMLElementAttributes) {
        guard state.failure == nil, !state.pastLastRow else { return }
        if element.is("sheetData") {
            state.inSheetData = true
        } else if state.inSheetData && element.is("row") {
            startRow(attributes)
        } else if state.row != nil && element.is("c") {
            startCell(attributes)
        } else if state.row != nil {
            startInCell(element)
        } else if element.is("mergeCell"), let ref = attributes.value(of: "ref"), let range = CellRange(ref) {
            state.mergedRanges.append(range)
        }
    }

    func end(element: XMLElementName) {
        guard state.failure == nil, !state.pastLastRow else { return }
        if element.is("sheetData") {
            state.inSheetData = false
        } else if element.is("row"), let finished = state.row {
            if keepsRows { state.rows.append(finished) }
            state.lastNumber = finished.number
            state.lastCellCount = finished.cells.count
            state.row = nil
        } else if state.row != nil && element.is("c") {
            finishCell()
        } else if element.is("rPh") {
            state.cell.phoneticDepth -= 1
        } else if element.is("v") || element.is("t") {
            state.cell.capturing = false
        }
    }

    func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        if state.cell.capturing { state.cell.text.append(contentsOf: bytes) }
    }

    private func startRow(_ attributes: XMLElementAttributes) {
        let previous = state.lastNumber
        let number = attributes.bytes(of: "r").flatMap(SheetHandler.integer) ?? previous + 1
        guard number <= lastRow else {
            state.pastLastRow = true
            return
        }
        state.row = SheetRow(number: number)
        state.row!.cells.reserveCapacity(state.lastCellCount)
        state.cell.previousColumn = 0
    }

    private func startCell(_ attributes: XMLElementAttributes) {
        let number = state.row!.number
        if let ref = attributes.bytes(of: "r") {
            guard let reference = CellReference(utf8: ref), reference.row == number else {
                fail("cell reference '\(String(decoding: ref, as: UTF8.self))' is not a cell of row \(number)", at: nil)
                return
            }
            state.cell.reference = reference
        } else {
            state.cell.reference = CellReference(column: state.cell.previousColumn + 1, row: number)
        }
        state.cell.previousColumn = state.cell.reference.column
        state.cell.type = CellType(attributes.bytes(of: "t"))
        state.cell.style = attributes.bytes(of: "s").flatMap(SheetHandler.integer) ?? 0
        state.cell.text.removeAll(keepingCapacity: true)
        state.cell.hasValue = false
        state.cell.hasFormula = false
        state.cell.capturing = false
        state.cell.phoneticDepth = 0
    }

    private func startInCell(_ element: XMLElementName) {
        if element.is("v") {
            state.cell.capturing = true
            state.cell.hasValue = true
        } else if element.is("f") {
            state.cell.hasFormula = true
        } else if element.is("rPh") {
            state.cell.phoneticDepth += 1
        } else if element.is("t") && state.cell.phoneticDepth == 0 && state.cell.type == .inlineString {
            state.cell.capturing = true
            state.cell.hasValue = true
        }
    }

    private func finishCell() {
        guard keepsRows else { return }
        if state.cell.hasFormula { state.formulaCount += 1 }
        guard state.cell.hasValue else {
            if state.cell.hasFormula {
                state.formulasWithoutValue += 1
                if state.firstFormulaWithoutValue == nil { state.firstFormulaWithoutValue = state.cell.reference }
            }
            return
        }
        switch CellDecoder.decode(
            type: state.cell.type, text: state.cell.text,
            kind: styles.indices.contains(state.cell.style) ? styles[state.cell.style] : .number,
            sharedStrings: sharedStrings, uses1904: uses1904)
        {
        case .value(let value):
            state.row!.cells.append((state.cell.reference.column, value))
        case .problem(let message):
            state.row!.problems.append((state.cell.reference, message))
        case .fatal(let message):
            fail(message, at: state.cell.reference)
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
        guard state.failure == nil else { return }
        state.failure = PublicaError(
            .data, message, at: SourceLocation(file: location + (reference.map { "!\($0)" } ?? "")))
    }
}
