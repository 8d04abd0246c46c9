import Foundation
import Testing

@testable import PublicaCore

struct WorkerThreadTests {
    struct Failure: Error, Equatable { let side: String }

    @Test func bothReturnsBothResultsAndRunsTheSideOnAnotherThread() throws {
        let mainThread = Thread.current
        let (main, side) = try WorkerThread.both({ 1 + 1 }, alongside: { Thread.current != mainThread })
        #expect(main == 2)
        #expect(side)
    }

    @Test func mainsErrorComesFirstThenTheSides() {
        #expect(throws: Failure(side: "main")) {
            _ = try WorkerThread.both(
                { () throws -> Int in throw Failure(side: "main") },
                alongside: { () throws -> Int in throw Failure(side: "side") })
        }
        #expect(throws: Failure(side: "side")) {
            _ = try WorkerThread.both({ 1 }, alongside: { () throws -> Int in throw Failure(side: "side") })
        }
    }
}
