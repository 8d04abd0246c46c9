/// Which elements are records: `response/body/items/item` (from the root), `//item` (at any
/// depth) or `//items/item` (an `item` whose parent is `items`). A component may carry a
/// namespace prefix (`generic:Obs`); without one it matches the local name in any namespace.
public struct RecordPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of the path: an element name, with the prefix it is written with, if any.
    public struct Component: Sendable, Hashable {
        /// The namespace prefix as written in the document (`generic` in `generic:Obs`); nil matches
        /// the local name in any namespace.
        public var prefix: String?
        /// The element's local name (`Obs`, `item`).
        public var local: String
    }

    /// The steps, outermost first; never empty.
    public let components: [Component]
    /// True for `//…`: the path may start at any depth.
    public let anyDepth: Bool

    /// Parses a path; nil when it is empty or has an empty step.
    public init?(_ text: String) {
        var rest = Substring(text)
        anyDepth = rest.hasPrefix("//")
        rest = rest.drop { $0 == "/" }
        let steps = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard !steps.isEmpty, steps.allSatisfy({ !$0.isEmpty }) else { return nil }
        components = steps.map { step in
            if let colon = step.firstIndex(of: ":") {
                return Component(prefix: String(step[..<colon]), local: String(step[step.index(after: colon)...]))
            }
            return Component(prefix: nil, local: String(step))
        }
    }

    /// The path as written: `//` for ``anyDepth``, steps joined by `/`.
    public var description: String {
        (anyDepth ? "//" : "") + components.map { ($0.prefix.map { $0 + ":" } ?? "") + $0.local }.joined(separator: "/")
    }
}
