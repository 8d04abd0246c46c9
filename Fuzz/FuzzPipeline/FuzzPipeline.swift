import FuzzSupport
import PublicaCore
import PublicaPipeline

/// The pipeline-file loader (YAML through Yams, then Publica's own checks) on any bytes.
///
/// A bad file must come back as diagnostics with places, never a crash; alias bombs and deep
/// nesting must be refused in bounded time (libFuzzer's -timeout catches a hang).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPipeline(_ input: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data = input else { return 0 }
    FuzzInput.withFile(UnsafeRawBufferPointer(start: data, count: count), name: "pipeline.yaml") { path in
        FuzzInput.expectingRefusals {
            do {
                _ = try PipelineLoader(environment: ["DATA": "data", "EMPTY": ""]).load(path: path)
            } catch let problems as PipelineProblems {
                precondition(!problems.diagnostics.isEmpty, "problems without a diagnostic")
            }
        }
    }
    return 0
}

@_cdecl("FuzzPipeline_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzPipeline)
}
