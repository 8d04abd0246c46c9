import PublicaCore
import PublicaJSON

/// `aggregate: {by: [fields], fields: {out: {count: "*"} | {sum|min|max|mean|first|last|count_distinct: F}}}`:
/// one record per group of equal `by` values, with the `by` fields and then the outputs, in
/// the file's order; groups in the order of their first record.
///
/// Values group by value (typed values as typed: `1` and `"1"` are two groups; null is a
/// group of its own). Sums and means are exact (``AggregateFunction``); a value `sum` or
/// `mean` cannot read as a number stops the run with a data error at its record. The groups
/// are held up to a third of the step's memory budget (the other thirds for sorting the
/// spilled states by group, then the results by first appearance); past it their partial states spill, sorted
/// by group, and are merged at the end, then put back in first-appearance order.
public struct AggregateStep: SpillingStep {
    /// Reported as `aggregate`.
    public let name = "aggregate"
    /// The fields whose values make a group; none for one group of every record (no record, no group).
    public var by: [String]
    /// The output fields after the `by` fields, in order.
    public var outputs: [(name: String, function: AggregateFunction)]
    private var budget = MemoryBudget()
    private var groups: AggregateGroups?
    /// Group states written to spill files so far (0: the groups stayed in memory).
    public var spilledGroups: Int { groups?.spilledGroups ?? 0 }

    /// A step grouping by `by` into `outputs`; the fields are looked up in ``prepare(_:)``.
    public init(by: [String], outputs: [(name: String, function: AggregateFunction)]) {
        self.by = by
        self.outputs = outputs
    }

    /// Takes the memory the step may hold before it spills, and where.
    public mutating func use(_ budget: MemoryBudget) { self.budget = budget }

    /// Checks the fields; the outgoing shape is the `by` fields, then the outputs.
    public mutating func prepare(_ schema: RecordSchema) throws -> RecordSchema {
        groups = AggregateGroups(
            keys: try schema.positions(of: by, for: name),
            values: try outputs.map { output in try output.function.field.map { try schema.position(of: $0, for: name) }
            },
            outputs: outputs, budget: budget)
        return RecordSchema(fieldNames: by + outputs.map(\.name))
    }

    /// Adds the record to its group; the groups come out of ``finish(_:)``.
    public mutating func process(_ record: Record) throws -> StepResult {
        try groups!.add(record)
        return .held
    }

    /// Adds a record read as bytes to its group, no `Record` made.
    public mutating func process(raw record: RawRecord) throws -> RawStepResult? {
        try groups!.add(raw: record)
        return .held
    }

    /// Gives one record per group, in first-appearance order; spill files are gone once it returns or throws.
    public mutating func finish(_ emit: (Record) throws -> Void) throws {
        try groups?.finish(emit)
    }
}
