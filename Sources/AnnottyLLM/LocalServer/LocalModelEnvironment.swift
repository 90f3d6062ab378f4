import Foundation

/// Where the offline default model's Python environment and server script are.
///
/// The environment is found, in order: `$ANNOTTY_VENV`; a `.venv` folder in the current
/// directory or one of its parents; a `.venv` beside the annotty executable's repository (the
/// folders above the executable, which finds the checkout for `swift run` and `.build/` builds).
/// The server script is `$ANNOTTY_LLM_SERVER_SCRIPT`, or `scripts/local_llm_server.py` in the
/// first of those folders that has it.
public struct LocalModelEnvironment: Sendable, Equatable {
    public var venv: URL
    public var python: URL
    public var script: URL

    public init(venv: URL, script: URL) {
        self.venv = venv
        self.python = venv.appendingPathComponent("bin/python")
        self.script = script
    }

    public static let setupHint = "run scripts/setup-local-llm.sh (or set ANNOTTY_VENV to its environment)"

    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                              currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                              executable: URL? = LocalModelEnvironment.executableURL) -> Result<LocalModelEnvironment, LLMError> {
        let fileManager = FileManager.default
        var roots: [URL] = []
        roots += ancestors(of: currentDirectory)
        if let executable { roots += ancestors(of: executable.deletingLastPathComponent()) }

        var venv: URL?
        if let override = environment["ANNOTTY_VENV"], !override.isEmpty {
            let url = URL(fileURLWithPath: override)
            guard fileManager.isExecutableFile(atPath: url.appendingPathComponent("bin/python").path) else {
                return .failure(.serverUnavailable("ANNOTTY_VENV=\(override) has no bin/python; \(setupHint)"))
            }
            venv = url
            roots.insert(url.deletingLastPathComponent(), at: 0)
        } else {
            venv = roots.lazy.map { $0.appendingPathComponent(".venv") }
                .first { fileManager.isExecutableFile(atPath: $0.appendingPathComponent("bin/python").path) }
        }
        guard let venv else {
            return .failure(.serverUnavailable("no local model environment (.venv) found; \(setupHint)"))
        }
        var script: URL?
        if let override = environment["ANNOTTY_LLM_SERVER_SCRIPT"], !override.isEmpty {
            script = URL(fileURLWithPath: override)
        } else {
            script = roots.lazy.map { $0.appendingPathComponent("scripts/local_llm_server.py") }
                .first { fileManager.fileExists(atPath: $0.path) }
        }
        guard let script, fileManager.fileExists(atPath: script.path) else {
            return .failure(.serverUnavailable("scripts/local_llm_server.py not found (set ANNOTTY_LLM_SERVER_SCRIPT)"))
        }
        return .success(LocalModelEnvironment(venv: venv, script: script))
    }

    public static var executableURL: URL? {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            return Bundle.main.executableURL
        }
        return URL(fileURLWithPath: path)
    }

    static func ancestors(of url: URL) -> [URL] {
        var result: [URL] = []
        var current = url.standardizedFileURL
        while true {
            result.append(current)
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path || current.path == "/" { break }
            current = parent
        }
        return result
    }
}
