import Foundation
import AnnottyCore
@testable import AnnottyTUI

/// The states the view tests draw, by name.
enum ViewScenarios {
    static let longText = "Long review. " + String(repeating: "The blender is loud but it crushes ice in seconds, and the jar survived a fall onto tiles. ", count: 18)
    static let scriptsText = "東京の新しいカフェはとても静かで、コーヒーが美味しかったです。店員さんも親切でした。 "
        + "Emoji: 😀👍🏽 family 👨‍👩‍👧 flag 🇯🇵 heart ❤️ and café naïve (e\u{301}), 한국어 리뷰도 좋아요!"
    static let hostileText = "Nice\u{1B}[2J\u{1B}[31m case\u{1B}]0;owned\u{7} \u{202E}dneirf\u{202C} tab\there\rover \u{9B}6n end\u{8}"

    static func longItem() -> LabelingState {
        let item = Fixtures.item(42, longText, externalId: "r0042")
        return Fixtures.state(current: QueuedItem(item: item, prediction: Fixtures.prediction(itemId: 42, label: "neutral", confidence: 0.55)))
    }

    static func scripts() -> LabelingState {
        let item = Fixtures.item(7, scriptsText)
        return Fixtures.state(current: QueuedItem(item: item, prediction: Fixtures.prediction(itemId: 7, label: "positive", confidence: 0.93, source: .both)))
    }

    static func hostile(_ capabilities: TerminalCapabilities = .full) -> LabelingState {
        let item = Fixtures.item(8, hostileText)
        var prediction = Fixtures.prediction(itemId: 8, label: "negative", confidence: 0.4)
        prediction.isValid = false
        prediction.error = "answer was \"\u{1B}[5mBLINK\u{1B}[0m\""
        return Fixtures.state(capabilities: capabilities, current: QueuedItem(item: item, prediction: prediction))
    }

    /// A premise and hypothesis pair mid-session: a few decisions done, the LLM slow.
    static func pair(size: ScreenSize, capabilities: TerminalCapabilities = .full) -> LabelingState {
        let item = Fixtures.item(314, "The bridge was built in 1932 and renovated in 2005, when its wooden deck was replaced with steel.",
                                 fields: [ItemField(name: "hypothesis", value: "The bridge is older than the renovation.")],
                                 externalId: "p031")
        var state = Fixtures.state(size: size, capabilities: capabilities,
                                   current: QueuedItem(item: item, prediction: Fixtures.prediction(itemId: 314, label: "positive", confidence: 0.87, id: 5)))
        state.counters.done = 12
        state.counters.labelled = 11
        state.counters.openAtRefresh = 300
        state.counters.itemsAtRefresh = 500
        state.counters.labelledSinceRefresh = 10
        state.counters.autoAccepted = 41
        state.throughput.start(at: 0)
        for second in stride(from: 30.0, through: 360, by: 30) { state.throughput.record(at: second) }
        state.clock = 360
        state.llmStatus = LLMStatus(state: .slow, queueDepth: 3, medianLatencyMs: 2400)
        state.message = .saved(itemId: 313, kind: .correct, label: "negative", prelabel: "neutral")
        return state
    }

    static func help() -> LabelingState {
        var state = pair(size: ScreenSize(rows: 24, columns: 80))
        state.overlay = .help(scroll: 0)
        return state
    }

    static func tooSmall() -> LabelingState {
        pair(size: ScreenSize(rows: 10, columns: 40))
    }

    static func all() -> [(String, LabelingState)] {
        var scrolled = longItem()
        scrolled.itemScroll = 7
        return [
            ("long", longItem()), ("long-scrolled", scrolled), ("scripts", scripts()), ("hostile", hostile()),
            ("hostile-ascii", hostile(.ascii)), ("80x24", pair(size: ScreenSize(rows: 24, columns: 80))),
            ("200x60", pair(size: ScreenSize(rows: 60, columns: 200))), ("help", help()), ("too-small", tooSmall()),
            ("monochrome", pair(size: ScreenSize(rows: 24, columns: 80), capabilities: .monochrome)),
        ]
    }
}
