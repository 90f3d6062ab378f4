/// Which items a claim hands out, the same in every store, from the ids its store found.
public enum ClaimChoice {
    /// The person's own leased items first (reopening shows the item left on screen), then the
    /// queue's, in that order; none twice, none of `excluding` (already on screen or next), at
    /// most `limit`.
    public static func choose(leased: [Int64], queued: [Int64], excluding: Set<Int64>, limit: Int) -> [Int64] {
        var seen = Set<Int64>()
        return Array((leased + queued).filter { !excluding.contains($0) && seen.insert($0).inserted }.prefix(limit))
    }
}
