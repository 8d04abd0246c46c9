import Foundation
import Testing

@testable import PublicaCore

/// SHA-256 against FIPS 180-4's vectors, through the accelerated and the portable compression,
/// fed in chunks of every awkward size.
struct SHA256Tests {
    static func hex(_ bytes: [UInt8], portable: Bool, chunk: Int) -> String {
        var digest = SHA256(portable: portable)
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            bytes[offset..<end].withUnsafeBytes { digest.update($0) }
            offset = end
        }
        return digest.finalize()
    }

    static let vectors: [(input: [UInt8], digest: String)] = [
        ([], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            Array(
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
                    .utf8),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
        (
            [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        )
    ]

    @Test(arguments: [false, true], [1, 63, 64, 65, 4096, 1 << 20])
    func standardVectors(portable: Bool, chunk: Int) {
        for vector in SHA256Tests.vectors {
            #expect(SHA256Tests.hex(vector.input, portable: portable, chunk: chunk) == vector.digest)
        }
    }

    @Test func acceleratedAndPortableAgree() {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 55, 56, 63, 64, 65, 127, 128, 1000, 65_537] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(
                SHA256Tests.hex(bytes, portable: false, chunk: 7)
                    == SHA256Tests.hex(bytes, portable: true, chunk: 1 << 20))
        }
    }

    #if arch(x86_64) && os(Linux)
    /// This machine has the SHA extensions (`sha_ni` in /proc/cpuinfo): the accelerated path must be the one taken.
    @Test(.enabled(if: (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.contains(" sha_ni") == true))
    func theExtensionsAreUsedWhereTheProcessorHasThem() {
        #expect(SHA256.accelerated)
    }
    #endif
}
