import FuzzSupport
import PublicaCore
import PublicaIngest

/// The bulletin reader with its built-in R&D KIOSK profile, on any text in any encoding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBulletin(_ input: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data = input, count >= 1 else { return 0 }
    let encodings = TextEncoding.allCases
    let encoding = encodings[Int(data[0]) % encodings.count]
    FuzzInput.withFile(UnsafeRawBufferPointer(start: data + 1, count: count - 1), name: "bulletin.txt") { path in
        FuzzInput.expectingRefusals {
            var reader = BulletinReader(path: path, encoding: encoding)
            for resource in try reader.readResources() {
                for record in resource.records {
                    precondition(record.values.count == resource.schema.count, "a record wider or narrower than its table")
                }
            }
        }
    }
    return 0
}

@_cdecl("FuzzBulletin_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzBulletin)
}
