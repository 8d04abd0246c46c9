/// What to do with a row whose field count differs from the header's.
public enum FieldCountPolicy: String, Sendable, CaseIterable {
    /// Stop the run with an error naming the line (exit 65).
    case error
    /// Send the row to the rejects output with the reason, and go on.
    case reject
    /// Fill a short row with empty values; a long row is rejected (its extra values have no field).
    case pad
    /// Hand the row on with its own field count, for a validator that reports missing and extra
    /// cells itself. Writers need every row to match the header, so the command line never offers it.
    case keep
}
