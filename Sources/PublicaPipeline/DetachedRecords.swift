import PublicaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Copies of records as bytes, kept until ``reset()``: what a step made of one record (an
/// unpivot's k records) must outlive the later steps' next calls, which reuse their buffers.
/// Memory is taken in chunks that are kept from one reset to the next.
final class DetachedRecords {
    private var chunks: [UnsafeMutableRawBufferPointer] = []
    private var chunk = 0
    private var used = 0
    private static let chunkSize = 256 << 10

    /// Forgets every copy; the memory is reused.
    func reset() {
        chunk = 0
        used = 0
    }

    /// The outcome with each record as bytes copied here (fields and their bytes).
    func keep(_ outcome: StepChain.Outcome) -> StepChain.Outcome {
        switch outcome {
        case .raw(let record): .raw(copy(record))
        case .several(let outcomes): .several(outcomes.map(keep))
        default: outcome
        }
    }

    private func copy(_ record: RawRecord) -> RawRecord {
        let fieldBytes = record.fields.count * MemoryLayout<RawRecord.Field>.stride
        let base = take(fieldBytes + record.fields.reduce(0) { $0 + $1.count })
        let fields = base.bindMemory(to: RawRecord.Field.self, capacity: record.fields.count)
        var bytes = (base + fieldBytes).assumingMemoryBound(to: UInt8.self)
        for (index, field) in record.fields.enumerated() {
            bytes.update(from: field.start, count: field.count)
            (fields + index).initialize(
                to: RawRecord.Field(
                    start: field.count == 0 ? field.start : UnsafePointer(bytes), count: field.count,
                    encoding: field.encoding))
            bytes += field.count
        }
        return RawRecord(fields: UnsafeBufferPointer(start: fields, count: record.fields.count), place: record.place)
    }

    /// `count` bytes, aligned for fields, in the current chunk or the next.
    private func take(_ count: Int) -> UnsafeMutableRawPointer {
        let size = (count + 15) & ~15
        while chunk < chunks.count, used + size > chunks[chunk].count {
            chunk += 1
            used = 0
        }
        if chunk == chunks.count {
            chunks.append(.allocate(byteCount: max(size, DetachedRecords.chunkSize), alignment: 16))
            used = 0
        }
        defer { used += size }
        return chunks[chunk].baseAddress! + used
    }

    deinit { for chunk in chunks { chunk.deallocate() } }
}
