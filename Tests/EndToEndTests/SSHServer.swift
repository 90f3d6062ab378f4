import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway OpenSSH server on 127.0.0.1 and a free port, with its own host key and one
/// authorised client key, for the current user. Nothing is installed; if sshd is missing the
/// tests that need it are disabled.
final class SSHServer {
    static let sshd = "/usr/sbin/sshd"
    static let ssh = ["/usr/bin/ssh", "/bin/ssh"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let keygen = ["/usr/bin/ssh-keygen", "/bin/ssh-keygen"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var available: Bool { FileManager.default.isExecutableFile(atPath: sshd) && ssh != nil && keygen != nil }
    static let missingMessage = "OpenSSH (/usr/sbin/sshd, ssh, ssh-keygen) is not installed (the project's test script installs it)"

    let directory: URL
    let port: Int
    let user: String
    private var pid: pid_t = 0

    init(directory: URL) throws {
        self.directory = directory
        user = String(cString: getpwuid(geteuid()).pointee.pw_name)
        port = try Self.freePort()
        let hostKey = directory.appendingPathComponent("ssh_host_ed25519_key")
        let clientKey = directory.appendingPathComponent("client_key")
        for key in [hostKey, clientKey] {
            let result = try TmuxSpawn.run(Self.keygen!, ["-q", "-t", "ed25519", "-N", "", "-C", "annotty-e2e", "-f", key.path],
                                           environment: [:], scratch: directory)
            guard result.status == 0 else { throw E2EError("ssh-keygen failed: \(result.output)") }
        }
        let authorized = directory.appendingPathComponent("authorized_keys")
        try FileManager.default.copyItem(at: clientKey.appendingPathExtension("pub"), to: authorized)
        chmod(authorized.path, 0o600)
        if geteuid() == 0 {
            // sshd run by root insists on its privilege separation directory.
            try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o755])
        }
        let config = directory.appendingPathComponent("sshd_config")
        try """
        Port \(port)
        ListenAddress 127.0.0.1
        HostKey \(hostKey.path)
        PidFile \(directory.appendingPathComponent("sshd.pid").path)
        AuthorizedKeysFile \(authorized.path)
        StrictModes no
        UsePAM no
        PubkeyAuthentication yes
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        PermitRootLogin prohibit-password
        PrintMotd no
        PrintLastLog no
        X11Forwarding no
        AllowTcpForwarding no
        LogLevel ERROR

        """.write(to: config, atomically: true, encoding: .utf8)
        pid = try TmuxSpawn.start(Self.sshd, ["-D", "-e", "-f", config.path], environment: [:],
                                  outputPath: directory.appendingPathComponent("sshd.log").path)
        try waitUntilListening()
    }

    deinit {
        stop()
    }

    func stop() {
        guard pid > 0 else { return }
        kill(pid, SIGTERM)
        _ = TmuxSpawn.wait(pid)
        pid = 0
    }

    var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("sshd.log"), encoding: .utf8)) ?? ""
    }

    /// The ssh command line that runs `remoteCommand` on this server in a terminal (-tt).
    func sshCommand(_ remoteCommand: String) -> String {
        let options = ["-tt", "-p", String(port), "-i", directory.appendingPathComponent("client_key").path,
                       "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                       "-o", "LogLevel=ERROR", "\(user)@127.0.0.1", remoteCommand]
        return ([Self.ssh!] + options).map(LabelTestProject.shellQuote).joined(separator: " ")
    }

    private func waitUntilListening() throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if Self.canConnect(port: port) { return }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                pid = 0
                throw E2EError("sshd exited at start: \(log)")
            }
            usleep(50_000)
        }
        throw E2EError("sshd did not listen on port \(port) within 10 s: \(log)")
    }

    static func canConnect(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// A port the kernel says is free now (bound to port 0, read back, released).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw E2EError("no socket") }
        defer { close(descriptor) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw E2EError("cannot bind a port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
