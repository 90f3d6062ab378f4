import AnnottyCore
import Foundation
import Testing

@Suite("Task kinds and multi-label answers")
struct TaskKindTests {
    let labels = LabelSet(names: ["anger", "joy", "neutral, mostly", "sad \"really\""])

    @Test("a set is stored in the labels' order, each once, and read back")
    func answerRoundTrip() throws {
        let answer = MultiLabelAnswer(["sad \"really\"", "anger", "anger", "not a label"], labels: labels)
        #expect(answer.names == ["anger", "sad \"really\""])
        #expect(answer.encoded == #"["anger","sad \"really\""]"#)
        #expect(MultiLabelAnswer.decode(answer.encoded, labels: labels) == answer)
        #expect(answer.indices(in: labels) == [0, 3])
        #expect(MultiLabelAnswer(indices: [3, 0], labels: labels) == answer)
        #expect(answer.display == "anger + sad \"really\"")
        #expect(MultiLabelAnswer.empty().encoded == "[]")
        #expect(MultiLabelAnswer.decode("[]", labels: labels)?.isEmpty == true)
        #expect(MultiLabelAnswer.empty().display == "no label")
    }

    @Test("labels that are no set of the project's labels are refused")
    func decodeRefuses() {
        #expect(MultiLabelAnswer.decode("joy", labels: labels) == nil)
        #expect(MultiLabelAnswer.decode(#"["joy","joy"]"#, labels: labels) == nil)
        #expect(MultiLabelAnswer.decode(#"["fear"]"#, labels: labels) == nil)
        #expect(MultiLabelAnswer.decode(#"[1]"#, labels: labels) == nil)
        #expect(MultiLabelAnswer.decode(#"["joy""#, labels: labels) == nil)
    }

    @Test("each kind accepts its own labels only")
    func accepts() {
        #expect(TaskKind.single.accepts(label: "joy", labels: labels))
        #expect(!TaskKind.single.accepts(label: #"["joy"]"#, labels: labels))
        #expect(TaskKind.multi.accepts(label: #"["joy"]"#, labels: labels))
        #expect(!TaskKind.multi.accepts(label: "joy", labels: labels))
        #expect(TaskKind.spans.accepts(label: "spans:0-3:PER", labels: labels))
    }

    @Test("task and allow_empty_set are read from annotty.toml, with a clear error for a wrong kind")
    func config() throws {
        let labelsText = "[[labels]]\nname = \"a\"\n[[labels]]\nname = \"b\"\n"
        #expect(try ProjectConfig.parse(labelsText, fileName: "annotty.toml").task == .single)
        let multi = try ProjectConfig.parse("task = \"multi\"\nallow_empty_set = false\n" + labelsText, fileName: "annotty.toml")
        #expect(multi.task == .multi)
        #expect(!multi.allowEmptySet)
        do {
            _ = try ProjectConfig.parse("task = \"tags\"\n" + labelsText, fileName: "annotty.toml")
            Issue.record("a wrong task kind was accepted")
        } catch let error as InputError {
            #expect(error.line == 1)
            #expect("\(error)".contains("single, multi, spans"))
        }
        #expect(ConfigTemplate.render(multi).contains("task = \"multi\""))
        #expect(try ProjectConfig.parse(ConfigTemplate.render(multi), fileName: "x").task == .multi)
    }

    @Test("a command says plainly which kinds it supports")
    func unsupported() throws {
        var config = ProjectConfig(name: "p", labels: labels)
        config.task = .spans
        #expect(throws: UnsupportedTaskError.self) { try config.requireTask(.single, .multi, command: "plan") }
        try config.requireTask(.spans, command: "status")
        let message = UnsupportedTaskError(command: "plan", task: .spans, supported: [.single, .multi]).description
        #expect(message.hasPrefix("plan works on single or multi projects; this project's task is spans"))
    }
}

@Suite("Multi-label predictions")
struct MultiLabelPredictionTests {
    let labels = LabelSet(names: ["anger", "joy", "sadness"])

    @Test("a set's confidence is its least settled label's, and the shown set decodes")
    func setConfidence() {
        let probabilities = [0.9, 0.3, 0.05]
        let answer = MultiLabelAnswer.predicted(inProbabilities: probabilities, labels: labels)
        #expect(answer.names == ["anger"])
        #expect(abs(MultiLabelAnswer.settledness(probabilities) - 0.7) < 1e-12)
        var prediction = Prediction(itemId: 1, model: "m", label: answer.encoded,
                                    probabilities: Dictionary(uniqueKeysWithValues: zip(labels.names, probabilities)))
        #expect(abs((prediction.confidence ?? 0) - 0.7) < 1e-12)
        #expect(prediction.shownSet(over: labels) == answer)
        #expect(prediction.inProbabilities(over: labels) == probabilities)
        prediction.calibratedProbabilities = ["anger": 0.99, "joy": 0.02, "sadness": 0.01]
        #expect(prediction.inProbabilities(over: labels) == [0.99, 0.02, 0.01])
    }
}

@Suite("Span set labels and span predictions")
struct SpanLabelTests {
    @Test("a span set's label names its keys and reads back; anything else is refused")
    func keysRoundTrip() throws {
        let spans = [EntitySpan(start: 10, end: 15, type: "LOC", text: "Paris"), EntitySpan(start: 0, end: 4, type: "PER", text: "Anna")]
        let label = SpanAnnotation.label(for: spans)
        #expect(label == "spans:0-4:PER,10-15:LOC")
        #expect(SpanAnnotation.keys(inLabel: label) == [SpanKey(start: 0, end: 4, type: "PER"), SpanKey(start: 10, end: 15, type: "LOC")])
        #expect(SpanAnnotation.keys(inLabel: "spans:") == [])
        #expect(SpanAnnotation.keys(inLabel: "spans:4-0:PER") == nil)
        #expect(SpanAnnotation.keys(inLabel: "spans:0-4") == nil)
        #expect(SpanAnnotation.keys(inLabel: "spans:0-4:PER,") == nil)
        #expect(SpanAnnotation.keys(inLabel: "PER") == nil)
    }

    @Test("a span prediction's confidence is its least sure span's; none proposed, no confidence")
    func prediction() throws {
        let text = "Anna moved to Paris."
        let prediction = Prediction(itemId: 1, model: "m", label: "spans:0-4:PER,14-19:LOC",
                                    probabilities: ["0-4:PER": 0.9, "14-19:LOC": 0.6])
        #expect(prediction.confidence == 0.6)
        let proposed = try #require(prediction.proposedSpans(in: text))
        #expect(proposed.map(\.span.text) == ["Anna", "Paris"])
        #expect(proposed.map(\.confidence) == [0.9, 0.6])
        #expect(Prediction(itemId: 1, model: "m", label: "spans:", probabilities: [:]).confidence == nil)
        #expect(Prediction(itemId: 1, model: "m", label: "spans:0-40:PER", probabilities: [:]).proposedSpans(in: text) == nil)
    }

    @Test("a spans project's entity types may not hold the label's separators")
    func typesChecked() {
        let text = "task = \"spans\"\n[[labels]]\nname = \"PER\"\n[[labels]]\nname = \"LOC, GPE\"\n"
        #expect(throws: InputError.self) { try ProjectConfig.parse(text, fileName: "annotty.toml") }
    }
}

@Suite("Counted nouns")
struct CountedTests {
    @Test("one takes the singular, every other count the plural")
    func counts() {
        #expect(counted(1, "annotator") == "1 annotator")
        #expect(counted(0, "annotator") == "0 annotators")
        #expect(counted(2, "label set") == "2 label sets")
        #expect(counted(3, "entity", plural: "entities") == "3 entities")
    }
}
