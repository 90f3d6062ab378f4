import AnnottyCore
import Foundation

/// Puts the project's system prompt (guidelines, label definitions, answer format) into every
/// slot of a llama.cpp server before the first item is asked.
///
/// llama.cpp keeps one prompt cache per slot. Left alone, the first request to land on each
/// slot computes the whole system prompt again: on the bundled model and two cores, about
/// 1,100 tokens and 5 to 20 seconds per slot, before the annotator sees any pre-label. Here it
/// is computed once in slot 0, saved (`POST /slots/0?action=save`) and restored into the other
/// slots (`action=restore`, a few milliseconds each). Every step is best effort: a server
/// without the slot endpoints simply warms up the slow way.
public enum SlotWarmer {
    /// Returns the number of slots that hold the prefix afterwards (0 when warming failed).
    @discardableResult
    public static func warm(client: OpenAICompatibleClient, systemMessage: String, slots: Int,
                            cancellation: CancellationToken? = nil) -> Int {
        let root = client.endpoint.serverRoot
        let fileName = "annotty-prefix-\(getpid()).bin"
        do {
            let rendered = try client.postJSON(url: root + "/apply-template",
                                               body: .object([("messages", .array([ChatMessage.system(systemMessage).json]))]),
                                               cancellation: cancellation)
            guard let prompt = rendered["prompt"]?.stringValue else { return 0 }
            _ = try client.postJSON(url: root + "/completion", body: .object([
                ("prompt", .string(prompt)), ("n_predict", .int(0)), ("cache_prompt", .bool(true)), ("id_slot", .int(0)),
            ]), cancellation: cancellation)
            guard slots > 1 else { return 1 }
            _ = try client.postJSON(url: root + "/slots/0?action=save", body: .object([("filename", .string(fileName))]),
                                    cancellation: cancellation)
            var warmed = 1
            for slot in 1..<slots {
                _ = try client.postJSON(url: root + "/slots/\(slot)?action=restore",
                                        body: .object([("filename", .string(fileName))]), cancellation: cancellation)
                warmed += 1
            }
            return warmed
        } catch {
            return 0
        }
    }
}
