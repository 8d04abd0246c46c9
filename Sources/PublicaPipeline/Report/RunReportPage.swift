import PublicaCore

/// The run report as one self-contained HTML page (`run-report.html`): no network, no scripts;
/// its styles inline and its charts inline SVG. Made from the report's JSON, so the two always
/// say the same.
///
/// Sections: the counts, the quality gates, the change since the last release, the rejects
/// grouped by rule and field with examples and their lines, a profile of each field, and the
/// files read and written.
public struct RunReportPage: Sendable {
    /// The report, as `run-report.json` holds it.
    public let report: FieldValue
    /// The package's title, if the pipeline gives one.
    public let title: String?

    /// A page for `report`.
    public init(report: FieldValue, title: String? = nil) {
        self.report = report
        self.title = title
    }

    /// The page.
    public var html: String {
        let name = HTMLText.text(report["pipeline"])
        let heading =
            title.map { "\(HTMLText.escape($0)) <small>\(HTMLText.escape(name))</small>" } ?? HTMLText.escape(name)
        var body = "<header><h1>\(heading)</h1>"
        body += "<p class=\"when\">\(status) · started \(HTMLText.escape(HTMLText.text(report["started"])))"
        body += " · finished \(HTMLText.escape(HTMLText.text(report["finished"])))</p></header>"
        body += counts + gates + changes
        for table in tables { body += RunReportPage.tableSection(table) }
        body += files
        return """
            <!DOCTYPE html>
            <html lang="ko"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escape(title ?? name)) · run report</title>
            <style>\(RunReportPage.style)</style></head>
            <body>\(body)<footer>Written by Publica from run-report.json.</footer></body></html>

            """
    }

    /// Each table's name, counts, profiles and rejects: the resources of a release, or the run itself.
    private var tables: [(name: String, records: FieldValue?, profiles: [FieldValue], rejects: FieldValue?)] {
        if let resources = report["resources"]?.items {
            return resources.map {
                (HTMLText.text($0["name"]), $0["records"], $0["profiles"]?.items ?? [], $0["rejectGroups"])
            }
        }
        return [
            (
                HTMLText.text(report["pipeline"]), report["records"], report["profiles"]?.items ?? [],
                report["rejectGroups"]
            )
        ]
    }

    private var status: String {
        let code = HTMLText.integer(report["exitCode"])
        let (label, kind) =
            switch code {
            case 0: ("published", "ok")
            case 3: ("published with rejected records", "warn")
            default: ("exit \(code)", "bad")
            }
        return "<span class=\"badge \(kind)\">\(label)</span>"
    }

    private var counts: String {
        let records = report["records"]
        // What comes out of the steps is what was read and what reshaping steps made (an
        // unpivot's rows): the shares are of that.
        let total = HTMLText.integer(records?["read"]) + HTMLText.integer(records?["reshaped"])
        var cards = ""
        for key in ["read", "reshaped", "written", "rejected", "dropped"] {
            let value = HTMLText.integer(records?[key])
            if key == "reshaped" && value == 0 { continue }
            let share =
                ["read", "reshaped"].contains(key) ? "" : "<span>\(HTMLText.percent(value, of: total))</span>"
            cards += "<div class=\"card \(key)\"><b>\(HTMLText.grouped(value))</b>\(key)\(share)</div>"
        }
        return "<section><h2>Records</h2><div class=\"cards\">\(cards)</div>"
            + "<p class=\"note\">Every record read (or made by a reshaping step) is written, rejected or dropped "
            + "on purpose.</p></section>"
    }

    private var gates: String {
        let gates = report["gates"]?.items ?? []
        guard !gates.isEmpty else {
            return "<section><h2>Quality gates</h2><p class=\"note\">The pipeline sets none.</p></section>"
        }
        var rows = ""
        for gate in gates {
            let passed = gate["passed"] == .boolean(true)
            rows +=
                "<tr><td><code>\(HTMLText.escape(HTMLText.text(gate["gate"])))</code></td>"
                + "<td class=\"num\">\(HTMLText.escape(HTMLText.text(gate["limit"])))</td>"
                + "<td class=\"num\">\(HTMLText.escape(HTMLText.text(gate["value"])))</td>"
                + "<td><span class=\"badge \(passed ? "ok" : "bad")\">\(passed ? "passed" : "failed")</span></td></tr>"
        }
        return "<section><h2>Quality gates</h2><table><thead><tr><th>Gate</th><th>Limit</th><th>This run</th>"
            + "<th>Outcome</th></tr></thead><tbody>\(rows)</tbody></table></section>"
    }

    private var changes: String {
        guard let changes = report["changes"] else {
            return ""
        }
        guard let tables = changes["resources"]?.items, !tables.isEmpty else {
            let note = HTMLText.text(changes["note"])
            return "<section><h2>Change since the last release</h2><p class=\"note\">"
                + "\(HTMLText.escape(note.isEmpty ? "This is the first release." : note))</p></section>"
        }
        var rows = ""
        for table in tables {
            let columns = (table["changedColumns"]?.items ?? []).map {
                "\(HTMLText.short(HTMLText.text($0["name"]), 30)) \(HTMLText.grouped(HTMLText.integer($0["count"])))"
            }
            let cell = { (key: String) in
                table[key] == nil ? "–" : HTMLText.grouped(HTMLText.integer(table[key]))
            }
            rows +=
                "<tr><td>\(HTMLText.escape(HTMLText.text(table["name"])))</td>"
                + "<td class=\"num\">\(cell("previousRows"))</td><td class=\"num\">\(cell("rows"))</td>"
                + "<td class=\"num add\">\(cell("added"))</td><td class=\"num del\">\(cell("removed"))</td>"
                + "<td class=\"num\">\(cell("changed"))</td>"
                + "<td>\(columns.isEmpty ? HTMLText.escape(HTMLText.text(table["note"])) : columns.joined(separator: ", "))</td></tr>"
        }
        let since = HTMLText.text(changes["previous"])
        return "<section><h2>Change since the last release</h2>"
            + (since.isEmpty ? "" : "<p class=\"note\">Against the release of \(HTMLText.escape(since)).</p>")
            + "<table><thead><tr><th>Table</th><th>Before</th><th>Now</th><th>Added</th><th>Removed</th>"
            + "<th>Changed</th><th>Changed columns</th></tr></thead><tbody>\(rows)</tbody></table></section>"
    }

    private static func tableSection(
        _ table: (name: String, records: FieldValue?, profiles: [FieldValue], rejects: FieldValue?)
    ) -> String {
        var section = ""
        let groups = table.rejects?["groups"]?.items ?? []
        if !groups.isEmpty { section += rejectsTable(groups, other: HTMLText.integer(table.rejects?["other"])) }
        for profile in table.profiles { section += profileTable(profile) }
        guard !section.isEmpty else { return "" }
        let written = HTMLText.grouped(HTMLText.integer(table.records?["written"]))
        return "<section><h2>\(HTMLText.escape(table.name)) <small>\(written) written</small></h2>\(section)</section>"
    }

    private static func rejectsTable(_ groups: [FieldValue], other: Int) -> String {
        var rows = ""
        for group in groups {
            let examples = (group["examples"]?.items ?? []).map { example in
                let place = "\(lastComponent(HTMLText.text(example["source"]))):\(HTMLText.integer(example["line"]))"
                let value = example["value"].flatMap { $0 == .null ? nil : HTMLText.text($0) }
                return "<li><code>\(HTMLText.escape(place))</code> "
                    + (value.map { "<q>\(HTMLText.short($0, 40))</q> " } ?? "")
                    + "\(HTMLText.short(HTMLText.text(example["message"]), 120))</li>"
            }
            let field = HTMLText.text(group["field"])
            rows +=
                "<tr><td><code>\(HTMLText.escape(HTMLText.text(group["rule"])))</code></td>"
                + "<td>\(field.isEmpty ? "<i>record</i>" : HTMLText.escape(field))</td>"
                + "<td class=\"num\">\(HTMLText.grouped(HTMLText.integer(group["count"])))</td>"
                + "<td><ul>\(examples.joined())</ul></td></tr>"
        }
        if other > 0 {
            rows +=
                "<tr><td colspan=\"2\"><i>other rules and fields</i></td><td class=\"num\">\(HTMLText.grouped(other))</td><td></td></tr>"
        }
        return "<h3>Rejected records, by rule and field</h3><table class=\"rejects\"><thead><tr><th>Rule</th>"
            + "<th>Field</th><th>Records</th><th>Examples (source:line)</th></tr></thead><tbody>\(rows)</tbody></table>"
    }

    private static func profileTable(_ profile: FieldValue) -> String {
        var rows = ""
        for field in profile["fields"]?.items ?? [] {
            let present = HTMLText.integer(field["present"])
            let missing = HTMLText.integer(field["missing"])
            let distinct =
                HTMLText.grouped(HTMLText.integer(field["distinct"]))
                + (field["distinctIsLowerBound"] == nil ? "" : "+")
            let common = (field["mostCommon"]?.items ?? []).map {
                "<li>\(HTMLText.short(HTMLText.text($0["value"]), 28)) <span>×\(HTMLText.grouped(HTMLText.integer($0["count"])))</span></li>"
            }
            let chart = field["histogram"].map { histogram in
                let sampled = HTMLText.integer(histogram["sampled"])
                let caption = sampled < present ? "sample \(HTMLText.grouped(sampled))" : "all"
                return HTMLText.histogram((histogram["counts"]?.items ?? []).map { HTMLText.integer($0) })
                    + "<div class=\"axis\"><span>\(HTMLText.short(HTMLText.text(histogram["min"]), 12))</span>"
                    + "<span>\(caption)</span><span>\(HTMLText.short(HTMLText.text(histogram["max"]), 12))</span></div>"
            }
            rows +=
                "<tr><td><b>\(HTMLText.escape(HTMLText.text(field["name"])))</b></td>"
                + "<td><code>\(HTMLText.escape(HTMLText.text(field["type"])))</code></td>"
                + "<td class=\"num\">\(HTMLText.grouped(missing)) <span>\(HTMLText.percent(missing, of: present + missing))</span></td>"
                + "<td class=\"num\">\(distinct)</td>"
                + "<td>\(HTMLText.short(HTMLText.text(field["min"]), 24))</td>"
                + "<td>\(HTMLText.short(HTMLText.text(field["max"]), 24))</td>"
                + "<td><ol>\(common.joined())</ol></td><td>\(chart ?? "")</td></tr>"
        }
        let name = HTMLText.text(profile["name"])
        return "<h3>Fields of \(HTMLText.escape(name))</h3><table class=\"profile\">"
            + "<colgroup><col style=\"width:14%\"><col style=\"width:8%\"><col style=\"width:9%\">"
            + "<col style=\"width:8%\"><col style=\"width:15%\"><col style=\"width:15%\"><col style=\"width:17%\">"
            + "<col style=\"width:14%\"></colgroup><thead><tr><th>Field</th><th>Type</th>"
            + "<th>Missing</th><th>Distinct</th><th>Min</th><th>Max</th><th>Most common</th><th>Histogram</th></tr>"
            + "</thead><tbody>\(rows)</tbody></table>"
    }

    private var files: String {
        var rows = ""
        for output in report["outputs"]?.items ?? [] {
            rows +=
                "<tr><td>\(HTMLText.escape(RunReportPage.lastComponent(HTMLText.text(output["path"]))))</td>"
                + "<td class=\"num\">\(HTMLText.grouped(HTMLText.integer(output["rows"])))</td>"
                + "<td class=\"num\">\(HTMLText.grouped(HTMLText.integer(output["bytes"])))</td>"
                + "<td><code>\(HTMLText.escape(String(HTMLText.text(output["sha256"]).prefix(16))))</code></td></tr>"
        }
        var inputs = ""
        for input in report["inputs"]?.items ?? [] {
            let bytes = input["bytes"].map { HTMLText.integer($0) }
            inputs +=
                "<li>\(HTMLText.escape(RunReportPage.lastComponent(HTMLText.text(input["path"]))))"
                + (bytes.map { " <span>\(HTMLText.grouped($0)) bytes</span>" } ?? "") + "</li>"
        }
        return "<section><h2>Files</h2><table><thead><tr><th>Output</th><th>Rows</th><th>Bytes</th>"
            + "<th>SHA-256</th></tr></thead><tbody>\(rows)</tbody></table>"
            + (inputs.isEmpty ? "" : "<h3>Read from</h3><ul class=\"inputs\">\(inputs)</ul>") + "</section>"
    }

    /// A path's file name (a URL's last part): the page names no folder of this machine.
    static func lastComponent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        let name = String(path[path.index(after: slash)...])
        return name.isEmpty ? path : name
    }

    private static let style = """
        body{font:15px/1.45 system-ui,-apple-system,"Noto Sans CJK KR","Malgun Gothic",sans-serif;\
        color:#1d2430;background:#f6f7f9;margin:0;padding:24px 32px;max-width:1216px}
        h1{font-size:26px;margin:0 0 4px}h1 small,h2 small{font-weight:400;color:#5b6472;font-size:60%}
        h2{font-size:19px;margin:0 0 10px}h3{font-size:15px;margin:18px 0 8px}
        section{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:16px 20px;margin:16px 0;\
        overflow-x:auto}
        .when,.note,footer{color:#5b6472;font-size:13px}.cards{display:flex;gap:12px;flex-wrap:wrap}
        .card{border:1px solid #dde1e7;border-radius:6px;padding:8px 16px;min-width:120px;color:#5b6472}
        .card b{display:block;font-size:24px;color:#1d2430}.card span{margin-left:6px;font-size:12px}
        .card.rejected b{color:#b3261e}.card.written b{color:#1b6e3a}
        table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:5px 8px;\
        border-bottom:1px solid #eceff3;vertical-align:top;overflow-wrap:anywhere}
        th{background:#f0f2f5;font-weight:600}.num{text-align:right;white-space:nowrap}td span{color:#5b6472}
        ul,ol{margin:0;padding-left:18px}code{font:12px ui-monospace,Menlo,monospace}q{color:#7a4b00}
        .badge{display:inline-block;border-radius:10px;padding:1px 9px;font-size:12px;font-weight:600}
        .ok{background:#dcf3e3;color:#1b6e3a}.warn{background:#fff1cc;color:#7a5600}.bad{background:#fbdad7;color:#b3261e}
        table.profile{table-layout:fixed}.axis{display:flex;justify-content:space-between;width:140px;\
        font-size:10px;color:#5b6472;white-space:nowrap;overflow:hidden}
        .add{color:#1b6e3a}.del{color:#b3261e}.histogram rect{fill:#4a78c2}
        """
}
