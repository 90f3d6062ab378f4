/// Team settings: overlap between annotators, golden questions and item leases.
public struct AnnotationSettings: Sendable, Equatable {
    /// How many different people label each item.
    public var overlap: Int = 1
    /// When the first `overlap` people disagree, show the item to more, up to this many.
    public var maxOverlap: Int = 1
    /// Share of each person's queue that is golden questions (0 to 1).
    public var goldenRate: Double = 0
    /// How long an item claimed by a person stays reserved for them.
    public var leaseSeconds: Int = 600

    public init() {}
}
