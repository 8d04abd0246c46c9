import PublicaCore

extension RecordSchema {
    /// The position of `field`, for step `step`; a field the stream does not have is a usage
    /// error naming the fields it has, with a did-you-mean (the engine places it at the step).
    public func position(of field: String, for step: String) throws -> Int {
        if let index = fieldNames.firstIndex(of: field) { return index }
        let hint = suggestion(for: field, among: fieldNames).map { "; did you mean '\($0)'?" } ?? ""
        throw PublicaError(
            .usage, "\(step): no field '\(field)' (fields: \(fieldNames.joined(separator: ", ")))\(hint)")
    }

    /// The positions of `fields`, in order, as ``position(of:for:)`` finds each.
    public func positions(of fields: [String], for step: String) throws -> [Int] {
        try fields.map { try position(of: $0, for: step) }
    }
}
