/// Where a project's database is (`[store]` in annotty.toml): SQLite in the project folder when
/// `url` is empty, else a PostgreSQL database that annotators on many machines reach.
public struct StoreSettings: Sendable, Equatable {
    /// `postgresql://user@host:port/database?sslmode=...`; empty: annotty.sqlite in the folder.
    public var url: String = ""
    /// The NAME of the environment variable that holds the database password (never stored).
    public var passwordEnv: String = "PGPASSWORD"

    public init(url: String = "", passwordEnv: String = "PGPASSWORD") {
        self.url = url
        self.passwordEnv = passwordEnv
    }

    /// Whether the project's store is PostgreSQL rather than the folder's SQLite file.
    public var isPostgres: Bool { !url.isEmpty }
}
