import FuzzSupport
import PublicaCore
import PublicaIngest
import PublicaTestSupport

/// The CSV reader under every encoding, invalid-byte policy, dialect and row policy.
///
/// The first two bytes choose the options, the rest is the file. Beyond "no crash, no hang,
/// no leak" it checks the reader's promises: every data row is either a record or a
/// rejection, and every value is valid UTF-8.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ input: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data = input, count >= 2 else { return 0 }
    let a = data[0], b = data[1]
    var options = CSVReadOptions()
    let encodings = TextEncoding.allCases
    options.encoding = encodings[Int(a & 0x07) % encodings.count]
    options.invalidBytes = a & 0x08 != 0 ? .replace : .strict
    options.dialect.delimiter = [UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: ";"), UInt8(ascii: "|")][Int(a >> 4) & 3]
    options.dialect.quote = a & 0x40 != 0 ? nil : UInt8(ascii: "\"")
    options.dialect.commentPrefix = a & 0x80 != 0 ? UInt8(ascii: "#") : nil
    options.fieldCountPolicy = [.error, .reject, .pad, .keep][Int(b & 3)]
    options.hasHeader = b & 0x04 == 0
    options.headerRow = 1 + Int(b >> 3) & 3
    options.skipRows = Int(b >> 5) & 1
    options.skipBlankLines = b & 0x80 == 0
    // A small buffer, so records cross chunk boundaries and the buffer grows.
    options.bufferSize = 1024
    // Sometimes a limit of 2 KiB, so rows run into it and the located error is fuzzed too.
    options.maxRecordBytes = count & 4 != 0 ? 2048 : 1 << 16
    let useRawPath = b & 0x40 != 0
    // With the raw path, also the fused JSON-lines path, which must write the same bytes.
    let fusedRoom = [0, 48, 700, 1 << 16][count & 3]

    FuzzInput.withFile(UnsafeRawBufferPointer(start: data + 2, count: count - 2), name: "input.csv") { path in
        FuzzInput.expectingRefusals {
            let reader = try CSVReader(path: path, options: options)
            var records = 0
            var rejected = 0
            for name in reader.schema.fieldNames {
                var name = name
                name.withUTF8 { FuzzInput.requireValidUTF8($0, "a field name") }
            }
            if useRawPath {
                try reader.forEach(raw: { raw in
                    records += 1
                    for field in raw.fields where field.encoding != .null {
                        FuzzInput.requireValidUTF8(UnsafeBufferPointer(start: field.start, count: field.count), "a raw field")
                    }
                }, record: { _ in records += 1 }, onReject: { _ in rejected += 1 })
            } else {
                while let record = try reader.next(onReject: { _ in rejected += 1 }) {
                    records += 1
                    for case .text(var text) in record.values {
                        text.withUTF8 { FuzzInput.requireValidUTF8($0, "a field") }
                    }
                }
            }
            precondition(reader.stats.rows == records + reader.stats.rejected && rejected == reader.stats.rejected,
                         "rows \(reader.stats.rows) != records \(records) + rejected \(rejected)")
        }
        if useRawPath && fusedRoom > 0 { compareFusedPath(path, options, room: fusedRoom) }
    }
    return 0
}

/// The general and the fused JSON-lines paths must write the same bytes and reject the same
/// rows, or fail with the same error.
func compareFusedPath(_ path: String, _ options: CSVReadOptions, room: Int) {
    let expected = Result { try JSONLinesRenderings.general(path, options) }
    let actual = Result { try JSONLinesRenderings.fused(path, options, room: room) }
    switch (expected, actual) {
    case (.success(let e), .success(let a)):
        precondition(a.lines == e.lines, "the fused path wrote other bytes")
        precondition(a.rejected == e.rejected && a.rows == e.rows, "the fused path rejected other rows")
    case (.failure(let e), .failure(let a)):
        precondition("\(a)" == "\(e)", "the fused path failed otherwise: \(a) / \(e)")
    default:
        preconditionFailure("one path failed, the other did not: \(expected) / \(actual)")
    }
}

@_cdecl("FuzzCSV_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzCSV)
}
