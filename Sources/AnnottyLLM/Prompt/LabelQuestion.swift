import AnnottyCore

/// The question a multi-label scorer appends to an item's prompt: whether one label applies
/// (`yesNo`), or which labels apply (`whichLabels`).
///
/// The question goes at the very end, after the item, so that the prompts for one item's labels
/// share everything up to it: a server that caches prompt prefixes (llama.cpp's `cache_prompt`,
/// OpenAI's prompt caching) processes the guidelines, the demonstrations and the item once per
/// item, and only the question's few tokens for each further label.
public enum LabelQuestion {
    /// "Does the label "joy" apply to this item? Answer yes or no." Short, because it is the
    /// part evaluated anew for every label: the label's definition and the answer's JSON form
    /// are in the system message, which every question shares (and the answer is started as
    /// `{"answer": "` or held to it by a schema).
    public static func yesNo(label: String) -> String {
        "Does the label \(JSONValue.string(label).serialized) apply to this item? Answer yes or no."
    }

    /// "Which labels apply to this item? …"
    public static let whichLabels = "Which labels apply to this item? Reply with only {\"labels\": [...]}."

    /// `messages` with `question` after the item, in the last user message.
    public static func appending(_ question: String, to messages: [ChatMessage]) -> [ChatMessage] {
        var messages = messages
        if let last = messages.indices.last, messages[last].role == .user {
            messages[last].content += "\n\n" + question
        } else {
            messages.append(.user(question))
        }
        return messages
    }

    /// What a yes/no answer is started with for a server that continues text (`/completion`),
    /// so that the next token is the answer word.
    public static let answerOpening = "{\"answer\": \""
}
