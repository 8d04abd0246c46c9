import PublicaSQLite
import Testing

/// The full-text entry of a row: its words, and the syllable pairs of every Hangul run of three
/// syllables or more.
@Suite struct SearchTextTests {
    func entry(_ texts: String...) -> String {
        var search = SearchText()
        for var text in texts { text.withUTF8 { search.append($0) } }
        return String(decoding: search.finish(), as: UTF8.self)
    }

    @Test func longRunsAddTheirPairs() {
        #expect(entry("춘천시에서") == "춘천시에서 춘천 천시 시에 에서")
        #expect(entry("역사적 자료") == "역사적 자료 역사 사적")
    }

    @Test func twoSyllableWordsAndOtherScriptsStayAsTheyAre() {
        #expect(entry("역사 data 2024") == "역사 data 2024")
        #expect(entry("ÉCOLE") == "ÉCOLE")
        #expect(entry("") == "")
    }

    @Test func fieldsAreSeparatedAndPairsComeAfterTheWords() {
        #expect(entry("강원도 춘천시", "ok") == "강원도 춘천시 ok 강원 원도 춘천 천시")
    }

    @Test func runsEndAtAnythingButASyllable() {
        // A jamo (ㄱ) and a compatibility syllable boundary break the run; a truncated sequence is no syllable.
        #expect(entry("가나ㄱ다라마") == "가나ㄱ다라마 다라 라마")
    }
}
