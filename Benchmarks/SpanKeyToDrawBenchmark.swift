import AnnottyCore
import AnnottyTUI
import Foundation

/// Entity spans: time from a key press to the screen redrawn, on 200-token sentences each with a
/// pre-label of 20 spans, at 80x24 (or `--size`): the reducer, the span layout and the render,
/// through ncurses to /dev/null and to the in-memory screen. Span edits (word cursor, extend,
/// next span, accept, reject, retype, make, undo) are timed apart from Enter, which commits the
/// spans to SQLite (an fsync) and draws the next sentence.
///
///     annotty-bench spans-key-to-draw [SENTENCES] [KEYS] [--size COLUMNSxROWS]
enum SpanKeyToDrawBenchmark {
    static let labels = LabelSet([Label(name: "PER", key: "1"), Label(name: "ORG", key: "2"),
                                  Label(name: "LOC", key: "3"), Label(name: "MISC", key: "4")])

    static func run(_ arguments: [String]) throws {
        var positional: [String] = []
        var size = ScreenSize(rows: 24, columns: 80)
        var index = 0
        while index < arguments.count {
            if arguments[index] == "--size", index + 1 < arguments.count {
                let parts = arguments[index + 1].split(separator: "x").compactMap { Int($0) }
                if parts.count == 2 { size = ScreenSize(rows: parts[1], columns: parts[0]) }
                index += 2
            } else {
                positional.append(arguments[index])
                index += 1
            }
        }
        let keyCount = positional.dropFirst().first.flatMap(Int.init) ?? 4_000
        // Enough sentences for both screens' runs (one Enter per pass of the key pattern).
        let sentenceCount = positional.first.flatMap(Int.init) ?? (2 * keyCount / keyPattern.count + 20)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("annotty-span-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("bench.sqlite").path)
        let sentences = (0..<sentenceCount).map { sentence(seed: UInt64($0) &+ 1) }
        _ = try store.importItems { sink in
            for (index, sentence) in sentences.enumerated() {
                try sink.add(ImportRecord(externalId: "s\(index)", text: sentence.text))
            }
        }
        let byText = Dictionary(sentences.map { ($0.text, $0.spans) }, uniquingKeysWith: { first, _ in first })
        for item in try store.items(ids: try store.openItemIds(limit: sentenceCount)) {
            guard let spans = byText[item.text] else { continue }
            try store.savePrediction(Prediction(
                itemId: item.id, model: "bench", label: SpanAnnotation.label(for: spans),
                probabilities: Dictionary(uniqueKeysWithValues: spans.enumerated().map { ($1.key.text, 0.5 + Double($0 % 5) / 10) })))
        }
        let tokens = WordTokenizer.tokenize(sentences[0].text).count
        print("spans key-to-draw benchmark: \(sentenceCount) sentences of \(tokens) tokens, \(sentences[0].spans.count) "
            + "proposed spans each, \(size)")
        let offscreen = try OffscreenTerminal(size: size)
        let ncurses = try measure(store: store, screen: offscreen.screen, keys: keyCount, name: "ncurses to /dev/null",
                                  annotator: "bench-ncurses")
        offscreen.close()
        let memory = try measure(store: store, screen: MemoryScreen(size: size), keys: keyCount, name: "memory screen",
                                 annotator: "bench-memory")
        for result in [ncurses, memory] {
            print("  \(result.name), \(keyCount) keys:")
            print("    span edit to redraw:      " + KeyToDrawBenchmark.summary(result.edit) + " (\(result.edit.count) keys)")
            print("    same, on-CPU time only:   " + KeyToDrawBenchmark.summary(result.editCPU))
            print("    Enter to next item drawn: " + KeyToDrawBenchmark.summary(result.commit)
                + " (\(result.commit.count) commits, an fsync each)")
        }
    }

    struct Result {
        var name: String
        var edit: [Double] = []
        var editCPU: [Double] = []
        var commit: [Double] = []
    }

    /// What a person does on a sentence: walk the proposals accepting, rejecting and retyping,
    /// move the word cursor, extend it, make a span, undo an edit; then Enter.
    static let keyPattern: [KeyPress] = [
        .tab, .character("y"), .tab, .character("x"), .character("2"), .tab, .character("y"), .right, .right,
        .character(">"), .character(">"), .character("4"), .character("u"), .left, .character("3"), .character("n"),
        .character("p"), .character("A"), .right, .character("1"), .enter,
    ]

    static func measure(store: SQLiteStore, screen: any Screen, keys: Int, name: String, annotator: String) throws -> Result {
        let setup = LabelingSetup(projectName: "benchmark", annotator: annotator, labels: labels,
                                  keymap: try Keymap(labels: labels), lookahead: 8, task: .spans)
        let controller = LabelingController(session: LabelingSession(store: store, setup: setup), screen: screen,
                                            countsQueue: DispatchQueue(label: "bench.counts", qos: .utility))
        controller.start()
        controller.renderIfNeeded()
        controller.runDeferred()
        var result = Result(name: name)
        for index in 0..<keys {
            let key = keyPattern[index % keyPattern.count]
            let startCPU = KeyToDrawBenchmark.threadCPUNanoseconds()
            let start = DispatchTime.now().uptimeNanoseconds
            controller.handleKey(key)
            controller.renderIfNeeded()
            let drawn = DispatchTime.now().uptimeNanoseconds
            let cpu = Double(KeyToDrawBenchmark.threadCPUNanoseconds() - startCPU) / 1e6
            controller.runDeferred()
            controller.renderIfNeeded()
            let elapsed = Double(drawn - start) / 1e6
            if key == .enter {
                result.commit.append(elapsed)
            } else {
                result.edit.append(elapsed)
                result.editCPU.append(cpu)
            }
            if controller.state.current == nil { break }
        }
        controller.handleKey(.character("q"))
        return result
    }

    /// A 200-token news-like sentence with 20 entity spans of one to three words, spread out.
    static func sentence(seed: UInt64) -> (text: String, spans: [EntitySpan]) {
        let words = ["the", "minister", "said", "on", "Tuesday", "that", "talks", "with", "officials", "in", "would",
                     "resume", "after", "a", "week", "of", "tension", "over", "trade", "and", "border", "security", ","]
        let names = ["Boris", "Johnson", "Angela", "Merkel", "Berlin", "Paris", "United", "Nations", "Reuters", "Monday"]
        var state = seed &* 0x9E3779B97F4A7C15
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        var text = ""
        var spans: [EntitySpan] = []
        var offset = 0
        func append(_ word: String) {
            if !text.isEmpty {
                text += " "
                offset += 1
            }
            text += word
            offset += word.unicodeScalars.count
        }
        // 20 spans, one every 10 tokens: 1-3 name words, then plain words up to the next 10.
        for block in 0..<20 {
            let length = 1 + next() % 3
            let start = offset + (text.isEmpty ? 0 : 1)
            var covered: [String] = []
            for _ in 0..<length {
                let word = names[next() % names.count]
                covered.append(word)
                append(word)
            }
            spans.append(EntitySpan(start: start, end: offset, type: labels.names[(block + next()) % 4],
                                    text: covered.joined(separator: " ")))
            for _ in length..<10 { append(words[next() % words.count]) }
        }
        return (text, spans)
    }
}
