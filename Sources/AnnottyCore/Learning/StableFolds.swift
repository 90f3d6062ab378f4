/// Folds keyed to the items themselves: an item's fold in each split is a hash of its id, the
/// split's number and a salt, so it stays in that fold as labels are added, and the learner's
/// out-of-fold opinions change from one learning cycle to the next only as the learner learns.
///
/// Why not folds drawn afresh each cycle: the router searches its threshold on evidence that
/// pools those opinions, every few decisions. Drawn afresh, the same 465 outcomes of a TREC-6
/// replay gave thresholds from 0.929 (85 outcomes above it, none wrong) to none at all, by the
/// draw alone; a loop that looks every fifth decision finds the lucky draws and accepts on them
/// (docs/model-in-the-loop.md). Stable folds take that chance out of the evidence, and `annotty
/// plan` scores the same evidence as the loop's last pass.
public enum StableFolds {
    /// `splits[r][i]`: the fold of `itemIds[i]` in split r, in 0..<folds.
    public static func splits(itemIds: [Int64], folds: Int, repeats: Int, salt: UInt64) -> [[Int]] {
        let foldCount = UInt64(max(2, folds))
        return (0..<max(1, repeats)).map { split in
            itemIds.map { itemId in
                let key = UInt64(bitPattern: itemId) &* 0x9E37_79B9_7F4A_7C15 ^ (UInt64(split) &+ 1) &* 0xD6E8_FEB8_6659_FD93 ^ salt
                return Int(TextVectorizer.mix(key) % foldCount)
            }
        }
    }
}
