import Foundation
import PublicaCore
import PublicaJSON
import Testing

struct JSONTextTests {
    /// Every control character, quotes, backslashes, Hangul and astral characters survive a strict parser.
    @Test func escapesEveryCodePointClass() throws {
        let controls = String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) })
        let text = controls + "\"\\/한글 😀 \u{7F} \u{2028}" + String(repeating: "abcdefgh", count: 5) + "\"end"
        let json = JSONText.render(.text(text))
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
        #expect(parsed as? String == text)
        #expect(!json.utf8.contains { $0 < 0x20 })
    }

    @Test func rendersTypedValues() throws {
        let value = FieldValue.object([
            ("n", .integer(-3)), ("d", .decimal(ExactDecimal("0.1")!)), ("b", .boolean(true)), ("z", .null),
            ("day", .date(DateValue(year: 2022, month: 10)!)), ("list", .list(["a", 1]))
        ])
        #expect(JSONText.render(value) == #"{"n":-3,"d":0.1,"b":true,"z":null,"day":"2022-10","list":["a",1]}"#)
    }

    @Test func fieldNamesAreMadeUnique() {
        #expect(FieldNames.makeUnique(["id", "", "id", " name ", "id"]) == ["id", "field_2", "id_2", "name", "id_3"])
    }
}

/// Library messages spell the options they suggest the way the caller says the user wrote them.
struct OptionNamingTests {
    @Test func flagsOrPipelineKeys() {
        let template = "too long; {--max-record-size} raises it (or use {--on-ragged} pad)"
        #expect(
            OptionNaming.commandLine.render(template)
                == "too long; --max-record-size raises it (or use --on-ragged pad)")
        #expect(
            OptionNaming.pipelineFile.render(template) == "too long; max_record_size raises it (or use on_ragged pad)")
        #expect(OptionNaming.pipelineFile.render("{ not an option } {--") == "{ not an option } {--")
        var error = PublicaError(.data, template)
        error.naming = .pipelineFile
        #expect(error.message.hasPrefix("too long; max_record_size") && error.description.contains("max_record_size"))
    }
}
