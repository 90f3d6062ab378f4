import AnnottyCore
import Foundation

public struct ChatMessage: Sendable, Equatable, Hashable {
    public enum Role: String, Sendable { case system, user, assistant }
    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: .assistant, content: content) }

    var json: JSONValue { .object([(key: "role", value: .string(role.rawValue)), (key: "content", value: .string(content))]) }
}

/// A POST /chat/completions request of the OpenAI API, as far as annotty uses it.
public struct ChatRequest: Sendable, Equatable {
    public enum ResponseFormat: Sendable, Equatable {
        /// Structured output: the answer must match the schema (servers enforce it by grammar).
        case jsonSchema(name: String, schema: JSONValue)
        case jsonObject
    }

    public var model: String
    public var messages: [ChatMessage]
    public var temperature: Double
    public var maxTokens: Int
    public var responseFormat: ResponseFormat?
    /// Ask for the log-probability of each generated token and its `topLogprobs` alternatives.
    public var logprobs: Bool
    public var topLogprobs: Int
    public var seed: Int?

    public init(model: String, messages: [ChatMessage], temperature: Double = 0, maxTokens: Int = 32,
                responseFormat: ResponseFormat? = nil, logprobs: Bool = false, topLogprobs: Int = 0, seed: Int? = nil) {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.responseFormat = responseFormat
        self.logprobs = logprobs
        self.topLogprobs = topLogprobs
        self.seed = seed
    }

    /// The request body, keys in a fixed order.
    public var body: JSONValue {
        var pairs: [(key: String, value: JSONValue)] = [
            ("model", .string(model)),
            ("messages", .array(messages.map(\.json))),
            ("temperature", .double(temperature)),
            ("max_tokens", .int(maxTokens)),
        ]
        switch responseFormat {
        case .jsonSchema(let name, let schema):
            pairs.append(("response_format", .object([
                ("type", .string("json_schema")),
                ("json_schema", .object([("name", .string(name)), ("strict", .bool(true)), ("schema", schema)])),
            ])))
        case .jsonObject:
            pairs.append(("response_format", .object([("type", .string("json_object"))])))
        case nil:
            break
        }
        if logprobs {
            pairs.append(("logprobs", .bool(true)))
            if topLogprobs > 0 { pairs.append(("top_logprobs", .int(topLogprobs))) }
        }
        if let seed { pairs.append(("seed", .int(seed))) }
        return .object(pairs)
    }
}

/// One alternative for a generated token.
public struct TokenAlternative: Sendable, Equatable {
    public var token: String
    public var logprob: Double

    public init(token: String, logprob: Double) {
        self.token = token
        self.logprob = logprob
    }
}

/// One generated token with its log-probability and the most likely alternatives at its place.
public struct GeneratedToken: Sendable, Equatable {
    public var token: String
    public var logprob: Double
    public var alternatives: [TokenAlternative]

    public init(token: String, logprob: Double, alternatives: [TokenAlternative]) {
        self.token = token
        self.logprob = logprob
        self.alternatives = alternatives
    }
}

public struct TokenUsage: Sendable, Equatable {
    public var promptTokens: Int
    public var completionTokens: Int

    public init(promptTokens: Int = 0, completionTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(promptTokens: lhs.promptTokens + rhs.promptTokens,
                   completionTokens: lhs.completionTokens + rhs.completionTokens)
    }
}

public struct ChatResponse: Sendable, Equatable {
    public var content: String
    /// Per generated token, when the request asked for logprobs and the server gave them.
    public var tokens: [GeneratedToken]?
    public var usage: TokenUsage
    public var finishReason: String?
    public var model: String?

    public init(content: String, tokens: [GeneratedToken]? = nil, usage: TokenUsage = TokenUsage(),
                finishReason: String? = nil, model: String? = nil) {
        self.content = content
        self.tokens = tokens
        self.usage = usage
        self.finishReason = finishReason
        self.model = model
    }

    /// Reads a chat-completion body (the first choice). Lenient about what it does not need:
    /// missing usage is zero, missing or malformed logprobs are nil.
    public static func parse(_ json: JSONValue) throws(LLMError) -> ChatResponse {
        if let error = json["error"], error != .null {
            let message = error["message"]?.stringValue ?? error.stringValue ?? "error without a message"
            throw .invalidResponse("server error: \(message.prefix(200))")
        }
        guard let choice = json["choices"]?[0] else { throw .invalidResponse("no choices in the answer") }
        let message = choice["message"]
        // Some servers put a refusal where the content would be; treat it as the answer text.
        guard let content = message?["content"]?.stringValue ?? message?["refusal"]?.stringValue ?? choice["text"]?.stringValue else {
            throw .invalidResponse("the answer has no message content")
        }
        var tokens: [GeneratedToken]?
        if let entries = choice["logprobs"]?["content"]?.arrayValue {
            tokens = entries.compactMap { entry in
                guard let token = entry["token"]?.stringValue else { return nil }
                let alternatives = (entry["top_logprobs"]?.arrayValue ?? []).compactMap { alternative -> TokenAlternative? in
                    guard let text = alternative["token"]?.stringValue else { return nil }
                    return TokenAlternative(token: text, logprob: alternative["logprob"]?.numberValue ?? -.infinity)
                }
                return GeneratedToken(token: token, logprob: entry["logprob"]?.numberValue ?? -.infinity,
                                      alternatives: alternatives)
            }
        }
        let usage = TokenUsage(promptTokens: json["usage"]?["prompt_tokens"]?.intValue ?? 0,
                               completionTokens: json["usage"]?["completion_tokens"]?.intValue ?? 0)
        return ChatResponse(content: content, tokens: tokens, usage: usage,
                            finishReason: choice["finish_reason"]?.stringValue, model: json["model"]?.stringValue)
    }
}
