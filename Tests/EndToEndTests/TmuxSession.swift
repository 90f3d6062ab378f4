import Foundation

/// A detached tmux server of its own (its own socket, no user config) running one command in
/// an 80x24 (or other) pane, driven with send-keys and read with capture-pane.
final class TmuxSession {
    static let executable: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    static var available: Bool { executable != nil }
    static let missingMessage = "tmux is not installed (the project's test script installs it)"

    static let exitMarker = "[command exited with status "
    let socket: String
    let directory: URL
    private var closed = false

    /// Starts `command` (run by /bin/sh) in a new pane of `columns` x `rows`. The pane stays
    /// after the command ends, and the shell prints the command's exit status under its last
    /// screen (tmux 3.3 does not report it reliably). tmux's own "Pane is dead" line is turned
    /// off: printing it can scroll the command's last lines out of the visible pane.
    init(command: String, columns: Int = 80, rows: Int = 24, directory: URL) throws {
        socket = "annotty-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
        self.directory = directory
        let config = directory.appendingPathComponent("tmux-\(socket).conf")
        try """
        set -g status off
        set -g remain-on-exit on
        set -gq remain-on-exit-format ""
        set -g default-shell /bin/sh
        set -g history-limit 100
        """.write(to: config, atomically: true, encoding: .utf8)
        let wrapped = "\(command); echo \"\(Self.exitMarker)$?]\""
        _ = try tmux(["-f", config.path, "new-session", "-d", "-s", "main", "-x", String(columns), "-y", String(rows), wrapped])
    }

    deinit {
        close()
    }

    func close() {
        guard !closed else { return }
        closed = true
        _ = try? tmux(["kill-server"])
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        guard let executable = Self.executable else { throw E2EError("tmux is not installed") }
        var environment = ProcessInfo.processInfo.environment
        // The tmux server must think in UTF-8 whatever the test runner's locale.
        environment["LANG"] = "C.UTF-8"
        environment["LC_ALL"] = "C.UTF-8"
        environment.removeValue(forKey: "TMUX")
        let (status, text) = try TmuxSpawn.run(executable, ["-L", socket] + arguments, environment: environment, scratch: directory)
        guard status == 0 else {
            throw E2EError("tmux \(arguments.joined(separator: " ")) failed: \(text)")
        }
        return text
    }

    /// Key names as tmux knows them: "Enter", "Space", "Escape", "Up", "PPage", or characters.
    func send(_ keys: String...) throws {
        try tmux(["send-keys", "-t", "main"] + keys)
    }

    /// Types text literally.
    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", "main", "-l", text])
    }

    /// The pane's text, trailing spaces removed from each line.
    func capture() throws -> String {
        let raw = try tmux(["capture-pane", "-p", "-t", "main"])
        return raw.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in String(line.reversed().drop { $0 == " " }.reversed()) }
            .joined(separator: "\n")
    }

    /// The pane's scrollback and screen, lines joined without breaks (for text that wrapped).
    func captureJoinedWithHistory() throws -> String {
        try tmux(["capture-pane", "-p", "-J", "-S", "-", "-t", "main"]).replacingOccurrences(of: "\n", with: "")
    }

    /// The pane with its colour and attribute escape sequences (`capture-pane -e`).
    func captureWithAttributes() throws -> String {
        try tmux(["capture-pane", "-p", "-e", "-t", "main"])
    }

    /// Polls the pane until `condition` holds; fails with the last screen after `timeout`.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 15, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try capture()
            if condition(screen) { return screen }
            usleep(30_000)
        }
        throw E2EError("timed out after \(timeout) s waiting for \(what); the screen was:\n\(screen)")
    }

    @discardableResult
    func waitFor(text: String, timeout: TimeInterval = 15) throws -> String {
        try waitFor("\"\(text)\"", timeout: timeout) { $0.contains(text) }
    }

    func resize(columns: Int, rows: Int) throws {
        try tmux(["resize-window", "-t", "main", "-x", String(columns), "-y", String(rows)])
    }

    /// The pid of the command: the child of the pane's shell.
    func commandPID() throws -> pid_t {
        let text = try tmux(["display-message", "-p", "-t", "main", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let shell = pid_t(text) else { throw E2EError("no pane pid in \(text)") }
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // Fields after the command name: state, then the parent pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, pid_t(fields[1]) == shell { return pid }
        }
        throw E2EError("the pane's shell \(shell) has no child")
    }

    /// The command's exit status once it has ended (128 + n after signal n), nil while it runs.
    /// Read with wrapped lines joined: a command killed mid-screen leaves the cursor anywhere,
    /// and the shell's marker can then wrap at the pane's edge.
    func exitStatus() throws -> Int32? {
        let screen = try tmux(["capture-pane", "-p", "-J", "-t", "main"])
        guard let range = screen.range(of: Self.exitMarker, options: .backwards) else { return nil }
        return Int32(screen[range.upperBound...].prefix { $0.isNumber })
    }

    func waitForExit(timeout: TimeInterval = 15) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = try exitStatus() { return status }
            usleep(30_000)
        }
        throw E2EError("the command did not end within \(timeout) s; the screen was:\n\(try capture())")
    }
}

struct E2EError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
