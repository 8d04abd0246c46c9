import PublicaCore

/// What one field's written values look like, gathered as they are written, in bounded memory:
/// how many are missing, how many distinct (exactly up to ``distinctLimit``, then a lower
/// bound), the smallest and largest, the most common, and for numbers a histogram drawn from a
/// fixed-size sample.
///
/// Values are read as bytes; a `String` is made only for the few values the report shows.
public struct FieldProfile: Sendable {
    /// The field's name.
    public let name: String
    /// The schema's type for the field, if it declares one.
    public let declaredType: String?
    /// Values present (not null, not empty).
    public private(set) var present = 0
    /// Values null or empty.
    public private(set) var missing = 0
    /// Present values that read as numbers, and as whole numbers.
    private var numbers = 0
    private var integers = 0
    private var dates = 0

    /// Distinct values are counted exactly up to this many; past it, the count is a lower bound.
    public static let distinctLimit = 10_000
    /// Longer values are not counted as distinct values (they are rarely codes).
    static let keyLimit = 256
    private var seen = ByteKeyTable(capacity: 64)
    private var seenCounts: [Int] = []
    private var distinctIncomplete = false

    private var textMin: [UInt8]?
    private var textMax: [UInt8]?
    private var numberMin = Double.infinity
    private var numberMax = -Double.infinity
    private var numberMinText = ""
    private var numberMaxText = ""

    /// The histogram's sample: a reservoir of numbers, its generator seeded the same every run
    /// so a report is the same for the same data.
    static let sampleSize = 2048
    private var sample: [Double] = []
    private var random = SplitMix(seed: 0x5075_626C_6963_61)

    /// A profile for `name`, typed by the schema when it declares the field.
    public init(name: String, declaredType: String?) {
        self.name = name
        self.declaredType = declaredType
    }

    /// Counts one value, its bytes as written (null when absent).
    public mutating func add(_ bytes: UnsafeBufferPointer<UInt8>?) {
        guard let bytes, !bytes.isEmpty else {
            missing += 1
            return
        }
        present += 1
        countDistinct(bytes)
        updateTextRange(bytes)
        if ByteShape.isISODate(bytes) { dates += 1 }
        guard declaresText == false, let number = ByteShape.number(bytes) else { return }
        numbers += 1
        if number.isInteger { integers += 1 }
        if number.value < numberMin {
            numberMin = number.value
            numberMinText = String(decoding: bytes, as: UTF8.self)
        }
        if number.value > numberMax {
            numberMax = number.value
            numberMaxText = String(decoding: bytes, as: UTF8.self)
        }
        addToSample(number.value)
    }

    /// Strings, dates and booleans declared as such are never profiled as numbers (codes such as
    /// `4211` are text).
    private var declaresText: Bool {
        guard let declaredType else { return false }
        return !["integer", "number", "year", "any"].contains(declaredType)
    }

    private mutating func countDistinct(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= FieldProfile.keyLimit else {
            distinctIncomplete = true
            return
        }
        if let index = seen.value(for: bytes) {
            seenCounts[index] += 1
        } else if seen.count < FieldProfile.distinctLimit {
            seen.insert(bytes, value: seenCounts.count)
            seenCounts.append(1)
        } else {
            distinctIncomplete = true
        }
    }

    private mutating func updateTextRange(_ bytes: UnsafeBufferPointer<UInt8>) {
        let kept = UnsafeBufferPointer(rebasing: bytes.prefix(FieldProfile.keyLimit))
        if textMin.map({ ByteShape.less(kept, $0) }) ?? true { textMin = Array(kept) }
        if textMax.map({ ByteShape.less($0, kept) }) ?? true { textMax = Array(kept) }
    }

    private mutating func addToSample(_ value: Double) {
        if sample.count < FieldProfile.sampleSize {
            sample.append(value)
        } else {
            let slot = Int(random.next() % UInt64(numbers))
            if slot < FieldProfile.sampleSize { sample[slot] = value }
        }
    }

    /// The type the values show: the declared one, else what every present value reads as.
    public var type: String {
        if let declaredType { return declaredType }
        guard present > 0 else { return "any" }
        if integers == present { return "integer" }
        if numbers == present { return "number" }
        if dates == present { return "date" }
        return "string"
    }

    /// Whether the values are profiled as numbers (range and histogram from their values).
    var isNumeric: Bool { numbers > 0 && ["integer", "number", "year"].contains(type) }

    /// Distinct values counted (exact unless ``distinctIsLowerBound``).
    public var distinct: Int { seen.count }
    /// True when there were more distinct values (or longer ones) than were counted.
    public var distinctIsLowerBound: Bool { distinctIncomplete }

    /// The most common values (each seen more than once), most frequent first, ties in the order met.
    public func mostCommon(_ count: Int = 5) -> [(value: String, count: Int)] {
        var entries: [(value: String, count: Int, order: Int)] = []
        seen.forEach { bytes, index in
            let times = seenCounts[index]
            guard times > 1 else { return }
            entries.append((String(decoding: bytes, as: UTF8.self), times, index))
        }
        entries.sort { $0.count != $1.count ? $0.count > $1.count : $0.order < $1.order }
        return entries.prefix(count).map { ($0.value, $0.count) }
    }

    /// The smallest and largest values: as numbers for a numeric field, else in byte order.
    public var range: (min: String, max: String)? {
        if isNumeric { return (numberMinText, numberMaxText) }
        guard let textMin, let textMax else { return nil }
        return (String(decoding: textMin, as: UTF8.self), String(decoding: textMax, as: UTF8.self))
    }

    /// A histogram of a numeric field's sample: `bins` counts between its minimum and maximum.
    public func histogram(bins: Int = 20) -> [Int]? {
        guard isNumeric, sample.count > 1, numberMax > numberMin, numberMax.isFinite, numberMin.isFinite else {
            return nil
        }
        var counts = Array(repeating: 0, count: bins)
        let width = (numberMax - numberMin) / Double(bins)
        for value in sample {
            counts[min(max(Int((value - numberMin) / width), 0), bins - 1)] += 1
        }
        return counts
    }

    /// How many values the histogram was drawn from.
    public var sampled: Int { sample.count }

    /// The profile as the run report gives it.
    public var document: FieldValue {
        var entries: [(key: String, value: FieldValue)] = [
            ("name", .text(name)), ("type", .text(type)), ("present", .integer(Int64(present))),
            ("missing", .integer(Int64(missing))), ("distinct", .integer(Int64(distinct)))
        ]
        if distinctIsLowerBound { entries.append(("distinctIsLowerBound", .boolean(true))) }
        if let range {
            entries += [("min", .text(range.min)), ("max", .text(range.max))]
        }
        let common = mostCommon()
        if !common.isEmpty {
            entries.append(
                (
                    "mostCommon",
                    .list(common.map { .object([("value", .text($0.value)), ("count", .integer(Int64($0.count)))]) })
                ))
        }
        if let histogram = histogram() {
            entries.append(
                (
                    "histogram",
                    .object([
                        ("min", .text(numberMinText)), ("max", .text(numberMaxText)),
                        ("sampled", .integer(Int64(sampled))),
                        ("counts", .list(histogram.map { .integer(Int64($0)) }))
                    ])
                ))
        }
        return .object(entries)
    }
}

/// A small, fast, seeded generator (SplitMix64), for a sample that is the same on every run.
struct SplitMix: Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
