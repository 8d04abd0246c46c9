/// A converter from some encoding to UTF-8, used by ``TextDecoder``.
protocol ByteConverter: AnyObject {
    /// Converts from `input[position..<inputEnd]` into `output[written..<capacity]`, advancing both.
    ///
    /// A converter that knows which of its characters NFC might change sets `mayNeedNormalization`
    /// for them (and says so with ``classifiesNormalization``); the decoder scans the output otherwise.
    func convert(
        _ input: UnsafePointer<UInt8>, position: inout Int, inputEnd: Int,
        into output: UnsafeMutablePointer<UInt8>, written: inout Int, capacity: Int,
        mayNeedNormalization: inout Bool
    ) -> ConversionOutcome

    /// True when `convert` reports characters NFC might change, so no scan of its output is needed.
    var classifiesNormalization: Bool { get }
}

/// Why a conversion step stopped.
enum ConversionOutcome {
    /// All complete input converted; an incomplete sequence at the end waits for more input.
    case needInput
    /// The output is full.
    case outputFull
    /// An invalid sequence at the input position.
    case invalid
}
