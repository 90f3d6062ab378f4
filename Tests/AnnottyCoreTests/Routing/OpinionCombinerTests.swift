import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

@Suite("One pre-label from the LLM's and the learner's opinions")
struct OpinionCombinerTests {
    @Test("Before any outcome the LLM's opinion stands, and a disagreement keeps both opinions")
    func fallsBackToTheLLM() throws {
        let combiner = OpinionCombiner.fit([], labelCount: 2)
        #expect(combiner == .llmFirst)
        let prelabel = try #require(combiner.combine(llm: [0.7, 0.3], learner: [0.2, 0.8]))
        #expect(prelabel.source == .llm && prelabel.index == 0 && abs(prelabel.confidence - 0.7) < 1e-12)
        #expect(prelabel.opinionsDisagree)
        #expect(prelabel.llmOpinion?.index == 0 && prelabel.learnerOpinion?.index == 1)
        #expect(prelabel.alternative?.index == 1 && abs((prelabel.alternative?.confidence ?? 0) - 0.8) < 1e-12)
        let agreeing = try #require(combiner.combine(llm: [0.7, 0.3], learner: [0.6, 0.4]))
        #expect(!agreeing.opinionsDisagree && agreeing.alternative == nil)
    }

    @Test("Without an LLM opinion the pre-label is the learner's; without any, there is none")
    func learnerAlone() throws {
        let prelabel = try #require(OpinionCombiner.llmFirst.combine(llm: nil, learner: [0.1, 0.3, 0.6]))
        #expect(prelabel.source == .learner && prelabel.index == 2 && abs(prelabel.confidence - 0.6) < 1e-12)
        #expect(!prelabel.opinionsDisagree && prelabel.llmOpinion == nil)
        #expect(OpinionCombiner.llmFirst.combine(llm: nil, learner: nil) == nil)
        #expect(OpinionCombiner.llmFirst.combine(llm: [0.4, 0.6], learner: nil)?.source == .llm)
    }

    @Test("Too few outcomes with both opinions: the LLM still stands")
    func tooFewOutcomes() {
        let outcomes = (0..<10).map { OpinionOutcome(llm: [0.5, 0.5], learner: [$0 % 2 == 0 ? 0.9 : 0.1, $0 % 2 == 0 ? 0.1 : 0.9],
                                                     truth: $0 % 2) }
        #expect(OpinionCombiner.fit(outcomes, labelCount: 2).source == .llm)
        // Outcomes with only one opinion never count toward the fit.
        let lopsided = (0..<100).map { _ in OpinionOutcome(llm: nil, learner: [0.9, 0.1], truth: 0) }
        #expect(OpinionCombiner.fit(lopsided, labelCount: 2).outcomesUsed == 0)
    }

    /// Two independent noisy sources over three labels: each is the truth plus its own noise.
    static func twoSources(count: Int, seed: UInt64, llmSignal: Double, learnerSignal: Double) -> [OpinionOutcome] {
        var generator = SeededGenerator(seed: seed)
        func noisyVector(_ truth: Int, signal: Double) -> [Double] {
            let logits = (0..<3).map { ($0 == truth ? signal : 0) + 2 * generator.nextUnitDouble() }
            let exps = logits.map(exp)
            return exps.map { $0 / exps.reduce(0, +) }
        }
        return (0..<count).map { _ in
            let truth = generator.nextIndex(below: 3)
            return OpinionOutcome(llm: noisyVector(truth, signal: llmSignal), learner: noisyVector(truth, signal: learnerSignal),
                                  truth: truth)
        }
    }

    static func accuracy(_ combiner: OpinionCombiner, _ outcomes: [OpinionOutcome],
                         llm: Bool = true, learner: Bool = true) -> Double {
        Double(outcomes.filter { outcome in
            combiner.combine(llm: llm ? outcome.llm : nil, learner: learner ? outcome.learner : nil)?.index == outcome.truth
        }.count) / Double(outcomes.count)
    }

    @Test("Two independent, equally good opinions pooled beat each alone")
    func pooledBeatsEach() {
        let training = Self.twoSources(count: 400, seed: 1, llmSignal: 1.2, learnerSignal: 1.2)
        let test = Self.twoSources(count: 2000, seed: 2, llmSignal: 1.2, learnerSignal: 1.2)
        let combiner = OpinionCombiner.fit(training, labelCount: 3)
        #expect(combiner.source == .combined)
        #expect(combiner.llmWeight > 0.3 && combiner.learnerWeight > 0.3)
        #expect(abs(combiner.llmWeight - combiner.learnerWeight) < 0.5)
        let pooled = Self.accuracy(combiner, test)
        let llmAlone = Self.accuracy(.llmFirst, test, learner: false)
        let learnerAlone = Self.accuracy(.llmFirst, test, llm: false)
        #expect(pooled > max(llmAlone, learnerAlone) + 0.04, "pooled \(pooled), llm \(llmAlone), learner \(learnerAlone)")
        let prelabel = combiner.combine(llm: test[0].llm, learner: test[0].learner)
        #expect(prelabel?.source == .combined && abs((prelabel?.probabilities.reduce(0, +) ?? 0) - 1) < 1e-12)
    }

    @Test("A learner that has earned more say gets more weight than a weak LLM")
    func weightsFollowWhatEachEarned() {
        let training = Self.twoSources(count: 400, seed: 3, llmSignal: 0.3, learnerSignal: 3)
        let combiner = OpinionCombiner.fit(training, labelCount: 3)
        #expect(combiner.source != .llm)
        if combiner.source == .combined { #expect(combiner.learnerWeight > 2 * combiner.llmWeight) }
        let test = Self.twoSources(count: 1000, seed: 4, llmSignal: 0.3, learnerSignal: 3)
        #expect(Self.accuracy(combiner, test) >= Self.accuracy(.llmFirst, test, llm: false) - 0.01)
    }

    @Test("A useless learner never pulls the LLM's pre-label down")
    func uselessLearnerIgnored() {
        let training = Self.twoSources(count: 300, seed: 5, llmSignal: 2, learnerSignal: 0)
        let test = Self.twoSources(count: 1000, seed: 6, llmSignal: 2, learnerSignal: 0)
        let combiner = OpinionCombiner.fit(training, labelCount: 3)
        #expect(Self.accuracy(combiner, test) >= Self.accuracy(.llmFirst, test, learner: false) - 0.01)
        if combiner.source == .combined { #expect(abs(combiner.learnerWeight) < 0.3) }
    }

    @Test("A rule that has replaced the LLM's label keeps it until the LLM is clearly better again")
    func keepsTheRuleItChose() {
        // The two opinions always name the same label: no outcome can tell the rules apart, so a
        // fresh fit keeps the LLM, and a fit that had pooled keeps pooling.
        var generator = SeededGenerator(seed: 8)
        let undecided = (0..<120).map { _ -> OpinionOutcome in
            let truth = generator.nextIndex(below: 3)
            let named = generator.nextUnitDouble() < 0.7 ? truth : (truth + 1) % 3
            let vector = (0..<3).map { $0 == named ? 0.6 : 0.2 }
            return OpinionOutcome(llm: vector, learner: vector, truth: truth)
        }
        #expect(OpinionCombiner.fit(undecided, labelCount: 3).source == .llm)
        let kept = OpinionCombiner.fit(undecided, labelCount: 3, previous: .combined)
        #expect(kept.source == .combined && kept.biases.count == 3)
        #expect(kept.combine(llm: undecided[0].llm, learner: undecided[0].learner)?.source == .combined)
        // A learner that knows nothing, against a good LLM: the LLM is clearly better, and takes over.
        let useless = Self.twoSources(count: 300, seed: 5, llmSignal: 2, learnerSignal: 0)
        #expect(OpinionCombiner.fit(useless, labelCount: 3, previous: .learner).source != .learner)
        #expect(OpinionCombiner.fit(useless, labelCount: 3, previous: .llm).source
                == OpinionCombiner.fit(useless, labelCount: 3).source)
    }

    @Test("Recorded TREC-6: the strong tier and a learner trained on other questions, pooled on held-out questions",
          .enabled(if: SharedDatasets.available, "\(SharedDatasets.missingMessage)"))
    func recordedTREC() throws {
        let fixture = try PredictionFixture(path: SharedDatasets.url("recorded/qwen2.5-coder-1.5b-trec-test250.jsonl").path)
        let test = try LabelledDataset.loadTREC(from: SharedDatasets.url("trec/TREC.test.all"))
        let train = try LabelledDataset.loadTREC(from: SharedDatasets.url("trec/TREC.train.all"))
        // TREC's label numbers to the recorded label set's order (sorted names).
        let names = ["DESC": "description", "ENTY": "entity", "ABBR": "abbreviation", "HUM": "human", "LOC": "location", "NUM": "numeric"]
        let toRecorded = train.labelNames.map { fixture.labels.index(of: names[$0]!)! }
        // 300 training questions outside the recorded ones (those are the first 1,000 lines).
        let learnerRows = Array(2000..<2300)
        let vectorizer = TextVectorizer(fittingTexts: learnerRows.map { train.texts[$0] } + test.texts)
        var learner = TaskLearner(labelCount: 6, vectorizer: vectorizer)
        learner.train(texts: learnerRows.map { train.texts[$0] }, labels: learnerRows.map { toRecorded[train.labels[$0]] })
        let outcomes = zip(fixture.ids, fixture.cases).map { id, item in
            let line = Int(id.dropFirst())!
            #expect(toRecorded[test.labels[line]] == item.gold)
            return OpinionOutcome(llm: item.probabilities, learner: learner.probabilities(for: test.texts[line]), truth: item.gold)
        }
        let fitted = Array(outcomes.prefix(150)), heldOut = Array(outcomes.dropFirst(150))
        let combiner = OpinionCombiner.fit(fitted, labelCount: 6)
        let combined = Self.accuracy(combiner, heldOut)
        let llm = Self.accuracy(.llmFirst, heldOut, learner: false)
        let learnerAlone = Self.accuracy(.llmFirst, heldOut, llm: false)
        #expect(combined >= max(llm, learnerAlone) - 0.01, "combined \(combined), llm \(llm), learner \(learnerAlone)")
    }
}
