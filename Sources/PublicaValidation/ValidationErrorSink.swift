/// Receives a table's errors as the validator finds them, so a report need not hold them all:
/// `publica validate` writes each one out at once and its memory stays flat whatever the count.
///
/// ``TableValidator`` calls ``begin(_:)`` once (name, place and labels known) before the first
/// error, then ``receive(_:)`` per error, in order, at most `errorLimit` times. A sink that
/// throws stops the validation: `validate` rethrows its error.
public protocol ValidationErrorSink: AnyObject {
    /// Called once per table before its errors (a table without errors too), with its name, place
    /// and, once the header is read, labels set.
    func begin(_ task: ValidationTask) throws
    /// Called for each error, in the order found.
    func receive(_ error: ValidationError) throws
}

/// Keeps every error, for tests and small uses.
public final class CollectingErrorSink: ValidationErrorSink {
    /// Every error received, of every table, in order.
    public private(set) var errors: [ValidationError] = []
    /// The place of each table begun, in order.
    public private(set) var begun: [String] = []

    /// An empty sink.
    public init() {}

    /// Records the table's place in ``begun``.
    public func begin(_ task: ValidationTask) throws { begun.append(task.place) }
    /// Keeps the error in ``errors``.
    public func receive(_ error: ValidationError) throws { errors.append(error) }
}
