/// The bounds past which a workbook is refused as a zip bomb (exit 65, naming the entry).
///
/// The ratio is Apache POI's (an entry may not inflate past 100 times its compressed size), checked
/// both on the sizes the zip declares and on the bytes actually inflated, since a bomb can lie in
/// its directory. Entries below `ratioGraceBytes` are exempt: tiny parts compress absurdly well.
public struct XLSXLimits: Sendable, Hashable {
    /// The largest inflated-to-compressed ratio of one entry.
    public var maxRatio: Int = 100
    /// Entries that inflate to less than this are not held to the ratio.
    public var ratioGraceBytes: Int = 1 << 20
    /// The most bytes one entry may inflate to.
    public var maxEntryBytes: Int = 4 << 30
    /// The most bytes all entries together may declare.
    public var maxTotalBytes: Int = 8 << 30
    /// The most entries the zip may hold.
    public var maxEntries: Int = 10_000
    /// The most bytes the shared-strings table may inflate to (it is held in memory).
    public var maxSharedStringsBytes: Int = 512 << 20

    /// The defaults.
    public init() {}
}
