import PublicaCore
import PublicaIngest

extension PipelineRunner {
    /// The change since the last published release, for the run report: each table's rows then
    /// and now, and, for a table with a primary key whose last release is still in the output
    /// folder, the rows added, removed and changed (by ``rowChanges``).
    func changes(_ stages: [Engine], staging: String, previous state: FieldValue?) -> FieldValue {
        guard state != nil, let report = try? JSONDocument.read(path: outputDirectory + "/" + OutputFolder.reportName)
        else {
            return .object([("note", .text("This is the first release."))])
        }
        let before: [String: Int] =
            if let resources = report["resources"]?.items {
                Dictionary(
                    resources.map { (HTMLText.text($0["name"]), HTMLText.integer($0["records"]?["written"])) },
                    uniquingKeysWith: { first, _ in first })
            } else {
                [pipeline.name: HTMLText.integer(report["records"]?["written"])]
            }
        let tables: [FieldValue] = stages.map { stage in
            var entry: [(key: String, value: FieldValue)] = [("name", .text(stage.pipeline.name))]
            if let rows = before[stage.pipeline.name] { entry.append(("previousRows", .integer(Int64(rows)))) }
            entry.append(("rows", .integer(Int64(stage.counts.written))))
            entry += rowChanges(of: stage, staging: staging)
            return .object(entry)
        }
        var document: [(key: String, value: FieldValue)] = []
        if let finished = report["finished"]?.string { document.append(("previous", .text(finished))) }
        document.append(("resources", .list(tables)))
        return .object(document)
    }

    /// Rows added, removed and changed against the last release's copy of the same output, by
    /// the table's primary key; nothing without a key or a CSV or NDJSON output in both.
    func rowChanges(of stage: Engine, staging: String) -> [(key: String, value: FieldValue)] {
        guard let key = stage.pipeline.schema?.primaryKey, !key.isEmpty else {
            return [("note", .text("no primary key: rows are not compared"))]
        }
        guard
            let file = stage.writtenFiles.first(where: { ["csv", "ndjson"].contains($0.format) }),
            OutputFolder.isKind(of: file.name, at: outputDirectory + "/" + file.name)
        else { return [] }
        // Spilled (past the run's budget) into the staging folder, which goes when the run does.
        let budget = MemoryBudget(bytes: options.memory.bytes, folder: options.memory.folder ?? staging)
        return releaseDiff(
            old: outputDirectory + "/" + file.name, new: staging + "/" + file.name, key: key, budget: budget)
    }
}

extension PipelineRunner {
    /// ``TableDiff``'s counts for the report; a comparison that fails (the last release had the
    /// key twice, or lacks a key column) is noted, never a reason not to publish.
    func releaseDiff(
        old: String, new: String, key: [String], budget: MemoryBudget
    ) -> [(key: String, value: FieldValue)] {
        do {
            let summary = try TableDiff.summary(old: old, new: new, key: key, budget: budget)
            var entry: [(key: String, value: FieldValue)] = [
                ("added", .integer(Int64(summary.added))), ("removed", .integer(Int64(summary.removed))),
                ("changed", .integer(Int64(summary.changed))),
                (
                    "changedColumns",
                    .list(
                        summary.changedColumns.map {
                            .object([("name", .text($0.column)), ("count", .integer(Int64($0.rows)))])
                        })
                )
            ]
            if !summary.columnsAdded.isEmpty {
                entry.append(("columnsAdded", .list(summary.columnsAdded.map(FieldValue.text))))
            }
            if !summary.columnsRemoved.isEmpty {
                entry.append(("columnsRemoved", .list(summary.columnsRemoved.map(FieldValue.text))))
            }
            return entry
        } catch {
            return [("note", .text("not compared: \(error)"))]
        }
    }
}
