import AnnottyCore
import AnnottyTUI
import Foundation
import Testing
@testable import AnnottyLoop

/// The learning cycle carries each routing pass's threshold to the next, so that a threshold
/// found on evidence pooled with the learner's retrained opinions is used only once confirmed.
@Suite struct LearningCycleConfirmationTests {
    @Test func aPooledThresholdFoundByOneCycleAutoAcceptsOnlyFromTheNext() throws {
        // The LLM says "positive" at 0.7 for everything; the words give the truth away to the learner.
        let texts = (1...160).map { $0 % 2 == 0 ? "bad awful thing number \($0)" : "good lovely thing number \($0)" }
        let project = try LoopProject(items: texts) { config in
            config.routing.autoAcceptTargetError = 0.1
        }
        let items = try project.store.items(ids: project.itemIds)
        for item in items {
            try project.store.savePrediction(Prediction(itemId: item.id, model: "scripted-model", label: "positive",
                                                        probabilities: ["positive": 0.7, "negative": 0.1, "neutral": 0.1, "mixed": 0.1]))
        }
        for item in items.prefix(100) {
            let truth = item.text.hasPrefix("bad") ? "negative" : "positive"
            try project.store.recordDecision(Decision(itemId: item.id, annotator: "alice",
                                                      kind: truth == "positive" ? .accept : .correct, label: truth,
                                                      shownLabel: "positive", shownConfidence: 0.7))
        }
        let cycle = LearningCycle(config: project.project.config, store: project.store, inbox: Inbox())
        let first = try #require(cycle.runCycle()?.routing)
        let found = try #require(first.thresholdFound, "\(String(describing: first.threshold?.reason))")
        #expect(first.autoAccepted == 0)
        #expect(first.threshold?.threshold == nil)
        #expect(first.threshold?.reason.contains("waits for the next pass to confirm it") == true)

        let second = try #require(cycle.runCycle()?.routing)
        #expect(second.autoAccepted > 0)
        #expect(try #require(second.threshold?.threshold) >= found)
    }
}
