import PublicaExport

/// How one field is stored in Parquet, from its Table Schema type.
///
/// `integer` is INT64; `number` a DECIMAL(38, scale) in 16 bytes (the declared `scale`, else
/// the largest the first row group shows); `date` INT32 days since 1970; `datetime` INT64
/// microseconds since 1970 (TIMESTAMP, adjusted to UTC when the values carry an offset);
/// `boolean` BOOLEAN; `year` INT32; everything else, and a field the schema does not type, a
/// UTF-8 STRING.
enum ParquetColumnType: Equatable {
    case integer
    /// `scale` nil until the first row group fixes it (no declared scale).
    case decimal(scale: Int?)
    case date
    /// `utc` nil until the first value with or without an offset says which.
    case timestamp(utc: Bool?)
    case boolean
    case year
    case string

    /// The type for a field the schema declares as `field` (nil: undeclared).
    init(_ field: TableDescription.Field?) {
        switch field?.type {
        case "integer": self = .integer
        case "number": self = .decimal(scale: field?.scale)
        case "date": self = .date
        case "datetime": self = .timestamp(utc: nil)
        case "boolean": self = .boolean
        case "year": self = .year
        default: self = .string
        }
    }

    var physical: ParquetMetadata.PhysicalType {
        switch self {
        case .integer, .timestamp: .int64
        case .decimal: .fixedLenByteArray
        case .date, .year: .int32
        case .boolean: .boolean
        case .string: .byteArray
        }
    }

    /// The legacy `ConvertedType`, for readers older than logical types.
    var convertedType: Int32? {
        switch self {
        case .string: 0  // UTF8
        case .decimal: 5
        case .date: 6
        case .timestamp(let utc): utc == false ? nil : 10  // TIMESTAMP_MICROS means UTC-adjusted
        case .integer, .boolean, .year: nil
        }
    }

    /// The `LogicalType` union (field 10 of the schema element).
    func writeLogicalType(_ element: inout ThriftCompactWriter) {
        switch self {
        case .string: element.struct(10) { $0.struct(1) { _ in } }
        case .decimal(let scale):
            element.struct(10) { logical in
                logical.struct(5) {
                    $0.i32(1, Int32(scale ?? 0))
                    $0.i32(2, 38)
                }
            }
        case .date: element.struct(10) { $0.struct(6) { _ in } }
        case .timestamp(let utc):
            element.struct(10) { logical in
                logical.struct(8) { timestamp in
                    timestamp.bool(1, utc ?? true)
                    timestamp.struct(2) { $0.struct(2) { _ in } }  // MICROS
                }
            }
        case .integer, .boolean, .year: break
        }
    }
}
