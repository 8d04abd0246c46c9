import Foundation
import PublicaCore

/// Reads a government bulletin (text extracted from a PDF, with its noise) into named record sets.
///
/// Resources, each record with its line span (`firstLine`, `lastLine`):
/// - `issue`: series, number, year-month, tagline, title, publisher, producer, contacts;
/// - `toc`: the table of contents (title, page; dot leaders removed);
/// - `sections`: headings (level 1 for the table-of-contents titles, 2 for others) with the span they govern;
/// - `statements`: every bullet or paragraph line with its marker, nesting level, section and heading;
/// - `numbered_items`: circled-number lists (①…⑳, and extraction noise such as `®` for ⑧) with their group;
/// - `citations`: every source (`자료:`, `이미지 자료:`), several per line, dates at their real precision;
/// - `dates`: every date mention with its ISO value, precision, range end and sentence;
/// - `figures`: numbers with a counter or unit (`540개`, `33개국`) and their sentence;
/// - `table_1`, `table_2`…: every tab-separated table, header row first, cells typed (`1위` is 1).
///
/// Running headers (`제98호 2022년 10월` on every page) and the masthead are recognised and
/// left out of the statements. All series-specific patterns come from a ``BulletinProfile``.
public struct BulletinReader: MultiResourceSource {
    /// The bulletin's text file; every record's provenance names it.
    public let path: String
    /// The series' patterns: issue marker, bullets, citation prefixes, units, extraction noise.
    public let profile: BulletinProfile
    /// How the file's bytes are decoded (`.auto`: a byte-order mark, else UTF-8, else CP949).
    public let encoding: TextEncoding

    /// A reader for `path`; nothing is read until ``readResources()``.
    public init(path: String, profile: BulletinProfile = .rndKiosk, encoding: TextEncoding = .auto) {
        self.path = path
        self.profile = profile
        self.encoding = encoding
    }

    /// Reads the whole bulletin (at most 4 MiB of text) and returns its record sets, in the order
    /// listed above; throws a `PublicaError` for a file that cannot be read or decoded, a binary
    /// or oversized one, or an invalid issue pattern in the profile.
    public mutating func readResources() throws -> [Resource] {
        let text = try BulletinText(path: path, encoding: encoding, noise: profile.noise)
        var extraction = try BulletinExtraction(path: path, profile: profile, lines: text.lines)
        extraction.run()
        return extraction.resources()
    }
}

/// One pass of extraction over a bulletin's lines.
struct BulletinExtraction {
    typealias Line = BulletinText.Line

    private struct Issue {
        var line: Int
        var lastLine: Int
        var number: Int
        var year: Int
        var month: Int
        var tagline: String?
        var title: [String] = []
        var publisher: String?
        var producer: String?
        var phone: String?
        var web: String?
        var email: String?
    }

    let path: String
    let profile: BulletinProfile
    let lines: [Line]
    private let issuePatterns: [Regex<AnyRegexOutput>]
    private var issue: Issue?
    private var headerIndex: Int?

    private var toc: [Record] = []
    private var tocTitles: Set<String> = []
    private var sections: [(level: Int, title: String, first: Int, last: Int)] = []
    private var statements: [Record] = []
    private var numberedItems: [Record] = []
    private var citations: [Record] = []
    private var dates: [Record] = []
    private var figures: [Record] = []
    private var tables: [(title: String?, rows: [Line])] = []

    init(path: String, profile: BulletinProfile, lines: [Line]) throws {
        self.path = path
        self.profile = profile
        self.lines = lines
        issuePatterns = try profile.issuePatterns.map { pattern in
            do {
                return try Regex(pattern)
            } catch {
                throw PublicaError(.usage, "bulletin profile: invalid issue pattern '\(pattern)': \(error)")
            }
        }
    }

    // MARK: - The pass

    /// What the lines read so far left open: the table of contents, a section and heading, a
    /// run of sources, a list, a table.
    private struct PassState {
        var inTOC = false
        var currentSection: String?
        var currentHeading: String?
        var citationKind: String?
        var tableRows: [Line] = []
        var listNumber = 0
        var listGroup: String?
        var lastWasCitation = false
    }

    /// Reads the lines once, in order: each goes to the first record set that claims it (the
    /// table of contents, a table row, a source line, a heading, else a statement).
    mutating func run() {
        findIssue()
        var state = PassState()
        for (index, line) in lines.enumerated() {
            let text = line.text
            if text.isEmpty { continue }
            if let headerIndex, index <= headerIndex { continue }  // masthead and the issue line
            if isFrontMatter(line) || isRunningHeader(text) { continue }

            let compact = BulletinExtraction.compact(text)
            if readContentsLine(line, compact: compact, &state) { continue }
            if text.contains("\t") && text.split(separator: "\t").count >= 2 {
                state.tableRows.append(line)
                continue
            }
            flushTable(&state)

            let scalars = ScalarText(text)
            if readSources(line, scalars, &state) { continue }

            // Headings.
            if tocTitles.contains(compact) {
                state.currentSection = text
                state.currentHeading = text
                openSection(level: 1, title: text, line: line.number)
                continue
            }
            let (marker, level, body) = bulletMarker(text)
            let items = numberedItemsIn(body)
            if marker == nil && items.isEmpty && isHeading(text) {
                state.currentHeading = text
                openSection(level: 2, title: text, line: line.number)
                addDates(scalars, line)
                continue
            }

            // Statements, numbered items, dates and figures.
            addStatement(line, marker: marker, level: level, body: body, state)
            addNumberedItems(items, line, &state)
            let bodyScalars = ScalarText(body)
            addDates(bodyScalars, line)
            addFigures(bodyScalars, line)
        }
        flushTable(&state)
    }

    /// The table-of-contents marker, or an entry under it: true when the line was one. The first
    /// line that is not an entry ends the table of contents.
    private mutating func readContentsLine(_ line: Line, compact: String, _ state: inout PassState) -> Bool {
        if compact == BulletinExtraction.compact(profile.tocMarker) {
            state.inTOC = true
            return true
        }
        if state.inTOC {
            if let entry = tocEntry(line.text) {
                toc.append(record([.text(entry.title), .integer(Int64(entry.page))], line, toc.count))
                tocTitles.insert(BulletinExtraction.compact(entry.title))
                return true
            }
            state.inTOC = false
        }
        return false
    }

    /// Keeps the tab-separated rows collected so far as a table (titled by the current heading);
    /// a single row is not a table.
    private mutating func flushTable(_ state: inout PassState) {
        guard state.tableRows.count >= 2 else {
            state.tableRows.removeAll()
            return
        }
        tables.append((state.currentHeading, state.tableRows))
        state.tableRows.removeAll()
    }

    /// A source line (`자료:`, or one with a dated citation): its citations and dates; true when
    /// the line was one. An unprefixed line keeps the kind of the source line just before it.
    private mutating func readSources(_ line: Line, _ scalars: ScalarText, _ state: inout PassState) -> Bool {
        let text = line.text
        let prefix = profile.citationPrefixes.first { text.hasPrefix($0) }
        guard prefix != nil || CitationParser.hasDatedCitation(scalars) else {
            state.lastWasCitation = false
            return false
        }
        if let prefix {
            state.citationKind = String(prefix.dropLast(prefix.hasSuffix(":") ? 1 : 0)).trimmingSpaces
        } else if !state.lastWasCitation {
            state.citationKind = nil
        }
        let content = prefix.map { String(text.dropFirst($0.count)) } ?? text
        for citation in CitationParser.parse(content) {
            citations.append(
                record(
                    [
                        state.citationKind.map(FieldValue.text) ?? .null, .text(citation.author),
                        citation.date.map(FieldValue.date) ?? .null,
                        citation.date.map { .text($0.precision.description) } ?? .null,
                        citation.title.map(FieldValue.text) ?? .null,
                        citation.publication.map(FieldValue.text) ?? .null,
                        .text(citation.text)
                    ], line, citations.count))
        }
        addDates(ScalarText(CitationParser.clean(content)), line)
        state.lastWasCitation = true
        return true
    }

    /// A bullet or paragraph line, under the current section and heading, which now reach it.
    private mutating func addStatement(_ line: Line, marker: String?, level: Int, body: String, _ state: PassState) {
        statements.append(
            record(
                [
                    state.currentSection.map(FieldValue.text) ?? .null,
                    state.currentHeading.map(FieldValue.text) ?? .null,
                    marker.map(FieldValue.text) ?? .null, .integer(Int64(level)), .text(body)
                ], line, statements.count))
        extendSection(to: line.number)
    }

    /// A line's circled-number items, in the current list or a new one.
    private mutating func addNumberedItems(_ items: [NumberedItem], _ line: Line, _ state: inout PassState) {
        guard let first = items.first else { return }
        // A list starts again at ①; other numbers continue the current one.
        if first.number == 1 || state.listNumber == 0 {
            state.listNumber += 1
            state.listGroup = nil
        }
        for item in items {
            if let label = item.label { state.listGroup = label }
            numberedItems.append(
                record(
                    [
                        .integer(Int64(state.listNumber)), state.listGroup.map(FieldValue.text) ?? .null,
                        .integer(Int64(item.number)), .text(item.text)
                    ], line, numberedItems.count))
        }
    }

    // MARK: - Front matter

    /// Finds the issue marker in the first lines, and the title, publisher and contacts around it.
    private mutating func findIssue() {
        for (index, line) in lines.prefix(60).enumerated() where !line.text.isEmpty {
            for pattern in issuePatterns {
                guard let match = line.text.firstMatch(of: pattern),
                    let number = match.output["number"]?.substring.flatMap({ Int($0) }),
                    let year = match.output["year"]?.substring.flatMap({ Int($0) }),
                    let month = match.output["month"]?.substring.flatMap({ Int($0) })
                else { continue }
                var tagline = line.text
                tagline.removeSubrange(match.range)
                for word in profile.series.split(separator: " ") {
                    if tagline.hasPrefix(word) { tagline = String(tagline.dropFirst(word.count)) }
                }
                tagline = tagline.trimmingSpaces
                issue = Issue(
                    line: line.number, lastLine: line.number, number: number, year: year, month: month,
                    tagline: tagline.isEmpty ? nil : tagline)
                headerIndex = index
                break
            }
            if issue != nil { break }
        }
        guard var found = issue, let headerIndex else { return }
        for line in lines where !line.text.isEmpty {
            if let prefix = profile.publisherPrefixes.first(where: { line.text.hasPrefix($0) }), found.publisher == nil
            {
                found.publisher = String(line.text.dropFirst(prefix.count)).trimmingSpaces
                found.lastLine = max(found.lastLine, line.number)
            } else if let prefix = profile.producerPrefixes.first(where: { line.text.hasPrefix($0) }),
                found.producer == nil
            {
                found.producer = String(line.text.dropFirst(prefix.count)).trimmingSpaces
                found.lastLine = max(found.lastLine, line.number)
            } else if let contacts = BulletinExtraction.contacts(line.text) {
                found.phone = found.phone ?? contacts.phone
                found.web = found.web ?? contacts.web
                found.email = found.email ?? contacts.email
                found.lastLine = max(found.lastLine, line.number)
            }
        }
        // The title: the lines after the issue line, up to the table of contents, bar the publisher's name.
        for line in lines[(headerIndex + 1)...] where !line.text.isEmpty {
            if BulletinExtraction.compact(line.text) == BulletinExtraction.compact(profile.tocMarker)
                || found.title.count == 3 || isFrontMatterLine(line.text)
            {
                break
            }
            if line.text != found.publisher { found.title.append(line.text) }
        }
        issue = found
    }

    private func isFrontMatterLine(_ text: String) -> Bool {
        profile.publisherPrefixes.contains { text.hasPrefix($0) }
            || profile.producerPrefixes.contains { text.hasPrefix($0) }
            || BulletinExtraction.contacts(text) != nil
    }

    /// Masthead, title, publisher and contact lines: part of `issue`, not statements.
    private func isFrontMatter(_ line: Line) -> Bool {
        guard let issue, let headerIndex else { return false }
        if isFrontMatterLine(line.text) { return true }
        if line.text == issue.publisher { return true }
        let headerLine = lines[headerIndex].number
        return line.number > headerLine && issue.title.contains(line.text)
            && !lines.contains { $0.number > headerLine && $0.number < line.number && $0.text == profile.tocMarker }
    }

    /// A line that holds nothing but the issue marker (`제98호 2022년 10월`, `제98호`): a running header.
    private func isRunningHeader(_ text: String) -> Bool {
        guard let issue, text.count <= 60, text.contains(String(issue.number)) else { return false }
        var rest = text
        for pattern in issuePatterns { rest = rest.replacing(pattern, with: "") }
        for marker in ["제\(issue.number)호", "\(issue.year)년 \(issue.month)월", "\(issue.year)년\(issue.month)월"] {
            rest = rest.replacing(marker, with: "")
        }
        return rest.trimmingSpaces.isEmpty
    }

    /// `TEL. 02-6956-0801`, `www.aply.biz contactus@aply.biz`: a line of contacts only.
    static func contacts(_ text: String) -> (phone: String?, web: String?, email: String?)? {
        var phone: String?, web: String?, email: String?
        var rest = text
        let phoneChars: Set<Character> = ["-", " ", "(", ")", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]
        for label in ["TEL.", "Tel.", "전화:"] {
            guard let range = rest.range(of: label) else { continue }
            let after = String(rest[range.upperBound...]).trimmingSpaces
            let number = String(after.prefix { phoneChars.contains($0) }).trimmingSpaces
            guard number.filter({ $0.isNumber }).count >= 7 else { return nil }
            phone = number
            rest = String(rest[..<range.lowerBound]) + String(after.dropFirst(number.count))
            break
        }
        for token in rest.split(separator: " ") {
            if token.hasPrefix("www.") || token.hasPrefix("http://") || token.hasPrefix("https://") {
                web = web ?? String(token)
            } else if token.contains("@") && token.contains(".") {
                email = email ?? String(token)
            } else {
                return nil
            }
        }
        return phone == nil && web == nil && email == nil ? nil : (phone, web, email)
    }

    // MARK: - Pieces

    /// `OECD 디지털정부평가·····\t8` → ("OECD 디지털정부평가", 8).
    private func tocEntry(_ text: String) -> (title: String, page: Int)? {
        let digits = text.reversed().prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 3, let page = Int(String(digits.reversed())) else { return nil }
        let leaders: Set<Character> = [" ", "\t", "·", "•", ".", "…", "ㆍ", "‧"]
        let title = String(text.dropLast(digits.count).reversed().drop { leaders.contains($0) }.reversed())
        return title.isEmpty ? nil : (title, page)
    }

    /// The bullet marker at the start of a line, its nesting level and the text after it.
    private func bulletMarker(_ text: String) -> (String?, Int, String) {
        for (marker, level) in profile.bullets.sorted(by: { $0.key.count > $1.key.count })
        where text.hasPrefix(marker + " ") || text == marker {
            return (marker, level, String(text.dropFirst(marker.count)).trimmingSpaces)
        }
        return (nil, 0, text)
    }

    private struct NumberedItem {
        var number: Int
        var label: String?
        var text: String
    }

    /// Circled-number items (①…⑳, and noise such as `®` once real circled numbers are present).
    private func numberedItemsIn(_ text: String) -> [NumberedItem] {
        let scalars = Array(text.unicodeScalars)
        var markers: [(index: Int, number: Int)] = []
        for (index, scalar) in scalars.enumerated() where (0x2460...0x2473).contains(scalar.value) {
            markers.append((index, Int(scalar.value - 0x2460) + 1))
        }
        guard !markers.isEmpty else { return [] }
        for (index, scalar) in scalars.enumerated() {
            if let number = profile.circledNumberNoise[String(scalar)], index + 1 < scalars.count,
                scalars[index + 1] == " "
            {
                markers.append((index, number))
            }
        }
        markers.sort { $0.index < $1.index }
        func string(_ range: Range<Int>) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return String(view).trimmingSpaces
        }
        let label = string(0..<markers[0].index)
        var items: [NumberedItem] = []
        for (position, marker) in markers.enumerated() {
            let end = position + 1 < markers.count ? markers[position + 1].index : scalars.count
            items.append(
                NumberedItem(
                    number: marker.number, label: position == 0 && !label.isEmpty ? label : nil,
                    text: string((marker.index + 1)..<end)))
        }
        return items
    }

    /// Short lines without a marker or sentence ending read as headings.
    private func isHeading(_ text: String) -> Bool {
        guard text.count <= profile.maxHeadingLength, !text.contains("\t"), let last = text.last else { return false }
        if ".,:;".contains(last) || "다음임함됨".contains(last) { return false }
        return text.contains { $0.isLetter }
    }

    private mutating func openSection(level: Int, title: String, line: Int) {
        sections.append((level, title, line, line))
    }

    /// Extends the open sections to cover `line`.
    private mutating func extendSection(to line: Int) {
        guard let last = sections.indices.last else { return }
        sections[last].last = line
        // The enclosing level-1 section covers it too.
        if sections[last].level > 1, let parent = sections.lastIndex(where: { $0.level == 1 }) {
            sections[parent].last = line
        }
    }

    private mutating func addDates(_ scalars: ScalarText, _ line: Line) {
        for mention in DateMention.scan(scalars) {
            dates.append(
                record(
                    [
                        .text(scalars.string(mention.range)), .date(mention.value),
                        .text(mention.value.precision.description),
                        mention.end.map(FieldValue.date) ?? .null,
                        .text(scalars.sentence(around: mention.range.lowerBound))
                    ], line, dates.count))
        }
    }

    /// Numbers with a counter or unit (`540개`), each with its sentence.
    private mutating func addFigures(_ scalars: ScalarText, _ line: Line) {
        for figure in FigureMention.scan(scalars, units: profile.figureUnits) {
            figures.append(
                record(
                    [
                        .text(scalars.string(figure.range)), figure.number, .text(figure.unit),
                        .text(scalars.sentence(around: figure.range.lowerBound))
                    ], line, figures.count))
        }
    }

    /// A record with the line span appended as `firstLine`, `lastLine`.
    private func record(_ values: [FieldValue], _ line: Line, _ index: Int, lastLine: Int? = nil) -> Record {
        let last = lastLine ?? line.number
        return Record(
            values: values + [.integer(Int64(line.number)), .integer(Int64(last))],
            provenance: Provenance(source: path, line: line.number, endLine: last, recordNumber: index + 1))
    }

    /// Text without spaces and leader dots, for comparing headings with table-of-contents titles.
    static func compact(_ text: String) -> String {
        String(text.filter { !$0.isWhitespace && !"·•.…ㆍ".contains($0) })
    }

    // MARK: - Resources

    func resources() -> [Resource] {
        let span = ["firstLine", "lastLine"]
        var result: [Resource] = []
        var issueRecords: [Record] = []
        if let issue {
            let values: [FieldValue] = [
                .text(profile.series), .integer(Int64(issue.number)),
                DateValue(year: issue.year, month: issue.month).map(FieldValue.date) ?? .null,
                issue.tagline.map(FieldValue.text) ?? .null,
                issue.title.isEmpty ? .null : .text(issue.title.joined(separator: " ")),
                issue.publisher.map(FieldValue.text) ?? .null, issue.producer.map(FieldValue.text) ?? .null,
                issue.phone.map(FieldValue.text) ?? .null, issue.web.map(FieldValue.text) ?? .null,
                issue.email.map(FieldValue.text) ?? .null,
                .integer(Int64(issue.line)), .integer(Int64(issue.lastLine))
            ]
            issueRecords.append(
                Record(
                    values: values,
                    provenance: Provenance(
                        source: path, line: issue.line,
                        endLine: issue.lastLine, recordNumber: 1)))
        }
        // Each resource's fields, then the span of lines it came from.
        func add(_ name: String, _ fields: [String], _ records: [Record]) {
            result.append(Resource(name: name, schema: RecordSchema(fieldNames: fields + span), records: records))
        }
        add(
            "issue",
            ["series", "number", "yearMonth", "tagline", "title", "publisher", "producer", "phone", "web", "email"],
            issueRecords)
        add("toc", ["title", "page"], toc)
        let sectionRecords = sections.enumerated().map { index, section in
            Record(
                values: [
                    .integer(Int64(section.level)), .text(section.title),
                    .integer(Int64(section.first)), .integer(Int64(section.last))
                ],
                provenance: Provenance(
                    source: path, line: section.first, endLine: section.last, recordNumber: index + 1))
        }
        add("sections", ["level", "title"], sectionRecords)
        add("statements", ["section", "heading", "marker", "level", "text"], statements)
        add("numbered_items", ["list", "group", "number", "text"], numberedItems)
        add("citations", ["kind", "author", "date", "datePrecision", "title", "publication", "text"], citations)
        add("dates", ["text", "value", "precision", "end", "sentence"], dates)
        add("figures", ["text", "number", "unit", "sentence"], figures)
        for (index, table) in tables.enumerated() {
            result.append(
                BulletinTable(title: table.title, rows: table.rows, rankSuffix: profile.rankSuffix)
                    .resource(name: "table_\(index + 1)", path: path))
        }
        return result
    }
}
