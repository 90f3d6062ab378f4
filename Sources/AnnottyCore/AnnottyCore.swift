/// AnnottyCore: domain types, the SQLite store, queue ordering, routing, the task learner,
/// metrics and import/export. It knows nothing of terminals or HTTP.
public enum AnnottyCore {
    public static let version = "0.1.0"
}
