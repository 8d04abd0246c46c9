import PublicaCore

/// A quality gate's outcome: its name and limit as the pipeline file gives them, the run's value
/// and whether it holds.
public struct GateOutcome: Sendable, Hashable {
    /// The key in the pipeline file's `quality:` (`max_rejects`, `min_rows`…).
    public var gate: String
    /// The limit, as written.
    public var limit: String
    /// This run's value (for `min_rows`, the smallest table's rows).
    public var value: String
    /// Whether the run passes the gate.
    public var passed: Bool
    /// What failed, in words, for the log.
    public var failure: String

    /// The outcome as the run report gives it.
    public var document: FieldValue {
        .object([
            ("gate", .text(gate)), ("limit", .text(limit)), ("value", .text(value)), ("passed", .boolean(passed))
        ])
    }
}

extension PipelineRunner {
    /// Every gate the pipeline sets, with its outcome: `min_rows` holds for every table, the
    /// others for the release's totals.
    func qualityGates(_ stages: [Engine], previousRows: Int?) -> [GateOutcome] {
        let quality = pipeline.quality
        let total = PipelineRunner.total(stages)
        var outcomes: [GateOutcome] = []
        if let maximum = quality.maxRejects {
            outcomes.append(
                GateOutcome(
                    gate: "max_rejects", limit: "\(maximum)", value: "\(total.rejected)",
                    passed: total.rejected <= maximum, failure: "\(total.rejected) rejected > max_rejects \(maximum)"))
        }
        if let ratio = quality.maxRejectRatio {
            let actual = total.read > 0 ? Double(total.rejected) / Double(total.read) : 0
            outcomes.append(
                GateOutcome(
                    gate: "max_reject_ratio", limit: "\(ratio)", value: "\(actual)", passed: actual <= ratio,
                    failure: "reject ratio \(actual) > max_reject_ratio \(ratio)"))
        }
        if let minimum = quality.minRows, let smallest = stages.min(by: { $0.counts.written < $1.counts.written }) {
            let which = stages.count > 1 ? " in resource \(smallest.pipeline.name)" : ""
            outcomes.append(
                GateOutcome(
                    gate: "min_rows", limit: "\(minimum)", value: "\(smallest.counts.written)",
                    passed: smallest.counts.written >= minimum,
                    failure: "\(smallest.counts.written) rows\(which) < min_rows \(minimum)"))
        }
        if let ratio = quality.maxRowDropRatio {
            let dropped =
                previousRows.map { $0 > 0 ? Double($0 - total.written) / Double($0) : 0 } ?? 0
            outcomes.append(
                GateOutcome(
                    gate: "max_row_drop_ratio", limit: "\(ratio)",
                    value: previousRows == nil ? "first run" : "\(dropped)",
                    passed: dropped <= ratio,
                    failure:
                        "rows dropped from \(previousRows ?? 0) to \(total.written), more than max_row_drop_ratio \(ratio)"
                ))
        }
        return outcomes
    }
}
