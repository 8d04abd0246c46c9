import Foundation
import PublicaCore
import PublicaTestSupport
import PublicaXLSX
import Testing

/// Every corpus workbook converts to the values its `expected.json` gives (openpyxl's reading):
/// every cell of every sheet, by row number, numbers compared exactly where they are whole.
struct XLSXCorpusTests {
    static let workbooks = [
        "kedi-higher-ed-address-2020", "kosis-pop-5age-eupmyeondong-2016", "mois-pop-sex-age-2023-12"
    ]

    @Test(arguments: workbooks)
    func everySheetMatchesExpected(name: String) throws {
        let expected = try #require(
            try JSONSerialization.jsonObject(with: Fixtures.data("xlsx/\(name).expected.json")) as? [String: Any])
        let sheets = try #require(expected["sheets"] as? [[String: Any]])
        for sheet in sheets {
            let sheetName = try #require(sheet["name"] as? String)
            let rows = try #require(sheet["rows"] as? [[Any]])
            var options = XLSXReadOptions()
            options.sheet = sheetName
            options.hasHeader = false
            options.sampleRows = 100_000
            let read = try readWorkbook(Fixtures.url("xlsx/\(name).xlsx").path, options)
            #expect(read.rejections.isEmpty)
            #expect(read.source.schema.count == sheet["max_column"] as? Int)
            let byRow = Dictionary(uniqueKeysWithValues: read.records.map { ($0.provenance.line, $0) })
            var mismatches: [String] = []
            for (index, row) in rows.enumerated() {
                let values = byRow[index + 1]?.values ?? []
                for (column, cell) in row.enumerated() {
                    let value = column < values.count ? values[column] : .null
                    if !XLSXCorpusTests.matches(value, cell) {
                        mismatches.append(
                            "\(sheetName)!\(CellReference(column: column + 1, row: index + 1)): \(value) vs \(cell)")
                    }
                }
            }
            #expect(mismatches.isEmpty, "\(mismatches.count) cells differ, e.g. \(mismatches.prefix(5))")
            #expect(read.records.allSatisfy { $0.provenance.source.hasSuffix(".xlsx:\(sheetName)") })
        }
    }

    /// openpyxl's value: null, a string kept exactly (compared in NFC), an int (whole floats
    /// too), or a float, which the exact decimal must round to.
    static func matches(_ value: FieldValue, _ expected: Any) -> Bool {
        switch (value, expected) {
        case (.null, is NSNull): return true
        case (.text(let text), let string as String): return text == string.precomposedStringWithCanonicalMapping
        case (.integer(let integer), let number as NSNumber): return Double(integer) == number.doubleValue
        case (.decimal(let decimal), let number as NSNumber): return Double(decimal.description) == number.doubleValue
        default: return false
        }
    }

    @Test func aFormulaGivesItsCachedValueExactly() throws {
        let read = try readWorkbook(Fixtures.url("xlsx/kosis-pop-5age-eupmyeondong-2016.xlsx").path)
        let row300 = try #require(read.records.first { $0.provenance.line == 300 })
        guard case .decimal(let decimal) = row300.values[4] else {
            Issue.record("E300 is \(row300.values[4])")
            return
        }
        #expect(Double(decimal.description) == 21464.666666666668)
        #expect(read.source.counters.contains { $0.name == "formula cells" && $0.value == 39 })
    }

    @Test func codesWithLeadingZerosStayText() throws {
        var options = XLSXReadOptions()
        options.headerRow = 6
        let read = try readWorkbook(Fixtures.url("xlsx/kedi-higher-ed-address-2020.xlsx").path, options)
        let postcode = try #require(read.source.schema.fieldNames.firstIndex(of: "우편번호"))
        #expect(read.records.contains { $0.values[postcode] == .text("02500") })
        #expect(read.records.first?.provenance.line == 7)
        #expect(read.source.notes.first?.contains("shared strings: 8191") == true)
    }

    @Test func headerRowAutoFindsTheHeaderBelowTitleRows() throws {
        var options = XLSXReadOptions()
        options.findsHeaderRow = true
        let read = try readWorkbook(Fixtures.url("xlsx/mois-pop-sex-age-2023-12.xlsx").path, options)
        #expect(read.source.schema.fieldNames.prefix(2) == ["행정기관코드", "행정기관"])
        #expect(read.records.first?.values[0] == .text("1100000000"))
        #expect(read.records.first?.provenance.line == 5)
        #expect(read.records.count == 291)
    }
}
