/// Did-you-mean: the closest known word within two edits.
public func suggestion(for word: String, among known: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
    let candidates = known.map { ($0, distance(Array(word), Array($0))) }.filter { $0.1 <= 2 }
    return candidates.min { $0.1 < $1.1 }?.0
}
