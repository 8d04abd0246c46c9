import PublicaExport
import PublicaValidation

extension Engine {
    /// The table as a typed output (SQLite, Parquet) describes it: the pipeline's name and title,
    /// the schema's types, scales, descriptions and keys, and the fields the full-text index covers.
    var tableDescription: TableDescription {
        var table = TableDescription(name: pipeline.name, title: pipeline.title)
        guard let schema = pipeline.schema else {
            table.searchFields = pipeline.searchFields ?? []
            return table
        }
        table.fields = schema.fields.map {
            TableDescription.Field(
                name: $0.name, type: $0.type.rawValue, scale: $0.scale, title: $0.title, description: $0.description)
        }
        table.primaryKey = schema.primaryKey
        table.foreignKeys = schema.foreignKeys.map {
            TableDescription.ForeignKey(
                fields: $0.fields, resource: $0.resource, referencedFields: $0.referencedFields)
        }
        table.searchFields = pipeline.searchFields ?? Engine.defaultSearchFields(schema)
        return table
    }

    /// Without `search:`, the full-text index covers the schema's free-text fields: strings that
    /// are no key and have no pattern or list of allowed values (those are codes, not words).
    static func defaultSearchFields(_ schema: TableSchema) -> [String] {
        let keys = Set(schema.primaryKey + schema.foreignKeys.flatMap(\.fields))
        return schema.fields.filter { field in
            field.type == .string && !keys.contains(field.name) && field.constraints.pattern == nil
                && field.constraints.allowed == nil && field.format == "default"
        }.map(\.name)
    }
}
