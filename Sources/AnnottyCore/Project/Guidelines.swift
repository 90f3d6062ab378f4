/// Annotation guidelines read from Markdown: shown to people in full and given to the LLM.
/// A `## <label>` section holds the label's `**Definition:**` and `**Examples:**` bullets;
/// the examples double as few-shot demonstrations.
public struct Guidelines: Sendable, Equatable {
    public struct LabelSection: Sendable, Equatable {
        public var label: String
        public var definition: String
        public var examples: [String]
        public var body: String
    }

    public let markdown: String
    public let title: String
    public let sections: [LabelSection]

    public init(markdown: String, labels: LabelSet) {
        self.markdown = markdown
        var title = ""
        var sections: [LabelSection] = []
        var current: LabelSection?
        var inExamples = false
        for rawLine in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("# "), title.isEmpty {
                title = String(line.dropFirst(2))
                continue
            }
            if line.hasPrefix("## ") {
                if let finished = current { sections.append(finished) }
                let heading = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                current = labels.contains(heading) ? LabelSection(label: heading, definition: "", examples: [], body: "") : nil
                inExamples = false
                continue
            }
            guard current != nil else { continue }
            current!.body += line + "\n"
            if line.hasPrefix("**Definition:**") {
                current!.definition = String(line.dropFirst("**Definition:**".count)).trimmingCharacters(in: .whitespaces)
                inExamples = false
            } else if line.hasPrefix("**Examples:**") {
                inExamples = true
            } else if line.hasPrefix("**") {
                inExamples = false
            } else if inExamples, line.hasPrefix("- ") {
                current!.examples.append(String(line.dropFirst(2)))
            }
        }
        if let finished = current { sections.append(finished) }
        self.title = title
        self.sections = sections
    }

    public func section(for label: String) -> LabelSection? {
        sections.first { $0.label == label }
    }

    /// Every example with its label, in label order: the fallback few-shot demonstrations.
    public var examples: [(text: String, label: String)] {
        sections.flatMap { section in section.examples.map { (text: $0, label: section.label) } }
    }
}
