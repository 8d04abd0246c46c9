/// A binary min-heap under a given order, just what a k-way merge needs.
struct MergeHeap<Element> {
    private var items: [Element]
    private let before: (Element, Element) -> Bool

    init(_ items: [Element], before: @escaping (Element, Element) -> Bool) {
        self.items = items
        self.before = before
        for index in stride(from: items.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
    }

    var first: Element? { items.first }

    mutating func replaceFirst(with element: Element) {
        items[0] = element
        siftDown(0)
    }

    mutating func removeFirst() {
        let last = items.removeLast()
        if !items.isEmpty { replaceFirst(with: last) }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < items.count && before(items[left], items[best]) { best = left }
            if right < items.count && before(items[right], items[best]) { best = right }
            if best == parent { return }
            items.swapAt(parent, best)
            parent = best
        }
    }
}
