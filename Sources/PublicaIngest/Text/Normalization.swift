import Foundation

/// Unicode NFC for the rare field that needs it (see ``UTF8Scan``).
enum Normalization {
    /// True when NFC might change these bytes (they hold characters outside the stable set).
    static func mayNeedNFC(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        return UTF8Scan.scan(base, count: bytes.count).mayNeedNormalization
    }

    /// The NFC form of a string (macOS files arrive with NFD Hangul: 한 as ᄒ+ᅡ+ᆫ).
    static func nfc(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
    }
}
