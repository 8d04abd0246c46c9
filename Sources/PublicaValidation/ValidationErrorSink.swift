/// Receives a table's errors as the validator finds them, so a report need not hold them all:
/// `publica validate` writes each one out at once and its memory stays flat whatever the count.
///
/// ``TableValidator`` calls ``begin(_:)`` once (name, place and labels known) before the first
/// error, then ``receive(_:)`` per error, in order, at most `errorLimit` times. A sink that
/// throws stops the validation: `validate` rethrows its error.
public protocol ValidationErrorSink: AnyObject {
    func begin(_ task: ValidationTask) throws
    func receive(_ error: ValidationError) throws
}

/// Keeps every error, for tests and small uses.
public final class CollectingErrorSink: ValidationErrorSink {
    public private(set) var errors: [ValidationError] = []
    public private(set) var begun: [String] = []

    public init() {}

    public func begin(_ task: ValidationTask) throws { begun.append(task.place) }
    public func receive(_ error: ValidationError) throws { errors.append(error) }
}
