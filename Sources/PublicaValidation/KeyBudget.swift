/// Sorts blocks of bytes (a key and a payload each) by their keys' byte order, stably, within
/// a memory budget, spilling to unnamed temporary files past it: the pipeline's external sort.
/// The validator only says what to sort.
public protocol BlockSorter: AnyObject {
    /// Copies a block in (it may spill what is held).
    func add(key: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer) throws
    /// Gives every block to `emit` in key order (equal keys in the order added), valid during the
    /// call, and lets go of the spill files.
    func finish(_ emit: (_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer) throws -> Void) throws
}

extension BlockSorter {
    /// ``add(key:payload:)`` from byte arrays.
    func add(key: [UInt8], payload: [UInt8]) throws {
        try key.withUnsafeBytes { key in try payload.withUnsafeBytes { try add(key: key, payload: $0) } }
    }
}

/// The memory a validation's unique values and primary keys may take before they spill (`publica
/// validate --memory`), and the sorter they spill into.
public struct KeyBudget {
    /// The bytes allowed: the keys spill past half of it; the two sorters then share it.
    public var bytes: Int
    /// A sorter keeping within the bytes given.
    public var sorter: (_ bytes: Int) throws -> any BlockSorter

    /// A budget of `bytes`, spilling into the sorters `sorter` makes.
    public init(bytes: Int, sorter: @escaping (_ bytes: Int) throws -> any BlockSorter) {
        self.bytes = bytes
        self.sorter = sorter
    }
}
