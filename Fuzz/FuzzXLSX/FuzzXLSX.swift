import FuzzSupport
import PublicaCore
import PublicaXLSX

/// The XLSX source on arbitrary bytes: the zip container, the bomb limits, the workbook's
/// parts and the sheet's cells.
///
/// The first byte chooses the sheet (first or second), a range (`B2:D9`) or not, `merged: fill`,
/// header (row 1, `auto`, or none), and small limits (a 1 MiB entry, ratio 10, 16 entries) or
/// the defaults; the rest is the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXLSX(_ input: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data = input, count >= 1 else { return 0 }
    let a = data[0]
    var options = XLSXReadOptions()
    options.sheet = a & 0x01 != 0 ? "2" : nil
    options.range = a & 0x02 != 0 ? CellRange("B2:D9") : nil
    options.fillsMergedCells = a & 0x04 != 0
    options.hasHeader = a & 0x08 == 0
    options.findsHeaderRow = a & 0x10 != 0
    options.sampleRows = a & 0x20 != 0 ? 2 : 1000
    if a & 0x40 != 0 {
        options.limits.maxEntryBytes = 1 << 20
        options.limits.maxRatio = 10
        options.limits.ratioGraceBytes = 4096
        options.limits.maxEntries = 16
    }

    FuzzInput.withFile(UnsafeRawBufferPointer(start: data + 1, count: count - 1), name: "input.xlsx") { path in
        FuzzInput.expectingRefusals {
            let source = try XLSXRecordSource(path: path, options: options)
            while let record = try source.next(onReject: { _ in }) {
                for case .text(var text) in record.values {
                    text.withUTF8 { FuzzInput.requireValidUTF8($0, "a value") }
                }
            }
            _ = source.notes
            _ = source.counters
        }
    }
    return 0
}

@_cdecl("FuzzXLSX_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzXLSX)
}
