import Dispatch
import PublicaCore

/// Runs a ``TextDecoder`` one chunk ahead on a background thread.
///
/// Reading, validating and transcoding then overlap with the reader's parsing: on two cores
/// that takes the decoder's share (about a quarter of a CSV conversion) off the parsing thread.
///
/// `@unchecked Sendable`: the worker fills a slot and the consumer reads it only after the
/// `filled` semaphore hands it over; the consumer gives it back through `free`. Each slot
/// carries its own snapshot of the decoder's counters, so neither thread reads the other's state.
final class PrefetchingDecoder: @unchecked Sendable {
    private struct Slot {
        let buffer: UnsafeMutablePointer<UInt8>
        var count = 0
        var mayNeedNormalization = false
        var replacements = 0
        var pendingError: PublicaError?
        var thrown: (any Error)?
    }

    let decoder: TextDecoder
    private let slotCapacity: Int
    /// A fixed allocation, not an `Array`: both threads touch it, and an array's copy-on-write
    /// check would race.
    private let slots: UnsafeMutablePointer<Slot>
    private let slotCount: Int
    /// Semaphores start at zero and are signalled up: libdispatch traps when one is freed below its start value.
    private let free = DispatchSemaphore(value: 0)
    private let filled = DispatchSemaphore(value: 0)
    /// Set by the owner before it wakes the worker to leave; read by the worker after `free.wait()`.
    private let stopping = UnsafeMutablePointer<Bool>.allocate(capacity: 1)
    private var worker: WorkerThread?

    // Consumer side.
    private var current = -1
    private var offset = 0
    private var atEnd = false
    private(set) var pendingError: PublicaError?
    private(set) var replacementCount = 0

    init(decoder: TextDecoder, slots count: Int = 3, slotCapacity: Int = 1 << 20) {
        self.decoder = decoder
        self.slotCapacity = slotCapacity
        slotCount = count
        slots = .allocate(capacity: count)
        stopping.initialize(to: false)
        for index in 0..<count { (slots + index).initialize(to: Slot(buffer: .allocate(capacity: slotCapacity))) }
    }

    deinit {
        if let worker {
            stopping.pointee = true
            for _ in 0..<slotCount { free.signal() }
            worker.join()
        }
        for index in 0..<slotCount { slots[index].buffer.deallocate() }
        slots.deinitialize(count: slotCount)
        slots.deallocate()
        stopping.deallocate()
    }

    private func startWorker() {
        for _ in 0..<slotCount { free.signal() }
        // The worker captures what it uses, not `self`: the owner's deinit stops and joins it,
        // so it never outlives the slots, and never keeps the owner alive.
        let (decoder, slots, slotCount, slotCapacity, free, filled, stopping) =
            (decoder, slots, slotCount, slotCapacity, free, filled, stopping)
        worker = WorkerThread {
            var index = 0
            while true {
                free.wait()
                if stopping.pointee { break }
                var slot = slots[index]
                do {
                    let (count, flag) = try decoder.decode(into: slot.buffer, capacity: slotCapacity)
                    slot.count = count
                    slot.mayNeedNormalization = flag
                } catch {
                    slot.count = 0
                    slot.thrown = error
                }
                slot.replacements = decoder.replacementCount
                slot.pendingError = decoder.pendingError
                slots[index] = slot
                filled.signal()
                if slot.count == 0 { break }
                index = (index + 1) % slotCount
            }
        }
    }

    /// Like ``TextDecoder/decode(into:capacity:)``: copies decoded UTF-8 into `destination`.
    func decode(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws -> (
        count: Int, mayNeedNormalization: Bool
    ) {
        if worker == nil { startWorker() }
        if atEnd { return (0, false) }
        if current < 0 || offset == slots[current].count {
            if current >= 0 { free.signal() }
            filled.wait()
            current = (current + 1) % slotCount
            offset = 0
            let slot = slots[current]
            replacementCount = slot.replacements
            if let thrown = slot.thrown {
                atEnd = true
                throw thrown
            }
            if slot.count == 0 {
                atEnd = true
                pendingError = slot.pendingError
                return (0, false)
            }
        }
        let slot = slots[current]
        let count = min(capacity, slot.count - offset)
        destination.update(from: slot.buffer + offset, count: count)
        offset += count
        return (count, slot.mayNeedNormalization)
    }
}
