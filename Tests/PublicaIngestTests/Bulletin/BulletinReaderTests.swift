import Foundation
import PublicaCore
import PublicaIngest
import PublicaJSON
import PublicaTestSupport
import Testing

/// Reads a bulletin fixture into resources by name.
func bulletin(_ path: String, profile: BulletinProfile = .rndKiosk) throws -> [String: Resource] {
    var reader = BulletinReader(path: path, profile: profile)
    return Dictionary(uniqueKeysWithValues: try reader.readResources().map { ($0.name, $0) })
}

func values(_ resource: Resource?, _ field: String) -> [FieldValue] {
    guard let resource, let index = resource.schema.fieldNames.firstIndex(of: field) else { return [] }
    return resource.records.map { $0.values[index] }
}

/// The resources as NDJSON text, one object per record, for golden files.
func render(_ resource: Resource) -> String {
    resource.records.map { record in
        JSONText.render(.object(zip(resource.schema.fieldNames, record.values).map { (key: $0, value: $1) })) + "\n"
    }.joined()
}

struct BulletinReaderTests {
    static let kiosk = Fixtures.url("bulletins/rnd-kiosk-098.txt").path

    @Test func oecdTableHasFiveCountriesWithSevenIntegerRanks() throws {
        let table = try #require(try bulletin(BulletinReaderTests.kiosk)["table_1"])
        #expect(table.title == "상위 5개국 세부 평가")
        #expect(table.records.count == 5)
        #expect(values(table, "구분") == ["대한민국", "영국", "콜롬비아", "덴마크", "일본"])
        for record in table.records {
            let ranks = record.values[1..<8]
            #expect(ranks.allSatisfy { if case .integer = $0 { true } else { false } })
        }
        #expect(values(table, "선제적 정부") == [12, 11, 1, 15, 7])
    }

    @Test func tenFlagshipProjectsInThreeGoalGroups() throws {
        let items = try #require(try bulletin(BulletinReaderTests.kiosk)["numbered_items"])
        let flagship = items.records.filter { $0.values[0] == .integer(1) }
        #expect(flagship.map { $0.values[2] } == (1...10).map { FieldValue.integer(Int64($0)) })
        #expect(Set(flagship.map { $0.values[1] }) == ["편안한 국민", "혁신하는 기업", "과학적인 정부"])
        // ⑧ came out of the PDF as ®; it is still item 8, in its group.
        #expect(flagship[7].values[1] == "과학적인 정부" && flagship[7].values[3] == "빅데이터 분석으로 복지 사각지대 해소")
    }

    @Test func citationsWithDatesAtTheirPrecision() throws {
        let citations = try #require(try bulletin(BulletinReaderTests.kiosk)["citations"])
        #expect(citations.records.count >= 10)
        let byAuthor = Dictionary(
            citations.records.map { ($0.values[1].textValue ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byAuthor["고진"]?.values[2] == .date(DateValue(year: 2022)!))
        #expect(byAuthor["고진"]?.values[5] == "행정포커스 157호")
        #expect(byAuthor["디지털플랫폼정부위원회"]?.values[2] == .date(DateValue(year: 2022, month: 9, day: 2)!))
        #expect(byAuthor["제20대 대통령직인수위원회"]?.values[3] == "month")
        #expect(byAuthor["한국지능정보사회진흥원"]?.values[2] == .date(DateValue(year: 2022, month: 4)!))
        #expect(byAuthor["S&T GPS"]?.values[2] == .date(DateValue(year: 2022, month: 5, day: 18)!))
        // Several sources on one line are several records.
        #expect(citations.records.filter { $0.provenance.line == 266 }.count == 3)
    }

    @Test func committeeLaunchesAreDatedRecords() throws {
        let dates = try #require(try bulletin(BulletinReaderTests.kiosk)["dates"])
        let launch = dates.records.first { $0.values[1] == .date(DateValue(year: 2022, month: 9, day: 2)!) }
        #expect(launch?.values[4].textValue?.contains("디지털플랫폼정부위원회가 2022년 9월 2일 공식 출범하였습니다") == true)
        let dataCommittee = dates.records.first { $0.values[1] == .date(DateValue(year: 2022, month: 9, day: 14)!) }
        #expect(dataCommittee?.values[4].textValue?.contains("국가데이터정책위원회") == true)
        let range = dates.records.first { $0.values[0] == "2018년부터 2019년까지" }
        #expect(range?.values[1] == .date(DateValue(year: 2018)!) && range?.values[3] == .date(DateValue(year: 2019)!))
    }

    @Test func issueAndContacts() throws {
        let issue = try #require(try bulletin(BulletinReaderTests.kiosk)["issue"]?.records.first)
        #expect(issue.values[0] == "R&D KIOSK" && issue.values[1] == 98)
        #expect(issue.values[2] == .date(DateValue(year: 2022, month: 10)!))
        #expect(issue.values[5] == "과학기술정보통신부")
        #expect(
            issue.values[7] == "02-6956-0801" && issue.values[8] == "www.aply.biz"
                && issue.values[9] == "contactus@aply.biz")
    }

    @Test func figuresAndTableOfContents() throws {
        let resources = try bulletin(BulletinReaderTests.kiosk)
        #expect(values(resources["toc"], "title") == ["소개", "Hot Issue", "OECD 디지털정부평가", "한걸음 더"])
        #expect(values(resources["toc"], "page") == [3, 4, 8, 9])
        let figures = values(resources["figures"], "text")
        #expect(figures.contains("540개") && figures.contains("33개국"))
    }

    /// No noise survives: no `<mark>`, no running header among the statements, every record located.
    @Test func noiseIsGoneAndEveryRecordHasItsLines() throws {
        let resources = try bulletin(BulletinReaderTests.kiosk)
        for resource in resources.values {
            for record in resource.records {
                #expect(record.provenance.line >= 1 && record.provenance.endLine >= record.provenance.line)
                for value in record.values {
                    #expect(!(value.textValue ?? "").contains("<mark>"))
                    #expect(!(value.textValue ?? "").contains("**"))
                }
            }
        }
        #expect(!values(resources["statements"], "text").contains("제98호 2022년 10월"))
        #expect(!values(resources["statements"], "text").contains("2022년 10월 제98호"))
    }

    /// CRLF line ends, a byte-order mark and NFD text give the same records.
    @Test(arguments: ["crlf", "bom", "nfd"])
    func variantsGiveTheSameRecords(variant: String) throws {
        let directory = try TemporaryDirectory()
        let original = try String(contentsOfFile: BulletinReaderTests.kiosk, encoding: .utf8)
        var bytes: [UInt8]
        switch variant {
        case "crlf": bytes = Array(original.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        case "bom": bytes = [0xEF, 0xBB, 0xBF] + Array(original.utf8)
        default: bytes = Array(original.decomposedStringWithCanonicalMapping.utf8)
        }
        #expect(bytes != Array(original.utf8))
        let path = try write(bytes, named: "variant.txt", in: directory)
        let expected = try bulletin(BulletinReaderTests.kiosk)
        let actual = try bulletin(path)
        #expect(actual.keys.sorted() == expected.keys.sorted())
        for (name, resource) in expected {
            #expect(actual[name]?.records.map(\.values) == resource.records.map(\.values), "resource \(name)")
            #expect(actual[name]?.records.map(\.provenance.line) == resource.records.map(\.provenance.line))
        }
    }

    @Test func anotherBulletinNeedsOnlyAProfile() throws {
        let profile = try BulletinProfile.load(path: Fixtures.url("bulletins/science-brief.profile.json").path)
        let resources = try bulletin(Fixtures.url("bulletins/science-brief-012.txt").path, profile: profile)
        let issue = try #require(resources["issue"]?.records.first)
        #expect(issue.values[1] == 12 && issue.values[2] == .date(DateValue(year: 2023, month: 3)!))
        #expect(values(resources["table_1"], "순위") == [1, 2, 3])
        #expect(
            values(resources["table_1"], "증감률") == [
                .decimal(ExactDecimal("4.2")!), .decimal(ExactDecimal("2.1")!),
                .decimal(ExactDecimal("-1.5")!)
            ])
        #expect(values(resources["numbered_items"], "number") == [1, 2, 3, 4])
        #expect(values(resources["citations"], "author") == ["가상예산분석원", "가상지역연구원", "가상통계청", "홍길동"])
        #expect(values(resources["toc"], "title") == ["예산 동향", "지역 혁신 사례", "참고 문헌"])
    }

    @Test func emptyFileGivesEmptyResources() throws {
        let directory = try TemporaryDirectory()
        let resources = try bulletin(try write("", named: "empty.txt", in: directory))
        #expect(resources.values.allSatisfy { $0.records.isEmpty })
    }

    @Test func binaryFileIsAClearError() throws {
        let directory = try TemporaryDirectory()
        let path = try write(
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D], named: "image.txt", in: directory)
        let error = #expect(throws: PublicaError.self) { try bulletin(path) }
        #expect(error?.exitStatus == .dataError)
    }

    @Test func fiftyMegabytesOfRandomLinesIsAClearError() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("big.txt")
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        var generator = SystemRandomNumberGenerator()
        let words = ["가나다", "2022년", "(2021.3)", "\"제목\"", "자료:", "•", "①", "33개국", "\t", "abc", "12위", "."]
        var lines = ""
        while lines.utf8.count < 1 << 20 {
            lines +=
                (0..<10).map { _ in words[Int(generator.next() % UInt64(words.count))] }.joined(separator: " ") + "\n"
        }
        let chunk = Data(lines.utf8)
        for _ in 0..<50 { try handle.write(contentsOf: chunk) }
        try handle.close()
        let error = #expect(throws: PublicaError.self) { try bulletin(path) }
        #expect(error?.message.contains("too large") == true)
    }

    /// A few megabytes of random lines (under the size limit) give a result, in linear time.
    @Test func randomLinesUnderTheLimitGiveAResult() throws {
        let directory = try TemporaryDirectory()
        var text = ""
        var generator = SystemRandomNumberGenerator()
        let words = ["2022년 9월", "(2021.3)", "\"제목\"", "자료:", "- ", "• ", "① 항목", "33개국", "\t", "가나다", "12위", "abc"]
        for _ in 0..<20_000 {
            text +=
                (0..<8).map { _ in words[Int(generator.next() % UInt64(words.count))] }.joined(separator: " ") + "\n"
        }
        let resources = try bulletin(try write(text, named: "random.txt", in: directory))
        #expect(resources["statements"] != nil)
    }
}

struct BulletinGoldenTests {
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// The whole output of both fixtures, resource by resource; `RECORD_GOLDENS=1` rewrites them.
    @Test(arguments: ["rnd-kiosk-098", "science-brief-012"])
    func wholeOutputMatchesGolden(name: String) throws {
        let profile =
            name == "rnd-kiosk-098"
            ? BulletinProfile.rndKiosk
            : try BulletinProfile.load(path: Fixtures.url("bulletins/science-brief.profile.json").path)
        var reader = BulletinReader(path: Fixtures.url("bulletins/\(name).txt").path, profile: profile)
        let resources = try reader.readResources()
        let folder = BulletinGoldenTests.goldens.appendingPathComponent(name)
        let record = ProcessInfo.processInfo.environment["RECORD_GOLDENS"] != nil
        if record { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        for resource in resources {
            // Provenance names the fixture by its bundle path; goldens hold only the data.
            let text = render(resource)
            let file = folder.appendingPathComponent("\(resource.name).ndjson")
            if record {
                try text.write(to: file, atomically: true, encoding: .utf8)
                continue
            }
            let golden = try String(contentsOf: file, encoding: .utf8)
            #expect(text == golden, "\(name)/\(resource.name).ndjson differs from its golden file")
        }
        if !record {
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
                $0.hasSuffix(".ndjson")
            }
            #expect(files.sorted() == resources.map { "\($0.name).ndjson" }.sorted())
        }
    }
}
