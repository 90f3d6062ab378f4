import AnnottyCore
import Foundation
@testable import AnnottyLLM

/// The real local model server, for integration tests. Found the way annotty finds it
/// (ANNOTTY_VENV, or .venv in the repository); tests are disabled when it is absent.
enum LocalModel {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var environment: LocalModelEnvironment? {
        try? LocalModelEnvironment.locate(currentDirectory: repositoryRoot).get()
    }

    static var available: Bool { environment != nil }

    static let missingMessage = "no local model environment: run scripts/setup-local-llm.sh (or set ANNOTTY_VENV)"

    /// One server shared by the tests that only need an endpoint; stopped at process exit.
    static let shared: Result<LocalModelServer, LLMError> = {
        guard let environment else { return .failure(.serverUnavailable(missingMessage)) }
        let server = LocalModelServer(environment: environment, options: .init(threads: 2, parallel: 4))
        do throws(LLMError) {
            try server.start()
            return .success(server)
        } catch {
            return .failure(error)
        }
    }()

    static func sharedBaseURL() throws -> String {
        let server = try shared.get()
        guard let url = server.baseURL else { throw LLMError.serverUnavailable("shared server stopped") }
        return url
    }
}

/// Counts requests per path on the way to a real transport.
final class CountingTransport: HTTPTransport, @unchecked Sendable {
    let inner: any HTTPTransport
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    private var bodies: [String: [String]] = [:]

    init(_ inner: any HTTPTransport = CurlTransport()) {
        self.inner = inner
    }

    func send(_ request: HTTPRequest, cancellation: CancellationToken?) throws(HTTPFailure) -> HTTPResponse {
        let path = URL(string: request.url)?.path ?? request.url
        lock.lock()
        counts[path, default: 0] += 1
        bodies[path, default: []].append(String(decoding: request.body ?? Data(), as: UTF8.self))
        lock.unlock()
        return try inner.send(request, cancellation: cancellation)
    }

    /// The bodies sent to a path, in order.
    func sentBodies(_ path: String) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return bodies[path] ?? []
    }

    func count(_ path: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return counts[path] ?? 0
    }
}
