import AnnottyCore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs llama.cpp's OpenAI-compatible server (scripts/local_llm_server.py in the project-local
/// Python environment) as a child process on 127.0.0.1 and a free port.
///
/// The child gets its own process group, so that a Ctrl-C meant for the terminal UI does not
/// reach it and `stop()` can end it and anything it started at once. It also ends itself when
/// annotty goes, however annotty goes: its stdin is a pipe annotty holds open and never writes,
/// and end-of-file on it makes the script exit (see the script). `stop()` is also run at normal
/// process exit for every server still running.
public final class LocalModelServer: Sendable {
    public struct Options: Sendable {
        /// A GGUF file; nil for the bundled SmolLM2-135M-Instruct.
        public var modelPath: String?
        public var threads: Int
        public var parallel: Int
        public var contextPerSlot: Int
        public var startTimeoutSeconds: Double
        /// Where the server's own output goes; nil for a file in the temporary folder.
        public var logURL: URL?
        /// Removed from the child's environment (the API key variable: the child never needs it).
        public var hiddenEnvironmentVariables: [String]
        /// Where the server saves and restores slots (`--slot-save-path`): the project's slot cache,
        /// so that the warmed system prompt outlives the run; nil for a temporary folder the
        /// server removes when it exits.
        public var slotSavePath: URL?

        public init(modelPath: String? = nil, threads: Int = 2, parallel: Int = 4, contextPerSlot: Int = 4096,
                    startTimeoutSeconds: Double = 120, logURL: URL? = nil, hiddenEnvironmentVariables: [String] = [],
                    slotSavePath: URL? = nil) {
            self.modelPath = modelPath
            self.threads = threads
            self.parallel = parallel
            self.contextPerSlot = contextPerSlot
            self.startTimeoutSeconds = startTimeoutSeconds
            self.logURL = logURL
            self.hiddenEnvironmentVariables = hiddenEnvironmentVariables
            self.slotSavePath = slotSavePath
        }

        public init(settings: LLMSettings, projectFolder: URL?) {
            var model: String?
            if !settings.localModelPath.isEmpty {
                model = settings.localModelPath.hasPrefix("/") || projectFolder == nil
                    ? settings.localModelPath
                    : projectFolder!.appendingPathComponent(settings.localModelPath).path
            }
            self.init(modelPath: model, threads: settings.localThreads, parallel: settings.localParallel,
                      hiddenEnvironmentVariables: settings.apiKeyEnv.isEmpty ? [] : [settings.apiKeyEnv],
                      slotSavePath: projectFolder.map(LocalModelServer.slotCacheFolder(projectFolder:)))
        }

        /// What a saved slot's contents depend on besides the model file and the prompt.
        public var slotFingerprint: String {
            "model=\(modelPath ?? "bundled"),ctx-per-slot=\(contextPerSlot)"
        }
    }

    /// The project's own files that are not the database: `<project>/.annotty/`.
    public static func privateFolder(projectFolder: URL) -> URL {
        projectFolder.appendingPathComponent(".annotty", isDirectory: true)
    }

    /// Where a project keeps the local model's saved system-prompt slots between runs.
    public static func slotCacheFolder(projectFolder: URL) -> URL {
        privateFolder(projectFolder: projectFolder).appendingPathComponent("slot-cache", isDirectory: true)
    }

    public let environment: LocalModelEnvironment
    public let options: Options
    private let child = Mutex(Child())
    public let logURL: URL

    /// The running server: its process, the pipe that ends it when annotty goes, its port.
    private struct Child {
        var pid: pid_t = 0
        var stdinWriteEnd: Int32 = -1
        var port = 0
        var slotCacheFolder: URL?
    }

    public init(environment: LocalModelEnvironment, options: Options = Options()) {
        self.environment = environment
        self.options = options
        self.logURL = options.logURL ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("annotty-local-llm-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log")
    }

    deinit { stop() }

    /// The API base once started: "http://127.0.0.1:PORT/v1".
    public var baseURL: String? {
        child.withLock { $0.pid > 0 ? "http://127.0.0.1:\($0.port)/v1" : nil }
    }

    public var pid: pid_t? {
        child.withLock { $0.pid > 0 ? $0.pid : nil }
    }

    /// The folder the running server saves slots in, when it is the project's slot cache
    /// (created at start; nil when it could not be, and then the server uses a temporary one).
    public var slotCacheFolder: URL? {
        child.withLock { $0.pid > 0 ? $0.slotCacheFolder : nil }
    }

    /// What a saved slot depends on besides the model file and the prompt: the server's options
    /// and the llama.cpp build installed in the environment (the `xllamacpp` wheel's version).
    public var slotFingerprint: String {
        var parts = [options.slotFingerprint]
        let lib = environment.venv.appendingPathComponent("lib")
        let fileManager = FileManager.default
        for python in ((try? fileManager.contentsOfDirectory(atPath: lib.path)) ?? []).sorted() {
            let sitePackages = lib.appendingPathComponent(python).appendingPathComponent("site-packages")
            let wheels = ((try? fileManager.contentsOfDirectory(atPath: sitePackages.path)) ?? [])
                .filter { $0.hasPrefix("xllamacpp-") && $0.hasSuffix(".dist-info") }
            parts += wheels.sorted()
        }
        return parts.joined(separator: ",")
    }

    /// Adds a line to the server's log file (annotty's own notes: what slot warming did and why).
    public func appendLog(_ line: String) {
        guard let handle = FileHandle(forWritingAtPath: logURL.path) ?? {
            _ = FileManager.default.createFile(atPath: logURL.path, contents: nil, attributes: [.posixPermissions: 0o600])
            return FileHandle(forWritingAtPath: logURL.path)
        }() else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data(("annotty: " + line + "\n").utf8))
    }

    /// Starts the server and waits until GET /health answers ok. Blocks: call it off the UI
    /// thread. A port taken between choosing and binding is retried with another.
    @discardableResult
    public func start(cancellation: CancellationToken? = nil) throws(LLMError) -> String {
        if let baseURL { return baseURL }
        var lastError = LLMError.serverUnavailable("the local model server did not start")
        for _ in 0..<3 {
            let port = try LocalModelServer.freePort()
            try spawn(port: port)
            do {
                try waitUntilHealthy(port: port, cancellation: cancellation)
                return "http://127.0.0.1:\(port)/v1"
            } catch {
                stop()
                lastError = error
                if error.isCancellation || !logTail().contains("bind") { throw error }
            }
        }
        throw lastError
    }

    /// Ends the server (its whole process group): SIGTERM, then SIGKILL after two seconds.
    public func stop() {
        let (pid, pipe) = child.withLock { child in
            defer { child = Child() }
            return (child.pid, child.stdinWriteEnd)
        }
        if pipe >= 0 { close(pipe) }
        guard pid > 0 else { return }
        LocalModelServer.registry.remove(pid)
        kill(-pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<40 {
            if waitpid(pid, &status, WNOHANG) != 0 { return }
            usleep(50_000)
        }
        kill(-pid, SIGKILL)
        waitpid(pid, &status, 0)
    }

    /// The end of the server's log, for error messages.
    public func logTail(maxCharacters: Int = 600) -> String {
        guard let data = FileManager.default.contents(atPath: logURL.path) else { return "" }
        return String(String(decoding: data, as: UTF8.self).suffix(maxCharacters))
    }

    // MARK: Process

    private func spawn(port: Int) throws(LLMError) {
        var arguments = [environment.python.path, environment.script.path, "--port", String(port),
                         "--threads", String(options.threads), "--parallel", String(options.parallel),
                         "--ctx-per-slot", String(options.contextPerSlot)]
        if let model = options.modelPath { arguments += ["--model", model] }
        var slotCacheFolder: URL?
        if let folder = options.slotSavePath {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                arguments += ["--slot-save-path", folder.path]
                slotCacheFolder = folder
            } catch {
                appendLog("slot cache: cannot create \(folder.path) (\(error.localizedDescription)); "
                          + "the warmed system prompt is kept for this run only")
            }
        }
        var environmentLines: [String] = []
        for (name, value) in ProcessInfo.processInfo.environment where !options.hiddenEnvironmentVariables.contains(name) {
            environmentLines.append("\(name)=\(value)")
        }

        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw .serverUnavailable("cannot create a pipe: \(errnoText())") }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        // Close-on-exec, so that no other child inherits the write end and keeps the pipe open
        // after annotty exits (dup2 onto the child's stdin clears the flag there).
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, readEnd, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logURL.path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT] { sigaddset(&defaultSignals, signal) }
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setsigmask(&attributes, &noMask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environmentLines.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, environment.python.path, &actions, &attributes, argv, envp)
        close(readEnd)
        guard result == 0 else {
            close(writeEnd)
            throw .serverUnavailable("cannot start \(environment.python.path): \(String(cString: strerror(result)))")
        }
        child.withLock { $0 = Child(pid: pid, stdinWriteEnd: writeEnd, port: port, slotCacheFolder: slotCacheFolder) }
        LocalModelServer.registry.add(pid)
    }

    private func waitUntilHealthy(port: Int, cancellation: CancellationToken?) throws(LLMError) {
        let transport = CurlTransport(maxIdleHandles: 1)
        let request = HTTPRequest(url: "http://127.0.0.1:\(port)/health",
                                  timeouts: HTTPTimeouts(connectSeconds: 1, idleSeconds: 2, totalSeconds: 2))
        let deadline = Date(timeIntervalSinceNow: options.startTimeoutSeconds)
        while Date() < deadline {
            if cancellation?.isCancelled == true { throw .cancelled }
            var status: Int32 = 0
            let pid = child.withLock { $0.pid }
            if pid > 0, waitpid(pid, &status, WNOHANG) == pid {
                child.withLock { $0.pid = 0 }
                LocalModelServer.registry.remove(pid)
                let tail = logTail(maxCharacters: 300).split(separator: "\n").last.map(String.init) ?? ""
                throw .serverUnavailable("the local model server exited: \(tail)")
            }
            if let response = try? transport.send(request, cancellation: cancellation), response.status == 200,
               (try? JSONValue.parse(response.body))?["status"]?.stringValue == "ok" {
                return
            }
            if let cancellation { cancellation.sleep(seconds: 0.1) } else { usleep(100_000) }
        }
        throw .serverUnavailable("the local model server did not answer /health within \(Int(options.startTimeoutSeconds)) s")
    }

    /// A port nobody listens on now: bind port 0 on loopback and read what the kernel chose.
    static func freePort() throws(LLMError) -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw .serverUnavailable("cannot open a socket: \(errnoText())") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socketFD, pointer, length) == 0 && getsockname(socketFD, pointer, &length) == 0
            }
        }
        guard bound else { throw .serverUnavailable("cannot find a free port: \(errnoText())") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    // MARK: Cleanup at exit

    /// Children still running, stopped by an atexit handler should nobody call `stop()`.
    final class Registry: Sendable {
        private let running = Mutex<(pids: Set<pid_t>, installed: Bool)>(([], false))

        func add(_ pid: pid_t) {
            let install = running.withLock { running in
                running.pids.insert(pid)
                defer { running.installed = true }
                return !running.installed
            }
            if install { atexit { LocalModelServer.registry.killAll() } }
        }

        func remove(_ pid: pid_t) {
            _ = running.withLock { $0.pids.remove(pid) }
        }

        func killAll() {
            let all = running.withLock { running in
                defer { running.pids.removeAll() }
                return running.pids
            }
            // SIGTERM lets the script remove its temporary files; should it not exit, the end of
            // its stdin (this process is exiting) stops it anyway.
            for pid in all { kill(-pid, SIGTERM) }
        }
    }

    static let registry = Registry()
}

func errnoText() -> String {
    String(cString: strerror(errno))
}
