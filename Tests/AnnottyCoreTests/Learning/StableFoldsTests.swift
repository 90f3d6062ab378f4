@testable import AnnottyCore
import Testing

/// Folds keyed to the items: an item stays in its fold as labels are added, so the learner's
/// out-of-fold opinion of it changes only as the learner learns.
@Suite struct StableFoldsTests {
    @Test func anItemKeepsItsFoldAsItemsAreAddedAndTheFoldsAreNearlyEven() throws {
        let first = Array(Int64(1)...300)
        let more = first + Array(Int64(301)...900)
        let before = StableFolds.splits(itemIds: first, folds: 3, repeats: 3, salt: 0)
        let after = StableFolds.splits(itemIds: more, folds: 3, repeats: 3, salt: 0)
        for split in 0..<3 {
            #expect(Array(after[split].prefix(300)) == before[split])
            let sizes = (0..<3).map { fold in after[split].filter { $0 == fold }.count }
            #expect(sizes.allSatisfy { $0 > 240 && $0 < 360 }, "fold sizes \(sizes)")
        }
        // Each split is its own: the three do not put the items in the same folds.
        #expect(after[0] != after[1] && after[1] != after[2])
        // The order the ids come in does not matter, and another salt gives other folds.
        let reversed = StableFolds.splits(itemIds: more.reversed(), folds: 3, repeats: 1, salt: 0)
        #expect(Array(reversed[0].reversed()) == after[0])
        #expect(StableFolds.splits(itemIds: more, folds: 3, repeats: 1, salt: 1_000_000)[0] != after[0])
    }

    @Test func outOfFoldOpinionsOnStableFoldsScoreEachItemWithALearnerNotTrainedOnIt() {
        // Two labels whose words never overlap; one item given the other label than its words say.
        let texts = (0..<40).map { $0 % 2 == 0 ? "sunny bright warm \($0)" : "rainy dark cold \($0)" }
        var labels = (0..<40).map { $0 % 2 }
        labels[6] = 1
        let vectorizer = TextVectorizer(fittingTexts: texts)
        let splits = StableFolds.splits(itemIds: (0..<40).map(Int64.init), folds: 3, repeats: 2, salt: 0)
        let opinions = LabelErrorFinder.outOfFoldProbabilities(vectors: vectorizer.vectors(for: texts), labels: labels,
                                                               labelCount: 2, vectorizer: vectorizer, splits: splits,
                                                               configuration: TaskLearner.Configuration())
        #expect(opinions.count == 40 && opinions.allSatisfy { $0.count == 2 })
        // Out of fold, the mislabelled item's opinion follows its words, not its own label.
        #expect(opinions[6][0] > 0.5)
        #expect(opinions[7][1] > 0.5)
    }
}
