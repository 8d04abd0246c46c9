import PublicaCore

/// How much memory the steps that hold records (`sort`, `aggregate`, `pivot`, `dedupe`, a
/// `join`'s right side, a foreign key's referenced keys) may use, and where they spill past it
/// (`--memory`, default 256 MiB; `pivot` stops instead).
///
/// Spill files are created unnamed in ``folder`` (or unlinked as soon as they are open), so
/// they vanish on every exit path, a `kill -9` included.
public struct MemoryBudget: Sendable, Hashable {
    /// The bytes the budget allows, shared by every step of one run that holds records.
    public var bytes: Int
    /// The folder spill files go in; nil for the engine's own (the run's staging folder, or the
    /// first output's folder).
    public var folder: String?

    /// A budget of `bytes`, spilling into `folder`.
    public init(bytes: Int = MemoryBudget.defaultBytes, folder: String? = nil) {
        self.bytes = bytes
        self.folder = folder
    }

    /// 256 MiB.
    public static let defaultBytes = 256 << 20
}

/// A step that holds records and spills them past a ``MemoryBudget``; the engine gives it its
/// share of the run's budget, and the folder to spill into, before ``PipelineStep/prepare(_:)``.
public protocol SpillingStep: PipelineStep {
    /// Takes the budget this step may use (the run's, divided among its spilling steps).
    mutating func use(_ budget: MemoryBudget)
}
