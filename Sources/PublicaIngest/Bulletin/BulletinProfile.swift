import Foundation
import PublicaCore

/// What one bulletin series looks like, as data: its markers, prefixes and noise.
///
/// The reader holds no series-specific pattern of its own. Another issue of the same series
/// needs nothing; another ministry's bulletin needs a profile (a JSON file with these keys),
/// not new code. ``rndKiosk`` is the built-in profile of the Ministry of Science and ICT's
/// *R&D KIOSK*.
public struct BulletinProfile: Codable, Sendable, Hashable {
    /// The series name, e.g. `R&D KIOSK`.
    public var series: String
    /// Regular expressions that find the issue marker, with named groups `number`, `year`, `month`.
    public var issuePatterns: [String]
    /// The line that starts the table of contents, e.g. `차 례` (spaces are ignored).
    public var tocMarker: String
    /// Line prefixes naming the publisher, e.g. `기획ㆍ발행:`.
    public var publisherPrefixes: [String]
    /// Line prefixes naming the producer (editing, design).
    public var producerPrefixes: [String]
    /// Line prefixes that introduce sources, e.g. `자료:`, `이미지 자료:`.
    public var citationPrefixes: [String]
    /// Bullet markers and their nesting level, e.g. `•` 1, `-` 2.
    public var bullets: [String: Int]
    /// Characters that PDF extraction put where a circled number was, e.g. `®` for ⑧.
    public var circledNumberNoise: [String: Int]
    /// Strings removed wherever they occur (HTML remnants, markdown emphasis).
    public var noise: [String]
    /// Counter and unit words that make a number a figure, longest first (`개국` before `개`).
    public var figureUnits: [String]
    /// The suffix that makes a cell a rank (`1위` is rank 1).
    public var rankSuffix: String
    /// The longest line that may be a heading (in characters).
    public var maxHeadingLength: Int

    /// A profile built in code; ``load(path:)`` reads one from a JSON file with the same keys.
    public init(
        series: String, issuePatterns: [String], tocMarker: String, publisherPrefixes: [String],
        producerPrefixes: [String], citationPrefixes: [String], bullets: [String: Int],
        circledNumberNoise: [String: Int], noise: [String], figureUnits: [String], rankSuffix: String,
        maxHeadingLength: Int
    ) {
        self.series = series
        self.issuePatterns = issuePatterns
        self.tocMarker = tocMarker
        self.publisherPrefixes = publisherPrefixes
        self.producerPrefixes = producerPrefixes
        self.citationPrefixes = citationPrefixes
        self.bullets = bullets
        self.circledNumberNoise = circledNumberNoise
        self.noise = noise
        self.figureUnits = figureUnits
        self.rankSuffix = rankSuffix
        self.maxHeadingLength = maxHeadingLength
    }

    /// The Ministry of Science and ICT's *R&D KIOSK* (국가연구개발사업 정보 길잡이).
    public static let rndKiosk = BulletinProfile(
        series: "R&D KIOSK",
        issuePatterns: [
            #"제\s*(?<number>\d{1,4})\s*호\s*(?<year>\d{4})\s*년\s*(?<month>\d{1,2})\s*월"#,
            #"(?<year>\d{4})\s*년\s*(?<month>\d{1,2})\s*월\s*제\s*(?<number>\d{1,4})\s*호"#
        ],
        tocMarker: "차례",
        publisherPrefixes: ["기획ㆍ발행:", "기획·발행:", "발행:"],
        producerPrefixes: ["자료조사ㆍ편집ㆍ디자인:", "자료조사·편집·디자인:", "편집:"],
        citationPrefixes: ["이미지 자료:", "자료:", "출처:"],
        bullets: ["•": 1, "-": 2, "·": 3],
        circledNumberNoise: ["®": 8],
        noise: ["<mark>", "</mark>", "**"],
        figureUnits: ["개국", "개", "가지", "명", "건", "곳", "억원", "억 원", "조원", "조 원", "만원", "원", "%"],
        rankSuffix: "위",
        maxHeadingLength: 40
    )

    /// Reads a profile from a JSON file.
    public static func load(path: String) throws -> BulletinProfile {
        do {
            let data = Data(try FileInput.readAll(path: path, limit: 1 << 20))
            return try JSONDecoder().decode(BulletinProfile.self, from: data)
        } catch let error as PublicaError {
            throw error
        } catch let error as DecodingError {
            throw PublicaError(.usage, "invalid bulletin profile: \(error)", at: SourceLocation(file: path))
        } catch {
            throw PublicaError(
                .io, "cannot read the bulletin profile: \(error.localizedDescription)",
                at: SourceLocation(file: path))
        }
    }
}
