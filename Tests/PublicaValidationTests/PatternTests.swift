import Foundation
import PublicaCore
import Testing

@testable import PublicaValidation

/// The linear-time pattern engine: the same answers as Swift's (backtracking) `Regex`, no
/// catastrophic slowdowns, and clear refusals for what no linear matcher can do.
struct PatternTests {
    /// A small deterministic generator, so failures reproduce.
    struct Generator {
        var seed: UInt64
        mutating func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(seed >> 33) % bound
        }
    }

    static let atoms = [
        "a", "b", "-", "가", "[ab]", "[a-c]", "[^a]", "[가-힣]", "[0-9]", "\\d", "[.-]", ".", "\\w", "[\\d-]", "[\\w.]",
        "[^\\s]"
    ]
    static let quantifiers = ["", "", "", "?", "*", "+", "{2}", "{1,3}", "{0,2}", "{2,}", "*?", "+?", "??"]

    /// A random expression with groups and alternation, `depth` levels deep at most. A group
    /// holding groups is at most optional: Swift's backtracking `Regex`, the oracle, takes
    /// minutes on quantified groups of quantified groups even on 7-character texts.
    static func expression(_ random: inout Generator, depth: Int) -> String {
        var items: [String] = []
        for _ in 0..<(1 + random.next(3)) {
            var item: String
            var quantifier = quantifiers[random.next(quantifiers.count)]
            if depth > 0 && random.next(3) == 0 {
                let branches = (0..<(1 + random.next(3))).map { _ in expression(&random, depth: depth - 1) }
                item = (random.next(2) == 0 ? "(" : "(?:") + branches.joined(separator: "|") + ")"
                if depth > 1 && branches.contains(where: { $0.contains("(") }) {
                    quantifier = random.next(2) == 0 ? "" : "?"
                }
            } else {
                item = atoms[random.next(atoms.count)]
            }
            items.append(item + quantifier)
        }
        return items.joined()
    }

    @Test func agreesWithRegexOnGroupsAlternationAndAnchors() throws {
        var random = Generator(seed: 2026)
        let letters: [Character] = ["a", "b", "c", "-", ".", "1", "가", "힣"]
        for _ in 0..<500 {
            var source = PatternTests.expression(&random, depth: 2)
            if random.next(4) == 0 { source = "^" + source }
            if random.next(4) == 0 { source += "$" }
            if random.next(5) == 0 { source += "|" + PatternTests.expression(&random, depth: 1) }
            let pattern = try Pattern(source)
            let regex = try Regex(source)
            for _ in 0..<20 {
                let text = String((0..<random.next(8)).map { _ in letters[random.next(letters.count)] })
                let expected = (try? regex.wholeMatch(in: text)) != nil
                #expect(pattern.matches(text) == expected, "\(source) on \(text)")
            }
        }
    }

    @Test(arguments: [
        ("(ab)+", "abab", true), ("(ab)+", "aba", false), ("a|b", "b", true), ("^a|b$", "b", true),
        ("(?:19|20)[0-9]{2}", "2024", true), ("(?:19|20)[0-9]{2}", "2124", false),
        ("[A-Z]{2}(-[0-9]+)*", "KR-1-22", true), ("\\p{L}+", "홍길동abc", true), ("\\p{Lu}\\p{Ll}+", "Seoul", true),
        ("\\p{Lu}\\p{Ll}+", "seoul", false), ("\\p{Hangul}{2,4}", "홍길동", true), ("\\P{Hangul}+", "abc", true),
        ("\\P{Hangul}+", "a가", false), ("[\\p{Nd}.]+", "3.14", true), ("\\s*x\\s*", " x\t", true),
        ("\\S+", "a b", false), ("\\W", "!", true), ("a{0}", "", true), ("(a|)+", "aaa", true),
        ("(a*)*b", "aab", true), ("x{2,3}?", "xxx", true), ("\\.\\*\\{", ".*{", true), ("a{,2}", "a{,2}", true),
        // Python-flavoured forms schemas carry (frictionless-py matches with `re`).
        ("[\\u00C0-\\u00FF]+", "éà", true), ("\\x41\\u{AC00}", "A가", true), ("(?P<year>[0-9]{4})", "2024", true),
        ("(?<y>a|b)+", "abba", true)
    ])
    func examples(source: String, text: String, matches: Bool) throws {
        let pattern = try Pattern(source)
        #expect(pattern.matches(text) == matches)
        #expect(Array(text.utf8).withUnsafeBufferPointer { pattern.matches(utf8: $0) } == matches)
    }

    /// Each of these takes exponential time with backtracking; here each is one pass.
    // The limit guards against a hang only: its clock runs while the test waits for a free thread
    // of the shared pool, and a loaded two-core CI machine once needed more than a minute.
    @Test(.timeLimit(.minutes(10)), arguments: ["(a+)+$", "(a|aa)+b", "(x+x+)+y", "a*a*a*a*a*a*b"])
    func catastrophicPatternsFinish(source: String) throws {
        let pattern = try Pattern(source)
        let letter = source.contains("x") ? "x" : "a"
        let text = String(repeating: letter, count: 10_000) + "!"
        #expect(!pattern.matches(text))
        #expect(
            pattern.matches(String(repeating: letter, count: 10_000) + (source.hasSuffix("$") ? "" : source.suffix(1))))
    }

    @Test(arguments: [
        ("(a)\\1", "a backreference"), ("a(?=b)", "a look-ahead"), ("a(?!b)", "a look-ahead"),
        ("(?<=a)b", "a look-behind"), ("(?<!a)b", "a look-behind"), ("(?>a+)b", "an atomic group"),
        ("a++b", "a possessive quantifier"), ("\\bword", "a word boundary"), ("\\p{Greek}", "\\p{Greek}"),
        ("[a-z-[aeiou]]", "class subtraction"), ("(?i)abc", "\"(?\" group")
    ])
    func unsupportedConstructsAreRefused(source: String, named: String) {
        let error = #expect(throws: PatternError.self) { try Pattern(source) }
        #expect(error?.reason.contains(named) == true, "\(error?.reason ?? "")")
        #expect(error?.reason.contains("which Publica does not support") == true)
    }

    @Test(arguments: ["([a-z", "a)", "*a", "a{3,2}", "[z-a]", "a**", "\\"])
    func badSyntaxIsRefused(source: String) {
        let error = #expect(throws: PatternError.self) { try Pattern(source) }
        #expect(error?.reason.hasPrefix("invalid pattern") == true, "\(error?.reason ?? "")")
    }

    @Test func programSizeIsBounded() throws {
        _ = try Pattern("[0-9]{1,5000}")
        let error = #expect(throws: PatternError.self) { try Pattern("(x{100}){1000}") }
        #expect(error?.reason.contains("too large") == true)
        #expect(throws: PatternError.self) { try Pattern("((((a{1000}){1000}){1000}){1000})") }
        // Repeating nothing compiles to nothing, however many times (not 10^12 empty loops).
        let empty = try Pattern("((){1000000}){1000000}(a{0}){1000000}b")
        #expect(empty.matches("b") && !empty.matches("ab"))
    }

    /// The refusal reaches the schema as a field-error naming the field.
    @Test func refusalIsASchemaProblem() throws {
        let descriptor: FieldValue = .object([
            (
                "fields",
                .list([
                    .object([
                        ("name", "code"),
                        ("constraints", .object([("pattern", "(a)\\1")]))
                    ])
                ])
            )
        ])
        let problems = #expect(throws: SchemaProblems.self) {
            try TableSchema(descriptor: descriptor, source: "inline")
        }
        let note = problems?.problems.first?.message ?? ""
        #expect(problems?.problems.first?.code == "field-error")
        #expect(
            note.hasPrefix(
                "field \"code\": pattern uses a backreference, which Publica does not support (patterns are matched in linear time)"
            ), "\(note)")
    }
}
