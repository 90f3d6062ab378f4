import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts programs with posix_spawn and waits with waitpid. Foundation's Process watches its
/// child through a descriptor the child inherits; tmux's server, forked from the client, keeps
/// that descriptor, so `waitUntilExit` on a tmux client never returns. Children also start
/// with no signal blocked and every signal at its default: the test runner's threads block
/// most signals, and a tmux server that inherits that mask never reaps its panes nor exits.
enum TmuxSpawn {
    /// Starts `executable` with its output appended to `outputPath`; returns the pid.
    static func start(_ executable: String, _ arguments: [String], environment: [String: String],
                      outputPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw E2EError("cannot start \(executable): \(String(cString: strerror(result)))") }
        return pid
    }

    /// Runs to the end; returns the exit status and everything it printed.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                    scratch: URL) throws -> (status: Int32, output: String) {
        let outputURL = scratch.appendingPathComponent("spawn-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: outputURL) }
        let pid = try start(executable, arguments, environment: environment, outputPath: outputURL.path)
        let status = wait(pid)
        return (status, String(decoding: (try? Data(contentsOf: outputURL)) ?? Data(), as: UTF8.self))
    }

    /// Waits for `pid`; the exit status, or 128 + the signal that ended it.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
}
