import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The real binary against hostile situations: exit statuses a script can act on, messages that
/// name the file and the next step, and nothing written where it should not be.
@Suite(.serialized) struct HostileCLITests {
    struct Run {
        var status: Int32
        var output: String
    }

    /// Runs annotty; `whileRunning` gets the process once it started (to signal it).
    func annotty(_ arguments: [String], whileRunning: ((Process) -> Void)? = nil) throws -> Run {
        let binary = try #require(LabelTestProject.binary, Comment(rawValue: LabelTestProject.binaryMissingMessage))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        whileRunning?(process)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    func project(_ dir: TemporaryDirectory, baseURL: String, items: Int = 5) throws -> String {
        let folder = dir.path("project")
        #expect(try annotty(["init", folder, "--labels", "positive,negative", "--provider", "openai", "--base-url", baseURL]).status == 0)
        let rows = (0..<items).map { "{\"id\": \"r\($0)\", \"text\": \"review number \($0)\"}" }.joined(separator: "\n")
        let file = try dir.write("items.jsonl", rows + "\n")
        #expect(try annotty(["import", file, "-p", folder]).status == 0)
        return folder
    }

    /// A loopback port that listens but never accepts: connections complete in the kernel's
    /// backlog and every request waits for an answer that never comes.
    final class SilentListener {
        let fd: Int32
        let port: Int

        init() throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
                }
            }
            guard ok else { close(fd); throw POSIXError(.EADDRINUSE) }
            self.fd = fd
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        /// Whether a connection is waiting, within `seconds`.
        func connectionArrives(within seconds: Double) -> Bool {
            var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            return poll(&pollFD, 1, Int32(seconds * 1000)) > 0
        }

        deinit { close(fd) }
    }

    /// A port nothing listens on: bound, then closed.
    func closedPort() throws -> Int {
        let listener = try SilentListener()
        return listener.port
    }

    @Test func prelabelAgainstAClosedPortExitsFiveWithinSecondsNamingTheSetting() throws {
        let dir = try TemporaryDirectory()
        let url = "http://127.0.0.1:\(try closedPort())/v1"
        let folder = try project(dir, baseURL: url, items: 300)
        let start = Date()
        let run = try annotty(["prelabel", "-p", folder, "--quiet"])
        #expect(Date().timeIntervalSince(start) < 20)
        #expect(run.status == 5, "\(run.output)")
        #expect(run.output.contains("\(url) is unreachable"), "\(run.output)")
        #expect(run.output.contains("base_url in [llm] of annotty.toml"), "\(run.output)")
    }

    @Test func prelabelInterruptedExits130AndSaysHowToContinue() throws {
        let dir = try TemporaryDirectory()
        let listener = try SilentListener()
        let folder = try project(dir, baseURL: "http://127.0.0.1:\(listener.port)/v1")
        let run = try annotty(["prelabel", "-p", folder, "--quiet"]) { process in
            // Interrupt once a request is in flight.
            if listener.connectionArrives(within: 20) { kill(process.processIdentifier, SIGINT) }
        }
        #expect(run.status == 130, "\(run.output)")
        #expect(run.output.contains("run the same command again to continue"), "\(run.output)")
    }

    @Test func prelabelWithNothingLeftExitsZero() throws {
        let dir = try TemporaryDirectory()
        let folder = try project(dir, baseURL: "http://127.0.0.1:\(try closedPort())/v1", items: 0)
        let run = try annotty(["prelabel", "-p", folder, "--quiet"])
        #expect(run.status == 0, "\(run.output)")
    }

    @Test func aProjectWithoutItsDatabaseIsRefusedAndLeftAlone() throws {
        let dir = try TemporaryDirectory()
        let folder = try project(dir, baseURL: "http://127.0.0.1:1/v1")
        let database = folder + "/annotty.sqlite"
        try FileManager.default.removeItem(atPath: database)
        for command in [["status"], ["label", "--annotator", "x"], ["import", dir.path("items.jsonl")]] {
            let run = try annotty(command + ["-p", folder])
            #expect(run.status == 1, "\(command): \(run.output)")
            #expect(run.output.contains("\(database): the project's database is missing"), "\(run.output)")
            #expect(!FileManager.default.fileExists(atPath: database))
        }
    }

    @Test func checkAndBackupOnAGoodAndADamagedDatabase() throws {
        let dir = try TemporaryDirectory()
        let folder = try project(dir, baseURL: "http://127.0.0.1:1/v1", items: 500)
        let good = try annotty(["check", "-p", folder])
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.contains(": ok") && good.output.contains("items 500 (500 open"), "\(good.output)")

        let copy = dir.path("copy.sqlite")
        let backup = try annotty(["backup", "-p", folder, copy])
        #expect(backup.status == 0, "\(backup.output)")
        #expect(backup.output.contains("backed up 500 items"), "\(backup.output)")
        #expect(try annotty(["check", "--file", copy]).status == 0)

        // Damage the middle of the original's pages.
        let handle = try #require(FileHandle(forUpdatingAtPath: folder + "/annotty.sqlite"))
        let size = try handle.seekToEnd()
        for offset in stride(from: UInt64(4096 * 3 + 500), to: size - 4096, by: 4096 * 2) {
            try handle.seek(toOffset: offset)
            try handle.write(contentsOf: Data(repeating: 0x5A, count: 900))
        }
        try handle.close()
        let damaged = try annotty(["check", "-p", folder])
        #expect(damaged.status == 2, "\(damaged.output)")
        #expect(damaged.output.contains("the database is damaged") && damaged.output.contains(".recover"), "\(damaged.output)")
        let status = try annotty(["status", "-p", folder])
        #expect(status.status == 1 && status.output.contains("the database is damaged"), "\(status.output)")
    }

    @Test func errorMessagesQuotingHostileTextAreInert() throws {
        let run = try annotty(["status", "-p", "/nonexistent/a\u{1B}]0;pwned\u{07}b"])
        #expect(run.status != 0)
        #expect(!run.output.contains("\u{1B}") && !run.output.contains("\u{07}"), "\(run.output)")
        #expect(run.output.contains("a␛]0;pwned␇b"), "\(run.output)")
    }
}
