import PublicaCore

/// What a typed output (SQLite, Parquet) knows of the table beyond its field names: each field's
/// declared type, the keys, the descriptions. Made from the pipeline's Table Schema; a sink given
/// none treats every field as untyped.
public struct TableDescription: Sendable, Hashable {
    /// One field as the schema declares it.
    public struct Field: Sendable, Hashable {
        /// The field's name (as in the record schema).
        public var name: String
        /// The Table Schema type (`string`, `integer`, `number`, `boolean`, `date`, `datetime`,
        /// `time`, `year`, …), or nil when the schema does not say.
        public var type: String?
        /// Digits after the decimal point of a `number` field, when the schema declares them
        /// (`scale`, a custom field property): Parquet stores such numbers as DECIMAL.
        public var scale: Int?
        /// The field's title and description from the schema.
        public var title: String?
        /// A sentence or two on what the field holds.
        public var description: String?

        /// A field of `name`, its type and scale if known.
        public init(
            name: String, type: String? = nil, scale: Int? = nil, title: String? = nil, description: String? = nil
        ) {
            self.name = name
            self.type = type
            self.scale = scale
            self.title = title
            self.description = description
        }
    }

    /// A foreign key: these fields refer to `referencedFields` of `resource` (empty: this table).
    public struct ForeignKey: Sendable, Hashable {
        /// The referring fields.
        public var fields: [String]
        /// The table referred to (a resource name; empty for this one).
        public var resource: String
        /// The fields referred to.
        public var referencedFields: [String]

        /// A foreign key from `fields` to `referencedFields` of `resource`.
        public init(fields: [String], resource: String, referencedFields: [String]) {
            self.fields = fields
            self.resource = resource
            self.referencedFields = referencedFields
        }
    }

    /// The table's name (the resource's), which names the SQLite table.
    public var name: String
    /// The resource's title, if it has one.
    public var title: String?
    /// The resource's description, if it has one.
    public var description: String?
    /// The fields the schema declares (fields it does not declare are untyped).
    public var fields: [Field]
    /// The primary key's fields, empty for none.
    public var primaryKey: [String]
    /// The foreign keys.
    public var foreignKeys: [ForeignKey]
    /// The text fields a full-text index covers (SQLite), empty for none.
    public var searchFields: [String]

    /// A description of table `name`.
    public init(
        name: String, title: String? = nil, description: String? = nil, fields: [Field] = [],
        primaryKey: [String] = [], foreignKeys: [ForeignKey] = [], searchFields: [String] = []
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.fields = fields
        self.primaryKey = primaryKey
        self.foreignKeys = foreignKeys
        self.searchFields = searchFields
    }

    /// The declared field named `name`, if any.
    public func field(named name: String) -> Field? { fields.first { $0.name == name } }
}
