/// Publica's version: what `publica --version` prints and what the files it writes name as
/// their creator (a Parquet footer's `created_by`).
public enum PublicaVersion {
    /// The version, `MAJOR.MINOR.PATCH`.
    public static let current = "0.1.0"
}
