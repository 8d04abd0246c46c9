import FuzzSupport
import PublicaCore
import PublicaXML

/// The XML record source under each preset and a plain record path, through libxml2.
///
/// The first byte chooses the preset, the chunk size handed to libxml2 (tiny chunks split
/// names, entities and UTF-8 sequences), the raw or record path and small limits (a 4 KiB
/// record, 8 distinct fields) or the defaults; the rest is the document.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXML(_ input: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data = input, count >= 1 else { return 0 }
    let a = data[0]
    var options = XMLReadOptions(chunkSize: [7, 64, 4096, 256 << 10][Int(a >> 4) & 3])
    switch a & 3 {
    case 0: options.preset = .datagokr
    case 1: options.preset = .sdmx
    case 2: options.recordPath = RecordPath("//item")
    default: options.recordPath = RecordPath("root/row")
    }
    options.schemaSampleSize = a & 0x04 != 0 ? 1 : 1000
    let useRawPath = a & 0x08 != 0
    options.limits = ReadLimits(maxRecordBytes: a & 0x40 != 0 ? 4096 : ReadLimits.defaultMaxRecordBytes,
                                maxFields: a & 0x80 != 0 ? 8 : ReadLimits.defaultMaxFields)

    FuzzInput.withFile(UnsafeRawBufferPointer(start: data + 1, count: count - 1), name: "input.xml") { path in
        FuzzInput.expectingRefusals {
            let source = try XMLRecordSource(path: path, options: options)
            if useRawPath {
                try source.forEach(raw: { raw in
                    for field in raw.fields where field.encoding != .null {
                        FuzzInput.requireValidUTF8(UnsafeBufferPointer(start: field.start, count: field.count), "a raw value")
                    }
                }, record: { _ in }, onReject: { _ in })
            } else {
                while let record = try source.next(onReject: { _ in }) {
                    for case .text(var text) in record.values {
                        text.withUTF8 { FuzzInput.requireValidUTF8($0, "a value") }
                    }
                }
            }
            _ = source.metadata
        }
    }
    return 0
}

@_cdecl("FuzzXML_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzXML)
}
