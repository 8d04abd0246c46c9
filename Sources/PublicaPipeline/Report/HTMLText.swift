import Foundation
import PublicaCore

/// Text for an HTML page: escaped, shortened, numbers grouped; and the page's inline SVG.
enum HTMLText {
    /// `text` with `& < > "` escaped, for element content and attribute values alike.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// At most `limit` characters (an ellipsis marks the cut), escaped; line breaks shown as ⏎.
    static func short(_ text: String, _ limit: Int = 60) -> String {
        let flat = text.replacingOccurrences(of: "\r\n", with: "⏎").replacingOccurrences(of: "\n", with: "⏎")
        return escape(flat.count > limit ? String(flat.prefix(limit - 1)) + "…" : flat)
    }

    /// `1234567` as `1,234,567`.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var result = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { result += "," }
            result.append(digit)
        }
        return (number < 0 ? "-" : "") + result
    }

    /// A value of the report as a whole number (0 when absent).
    static func integer(_ value: FieldValue?) -> Int {
        switch value {
        case .integer(let number): Int(number)
        case .decimal(let number): Int(number.description.split(separator: ".").first ?? "0") ?? 0
        default: 0
        }
    }

    /// A value of the report as text (empty when absent or null).
    static func text(_ value: FieldValue?) -> String {
        switch value {
        case .none, .null: ""
        case .text(let text): text
        case .integer(let number): String(number)
        case .boolean(let value): value ? "true" : "false"
        case .some(let other): other.string ?? "\(other)"
        }
    }

    /// A share as a percentage with one decimal (`12.5 %`), or an empty string for no total.
    static func percent(_ part: Int, of total: Int) -> String {
        guard total > 0 else { return "" }
        let tenths = (part * 1000 + total / 2) / total
        return "\(tenths / 10).\(tenths % 10) %"
    }

    /// A small bar chart of `counts` as inline SVG (`width` × `height` pixels), its bars' titles
    /// giving each bin's count.
    static func histogram(_ counts: [Int], width: Int = 140, height: Int = 36) -> String {
        let largest = max(counts.max() ?? 1, 1)
        let bar = Double(width) / Double(max(counts.count, 1))
        var svg =
            "<svg class=\"histogram\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" "
            + "role=\"img\" aria-label=\"histogram\">"
        for (index, count) in counts.enumerated() {
            let barHeight = count == 0 ? 0 : max(1, Int(Double(height) * Double(count) / Double(largest)))
            let x = Double(index) * bar
            svg +=
                "<rect x=\"\(format(x))\" y=\"\(height - barHeight)\" width=\"\(format(max(bar - 1, 1)))\" "
                + "height=\"\(barHeight)\"><title>\(count)</title></rect>"
        }
        return svg + "</svg>"
    }

    private static func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(String(format: "%02d", hundredths % 100))"
    }
}
