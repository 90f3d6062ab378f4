import AnnottyCore
import AnnottyLoop
import AnnottyTUI
import Foundation

/// Time from opening a project to its first item drawn, on a project of N items with D people's
/// decisions (default 100,000 and 2,000): opening the store, building the labeling loop, the
/// first claim and the first render through ncurses to /dev/null; the learning cycle (retrain,
/// route, re-rank) that starts after the draw is timed apart. Each round reopens the project,
/// as `annotty label` does.
///
///     swift run -c release annotty-bench first-item [ITEMS] [DECISIONS] [--rounds R]
enum FirstItemBenchmark {
    static func run(_ arguments: [String]) throws {
        var positional: [String] = []
        var rounds = 20
        var index = 0
        while index < arguments.count {
            if arguments[index] == "--rounds", index + 1 < arguments.count {
                rounds = Int(arguments[index + 1]) ?? rounds
                index += 2
            } else {
                positional.append(arguments[index])
                index += 1
            }
        }
        let itemCount = positional.first.flatMap(Int.init) ?? 100_000
        let decisionCount = positional.dropFirst().first.flatMap(Int.init) ?? 2_000
        let folder = URL(fileURLWithPath: ".build/bench/first-item-\(itemCount)-\(decisionCount)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let labels = LabelSet([Label(name: "positive", key: "1"), Label(name: "negative", key: "2"),
                               Label(name: "neutral", key: "3"), Label(name: "mixed", key: "4")])
        var config = ProjectConfig(name: "first item", labels: labels)
        config.llm.provider = .none
        let project = Project(folder: folder, config: config)
        try prepare(project, items: itemCount, decisions: decisionCount)

        var firstDraw: [Double] = []
        var cycle: [Double] = []
        for round in 0..<rounds {
            let started = DispatchTime.now().uptimeNanoseconds
            let store = try project.openStore()
            let loop = try LabelingLoop(project: project, store: store, annotator: "bench-\(round)", guidelines: nil)
            let offscreen = try OffscreenTerminal(size: ScreenSize(rows: 24, columns: 80))
            let controller = loop.makeController(screen: offscreen.screen)
            controller.start()
            controller.renderIfNeeded()
            let drawn = DispatchTime.now().uptimeNanoseconds
            guard controller.state.current != nil else { throw BenchmarkError("no item was drawn") }
            firstDraw.append(Double(drawn - started) / 1e6)
            offscreen.close()
            // What starts after the draw, on its own: one learning cycle.
            let cycleStart = DispatchTime.now().uptimeNanoseconds
            _ = loop.learning?.runCycle()
            cycle.append(Double(DispatchTime.now().uptimeNanoseconds - cycleStart) / 1e6)
            controller.handleKey(.character("q"))
            loop.stop()
        }
        print("first-item benchmark: \(itemCount) items, \(decisionCount) decisions by people, \(rounds) openings")
        print("  open to first item drawn: " + KeyToDrawBenchmark.summary(firstDraw))
        print("  learning cycle after the draw (retrain, re-rank): " + KeyToDrawBenchmark.summary(cycle))
    }

    /// Items, then people's decisions on the first of them, once per folder.
    static func prepare(_ project: Project, items: Int, decisions: Int) throws {
        let store = try SQLiteStore(path: project.databaseURL.path)
        try KeyToDrawBenchmark.fill(store, to: items)
        let existing = try store.statusCounts().decisions
        guard existing < decisions else { return }
        let names = project.config.labels.names
        let start = Date()
        for (offset, itemId) in try store.openItemIds(limit: decisions - existing).enumerated() {
            try store.recordDecision(Decision(itemId: itemId, annotator: "person-\(offset % 3)", kind: .correct,
                                              label: names[(offset * 7 + offset / 5) % names.count]))
        }
        print(String(format: "  recorded %d decisions in %.1f s", decisions - existing, Date().timeIntervalSince(start)))
    }
}
