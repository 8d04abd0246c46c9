import Foundation
import PublicaCore
import PublicaTestSupport
import PublicaXML
import Testing

/// Reads every record (and rejection) of an XML file.
func readXML(_ path: String, _ options: XMLReadOptions) throws -> (
    names: [String], records: [Record], rejected: [Rejection], source: XMLRecordSource
) {
    let source = try XMLRecordSource(path: path, options: options)
    var records: [Record] = []
    var rejected: [Rejection] = []
    while let record = try source.next(onReject: { rejected.append($0) }) { records.append(record) }
    return (source.schema.fieldNames, records, rejected, source)
}

func xmlFile(_ text: String, _ directory: borrowing TemporaryDirectory, name: String = "t.xml") throws -> String {
    let path = directory.path(name)
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    return path
}

func field(_ record: Record, _ names: [String], _ name: String) -> FieldValue? {
    names.firstIndex(of: name).map { record.values[$0] }
}

struct GenericXMLTests {
    static let document = """
        <?xml version="1.0" encoding="UTF-8"?>
        <data xmlns:g="urn:geo">
          <item id="1"><name>가 &amp; 나</name><address kind="road"><city>서울</city><zip>01234</zip></address>
            <tag>a</tag><tag>b</tag><note><![CDATA[line\r\none <b>]]></note><g:pos>37.5</g:pos></item>
          <item id="2"><name>&#54620;</name><address/><tag>c</tag></item>
        </data>
        """

    @Test func fieldsFromChildrenAttributesPathsAndRepeats() throws {
        let directory = try TemporaryDirectory()
        let path = try xmlFile(GenericXMLTests.document, directory)
        let (names, records, rejected, _) = try readXML(path, XMLReadOptions(recordPath: RecordPath("data/item")))
        #expect(
            names == ["@id", "name", "address/@kind", "address/city", "address/zip", "tag", "note", "g:pos", "address"])
        #expect(rejected.isEmpty)
        #expect(records.count == 2)
        #expect(field(records[0], names, "name") == .text("가 & 나"))
        #expect(field(records[0], names, "address/zip") == .text("01234"))
        #expect(field(records[0], names, "tag") == .list(["a", "b"]))
        #expect(field(records[0], names, "note") == .text("line\none <b>"))  // CDATA CR LF normalised
        #expect(field(records[1], names, "name") == .text("한"))
        #expect(field(records[1], names, "address/city") == .null)  // absent is null
        #expect(field(records[1], names, "address") == .text(""))  // empty element is empty text
        // The CDATA's line break puts the second item on line 6.
        #expect(records[0].provenance.line == 3 && records[1].provenance.line == 6)
    }

    @Test(arguments: ["//item", "//data/item", "/data/item", "data/item"])
    func pathSpellings(path: String) throws {
        let directory = try TemporaryDirectory()
        let file = try xmlFile(GenericXMLTests.document, directory)
        #expect(try readXML(file, XMLReadOptions(recordPath: RecordPath(path))).records.count == 2)
    }

    @Test func namespacePrefixInThePath() throws {
        let directory = try TemporaryDirectory()
        let file = try xmlFile(
            "<r xmlns:a='urn:a' xmlns:b='urn:b'><a:x><v>1</v></a:x><b:x><v>2</v></b:x></r>", directory)
        #expect(try readXML(file, XMLReadOptions(recordPath: RecordPath("//a:x"))).records.map(\.values) == [["1"]])
        #expect(try readXML(file, XMLReadOptions(recordPath: RecordPath("//x"))).records.count == 2)
    }

    /// Chunk borders anywhere (inside names, entities, CDATA, multi-byte characters) change nothing.
    @Test(arguments: [7, 61, 4096])
    func chunkBordersDoNotMatter(chunkSize: Int) throws {
        let directory = try TemporaryDirectory()
        let file = try xmlFile(GenericXMLTests.document, directory)
        let small = try readXML(file, XMLReadOptions(recordPath: RecordPath("//item"), chunkSize: chunkSize))
        let large = try readXML(file, XMLReadOptions(recordPath: RecordPath("//item")))
        #expect(small.records == large.records)
    }

    /// The raw fast path (records as bytes) gives the same records as the typed path, across chunk borders.
    @Test(arguments: [7, 61, 4096])
    func rawPathMatchesTypedPath(chunkSize: Int) throws {
        let directory = try TemporaryDirectory()
        let file = try xmlFile(GenericXMLTests.document, directory)
        let options = XMLReadOptions(recordPath: RecordPath("//item"), chunkSize: chunkSize)
        let source = try XMLRecordSource(path: file, options: options)
        var viaRaw: [Record] = []
        try source.forEach(raw: { viaRaw.append($0.makeRecord()) }, record: { viaRaw.append($0) }, onReject: { _ in })
        let typed = try readXML(file, options)
        #expect(viaRaw.map(\.values) == typed.records.map(\.values))
        #expect(viaRaw.map(\.provenance) == typed.records.map(\.provenance))
        #expect(viaRaw.count == 2)
    }

    @Test func aFieldFirstSeenAfterTheSampleIsRejectedNotDropped() throws {
        let directory = try TemporaryDirectory()
        let file = try xmlFile("<r><i><a>1</a></i><i><a>2</a></i><i><a>3</a><late>x</late></i></r>", directory)
        let (names, records, rejected, _) = try readXML(
            file, XMLReadOptions(recordPath: RecordPath("//i"), schemaSampleSize: 1, chunkSize: 16))
        #expect(names == ["a"])
        #expect(records.count == 1 + 1)
        #expect(rejected.count == 1 && rejected[0].field == "late" && rejected[0].rule == "unknown-field")
    }

    @Test func needsARecordPathOrPreset() throws {
        let directory = try TemporaryDirectory()
        let file = try xmlFile("<r/>", directory)
        let error = #expect(throws: PublicaError.self) { try readXML(file, XMLReadOptions()) }
        #expect(error?.exitStatus == .usage)
    }
}

struct HostileXMLTests {
    @Test func externalEntityIsRefusedAndNothingLeaks() throws {
        let directory = try TemporaryDirectory()
        let file = try xmlFile(
            """
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <r><item><a>&xxe;</a></item></r>
            """, directory)
        var seen: [Record] = []
        let error = #expect(throws: PublicaError.self) {
            let source = try XMLRecordSource(path: file, options: XMLReadOptions(recordPath: RecordPath("//item")))
            while let record = try source.next(onReject: { _ in }) { seen.append(record) }
        }
        #expect(error?.exitStatus == .dataError)
        #expect(error?.message.contains("DOCTYPE") == true)
        #expect(error?.location?.line == 2)
        #expect(seen.isEmpty)
        #expect(error?.description.contains("root:") == false)
    }

    @Test func billionLaughsIsRefused() throws {
        let directory = try TemporaryDirectory()
        var entities = "<!ENTITY lol0 \"lol\">"
        for level in 1...9 {
            entities += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
        }
        let file = try xmlFile(
            "<?xml version=\"1.0\"?><!DOCTYPE r [\(entities)]><r><item><a>&lol9;</a></item></r>", directory)
        let error = #expect(throws: PublicaError.self) {
            try readXML(file, XMLReadOptions(recordPath: RecordPath("//item")))
        }
        #expect(error?.message.contains("DOCTYPE") == true)
    }

    @Test func doctypePointingAtANetworkAddressIsRefused() throws {
        let directory = try TemporaryDirectory()
        let file = try xmlFile(
            "<?xml version=\"1.0\"?><!DOCTYPE r SYSTEM \"http://example.invalid/r.dtd\"><r/>", directory)
        #expect(throws: PublicaError.self) { try readXML(file, XMLReadOptions(recordPath: RecordPath("//item"))) }
    }

    @Test func undefinedEntityIsAnError() throws {
        let directory = try TemporaryDirectory()
        let file = try xmlFile("<r><item>&nope;</item></r>", directory)
        let error = #expect(throws: PublicaError.self) {
            try readXML(file, XMLReadOptions(recordPath: RecordPath("//item")))
        }
        #expect(error?.message.contains("nope") == true)
    }

    @Test func mismatchedTagNamesLineAndColumn() throws {
        let directory = try TemporaryDirectory()
        let file = try xmlFile("<r>\n<item><a>1</b></item></r>", directory)
        let error = #expect(throws: PublicaError.self) {
            try readXML(file, XMLReadOptions(recordPath: RecordPath("//item")))
        }
        #expect(error?.exitStatus == .dataError)
        #expect(error?.location?.line == 2)
        #expect(error?.location?.column != nil)
        #expect(error?.message.contains("mismatch") == true)
    }

    @Test func tenThousandLevelsDeepIsAnError() throws {
        let directory = try TemporaryDirectory()
        let file = try xmlFile(
            String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000), directory)
        let error = #expect(throws: PublicaError.self) {
            try readXML(file, XMLReadOptions(recordPath: RecordPath("//b")))
        }
        #expect(error?.message.contains("depth") == true)
    }

    @Test func emptyAndTruncatedFilesAreErrors() throws {
        let directory = try TemporaryDirectory()
        for text in ["", "<r><item><a>1</a>"] {
            let file = try xmlFile(text, directory)
            let error = #expect(throws: PublicaError.self) {
                try readXML(file, XMLReadOptions(recordPath: RecordPath("//item")))
            }
            #expect(error?.exitStatus == .dataError)
        }
    }
}
