import PublicaCore
import PublicaXML

/// Turns a worksheet's SAX events into a ``RawRows`` batch of cells as stored (reference, type,
/// style, text bytes), which the reader decodes on its own thread: the parse is the slowest of
/// the sheet's three threads, so it does no more than collect.
///
/// Cell types (ECMA-376 §18.18.11): `s` shared string, `inlineStr`, `str` (a formula's text),
/// `b` boolean, `e` error, `d` ISO date, and `n` (or none) a number, which the cell's style may
/// make a date. A formula's value is its cached `<v>`; one without is counted and left missing.
final class SheetHandler: XMLEventHandler {
    let location: String
    /// Rows past this one are not needed (a `range` ends there): the parse may stop.
    let lastRow: Int
    /// False for the pass that only looks for the merged ranges.
    let keepsRows: Bool
    /// Rows past ``lastRow`` were met: the parse may stop.
    var pastLastRow: Bool { state.pastLastRow }
    /// What stopped the sheet (a cell reference outside its row).
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
        var batch = RawRows()
        var failure: PublicaError?
        var formulasWithoutValue = 0
        var firstFormulaWithoutValue: CellReference?
        var formulaCount = 0
        var mergedRanges: [CellRange] = []
        var pastLastRow = false
        /// The open row's number.
        var row: Int?
        /// Where the open row's text starts in the batch's bytes.
        var rowByteStart = 0
        var cell = CellState()
        var inSheetData = false
        var lastNumber = 0
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
        /// Where the cell's text starts in the batch's bytes.
        var textStart = 0
        var hasValue = false
        var hasFormula = false
        var capturing = false
        var phoneticDepth = 0
        var previousColumn = 0
    }

    init(location: String, lastRow: Int, keepsRows: Bool = true) {
        self.keepsRows = keepsRows
        self.location = location
        self.lastRow = lastRow
        statePointer = .allocate(capacity: 1)
        statePointer.initialize(to: State())
    }

    deinit {
        statePointer.deinitialize(count: 1)
        statePointer.deallocate()
    }

    /// Hands over the rows finished so far; the next batch starts with room for as many, and
    /// with the open row's cells and text (a chunk of XML may end mid-row).
    func takeRows() -> RawRows {
        var batch = state.batch
        var next = RawRows(reservingLike: batch)
        if state.row != nil {
            let cellStart = batch.rows.last?.cells.upperBound ?? 0
            let byteStart = state.rowByteStart
            next.bytes.append(contentsOf: batch.bytes[byteStart...])
            for var cell in batch.cells[cellStart...] {
                cell.text = (cell.text.lowerBound - byteStart)..<(cell.text.upperBound - byteStart)
                next.cells.append(cell)
            }
            batch.cells.removeSubrange(cellStart...)
            batch.bytes.removeSubrange(byteStart...)
            state.cell.textStart -= byteStart
            state.rowByteStart = 0
        }
        state.batch = next
        return batch
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
            if keepsRows { state.batch.endRow(finished) }
            state.lastNumber = finished
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
        if state.cell.capturing { state.batch.bytes.append(contentsOf: bytes) }
    }

    private func startRow(_ attributes: XMLElementAttributes) {
        let previous = state.lastNumber
        let number = attributes.bytes(of: "r").flatMap(SheetHandler.integer) ?? previous + 1
        guard number <= lastRow else {
            state.pastLastRow = true
            return
        }
        state.row = number
        state.rowByteStart = state.batch.bytes.count
        state.cell.previousColumn = 0
    }

    private func startCell(_ attributes: XMLElementAttributes) {
        let number = state.row!
        var ref: UnsafeBufferPointer<UInt8>?
        var type: UnsafeBufferPointer<UInt8>?
        var style: UnsafeBufferPointer<UInt8>?
        attributes.forEach { name, value in
            switch name.singleByte {
            case UInt8(ascii: "r"): ref = value
            case UInt8(ascii: "t"): type = value
            case UInt8(ascii: "s"): style = value
            default: break
            }
        }
        if let ref {
            guard let reference = CellReference(utf8: ref), reference.row == number else {
                fail("cell reference '\(String(decoding: ref, as: UTF8.self))' is not a cell of row \(number)", at: nil)
                return
            }
            state.cell.reference = reference
        } else {
            state.cell.reference = CellReference(column: state.cell.previousColumn + 1, row: number)
        }
        state.cell.previousColumn = state.cell.reference.column
        state.cell.type = CellType(type)
        state.cell.style = style.flatMap(SheetHandler.integer) ?? 0
        state.cell.textStart = state.batch.bytes.count
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
        state.batch.cells.append(
            RawCell(
                reference: state.cell.reference, type: state.cell.type, style: state.cell.style,
                text: state.cell.textStart..<state.batch.bytes.count))
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
