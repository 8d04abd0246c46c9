import PublicaValidation

/// The validator's unique values and primary keys spill through the pipeline's sort.
extension ExternalSorter: BlockSorter {}

extension MemoryBudget {
    /// This budget for a validation's keys (`publica validate --memory`): they spill into
    /// external sorts in ``folder`` (nil: `$TMPDIR`, else `/tmp`).
    public var keyBudget: KeyBudget {
        let folder = folder
        return KeyBudget(bytes: bytes) { ExternalSorter(budget: MemoryBudget(bytes: $0, folder: folder)) }
    }
}
