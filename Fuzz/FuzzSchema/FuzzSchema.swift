import FuzzSupport
#if canImport(Glibc)
import Glibc
#endif
import PublicaCore
import PublicaIngest
import PublicaValidation

/// The Table Schema reader, and validation of a table against whatever schema it accepts.
///
/// The input is a schema descriptor (JSON), optionally followed by a line `%%` and a CSV
/// table to validate against it (a fixed small table otherwise): fuzzed patterns, formats,
/// constraints and keys all meet real values.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSchema(_ input: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data = input else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: count)
    let separator = Array("\n%%\n".utf8)
    var split = count
    if count >= separator.count {
        for index in 0...(count - separator.count) where memcmp(data + index, separator, separator.count) == 0 {
            split = index
            break
        }
    }
    let schemaBytes = UnsafeRawBufferPointer(rebasing: bytes[0..<split])
    let defaultTable = Array("id,name,date,amount\n01,가,2022.09.02,\"1,234\"\n02,나,2022-10-01,-5\n02,,x,1e3\n".utf8)
    var accepted: TableSchema?
    FuzzInput.expectingRefusals([SchemaProblems.self]) {
        accepted = try FuzzInput.withFile(schemaBytes, name: "schema.json") { try TableSchema(path: $0) }
    }
    guard let schema = accepted else { return 0 }
    let validate = { (table: UnsafeRawBufferPointer) in
        FuzzInput.withFile(table, name: "table.csv") { path in
            var keys = TableValidator.KeyCollector()
            // Only a termination signal or an error sink can make it throw: neither here.
            let task = try! TableValidator(errorLimit: 100).validate(path: path, name: "table", schema: schema, keys: &keys)
            for error in task.errors { _ = error.message }
        }
    }
    if split < count {
        validate(UnsafeRawBufferPointer(rebasing: bytes[(split + separator.count)...]))
    } else {
        defaultTable.withUnsafeBytes { validate($0) }
    }
    return 0
}

@_cdecl("FuzzSchema_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzSchema)
}
