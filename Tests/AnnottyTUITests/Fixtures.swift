import Foundation
import AnnottyCore
@testable import AnnottyTUI

/// Builders shared by the TUI tests.
enum Fixtures {
    static let sentimentLabels = LabelSet([
        Label(name: "positive", key: "1", description: "The writer likes it."),
        Label(name: "negative", key: "2", description: "The writer dislikes it."),
        Label(name: "neutral", key: "3", description: "Neither, or both."),
    ])

    static let guidelinesMarkdown = """
    # Review sentiment

    Label the overall attitude of the review toward the product.

    ## positive
    **Definition:** The reviewer is pleased with the product and would recommend it.
    **Examples:**
    - Works great, battery lasts all day.

    ## negative
    **Definition:** The reviewer is unhappy: it broke, disappointed, or they want a refund.
    **Examples:**
    - Stopped working after a week.

    ## neutral
    **Definition:** No clear attitude, a mixed verdict, or only facts.
    **Examples:**
    - Arrived on Tuesday.
    """

    static func setup(labels: LabelSet = sentimentLabels, keys: [String: [String]] = [:],
                      guidelines: String = guidelinesMarkdown, lookahead: Int = 4) -> LabelingSetup {
        let keymap = try! Keymap(labels: labels, overrides: keys)
        return LabelingSetup(projectName: "Phone reviews", annotator: "alice", labels: labels, keymap: keymap,
                             guidelines: Guidelines(markdown: guidelines, labels: labels), textFieldName: "text",
                             lookahead: lookahead)
    }

    static func item(_ id: Int64, _ text: String, fields: [ItemField] = [], externalId: String? = nil) -> Item {
        Item(id: id, externalId: externalId, text: text, fields: fields, createdAt: Date(timeIntervalSince1970: 0))
    }

    static func prediction(itemId: Int64, label: String, confidence: Double, source: PredictionSource = .llm,
                           id: Int64 = 90) -> Prediction {
        var probabilities = ["positive": 0.0, "negative": 0.0, "neutral": 0.0]
        probabilities[label] = confidence
        let rest = (1 - confidence) / 2
        for name in probabilities.keys where name != label { probabilities[name] = rest }
        return Prediction(id: id, itemId: itemId, model: "test-model", source: source, label: label,
                          probabilities: probabilities, createdAt: Date(timeIntervalSince1970: 0))
    }

    /// A state showing `current`, as after the first claim, with counts loaded.
    static func state(size: ScreenSize = ScreenSize(rows: 24, columns: 80), capabilities: TerminalCapabilities = .full,
                      current: QueuedItem?, upcoming: [QueuedItem] = [], setup: LabelingSetup = setup()) -> LabelingState {
        var state = LabelingState(setup: setup, size: size, capabilities: capabilities)
        state.current = current
        state.upcoming = upcoming
        state.counters.openAtRefresh = 120
        state.counters.itemsAtRefresh = 300
        state.counters.autoAccepted = 0
        return state
    }

    static func render(_ state: LabelingState) -> MemoryScreen {
        let screen = MemoryScreen(size: state.size, capabilities: state.capabilities)
        LabelingView.render(state, on: screen)
        return screen
    }
}
