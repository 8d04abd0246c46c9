import PublicaCore

/// Reads a whole JSON document (a schema, a data package descriptor) into ordered values.
public enum JSONDocument {
    /// Parses the file at `path`; errors name the line and column.
    public static func read(path: String) throws -> FieldValue {
        let stream = ByteStream(decoder: TextDecoder(input: try FileInput(path: path), encoding: .utf8))
        let parser = JSONValueParser(stream: stream, sourceName: path)
        let value = try parser.parseValue()
        guard try parser.skipWhitespace() == nil else { throw parser.error("unexpected text after the JSON value") }
        return value
    }
}
