import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The throwaway PostgreSQL cluster `scripts/local-postgres.sh` starts for the tests (scripts/test.sh
/// starts it; by hand: `eval "$(scripts/local-postgres.sh start)"`), and a fresh database on it
/// for each test that asks.
public enum TestPostgres {
    static let environment = ProcessInfo.processInfo.environment

    /// The cluster's test database URL, when one is running.
    public static var baseURL: String? { environment["ANNOTTY_POSTGRES_URL"] }
    public static var available: Bool { baseURL != nil }
    public static let missingMessage = "no PostgreSQL test cluster: run the tests with scripts/test.sh, or "
        + "eval \"$(scripts/local-postgres.sh start)\" first"

    /// A new, empty database on the cluster; its URL (the password is in PGPASSWORD).
    public static func freshDatabaseURL() throws -> String {
        guard let base = baseURL, let bin = environment["ANNOTTY_POSTGRES_BIN"],
              let components = URLComponents(string: base), let port = components.port else {
            throw TestPostgresError(message: missingMessage)
        }
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bin + "/createdb")
        process.arguments = ["-h", "127.0.0.1", "-p", String(port), "-U", components.user ?? "annotty", String(name)]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw TestPostgresError(message: "createdb \(name) failed: \(said)")
        }
        return "postgresql://\(components.user ?? "annotty")@127.0.0.1:\(port)/\(name)?sslmode=disable"
    }

    /// The server's own tools (pg_ctl to stop and start it in the restart test).
    public static var binFolder: String? { environment["ANNOTTY_POSTGRES_BIN"] }
    public static var clusterFolder: String? { environment["ANNOTTY_POSTGRES_DIR"] }
}

public struct TestPostgresError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// A PostgreSQL cluster of one test's own (scripts/local-postgres.sh), for a test that stops the
/// server: the shared cluster serves the other tests meanwhile. Removed when the test ends.
public final class OwnPostgresCluster {
    public let url: String
    public let folder: String
    public let password: String
    private let script: String

    public init() throws {
        script = SharedDatasets.repositoryRoot.appendingPathComponent("scripts/local-postgres.sh").path
        let exports = try Self.run(script, ["start"])
        func value(_ name: String) -> String? {
            exports.split(separator: "\n").first { $0.hasPrefix("export \(name)=") }
                .map { String($0.dropFirst("export \(name)=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "'")) }
        }
        guard let url = value("ANNOTTY_POSTGRES_URL"), let folder = value("ANNOTTY_POSTGRES_DIR"),
              let password = value("PGPASSWORD") else {
            throw TestPostgresError(message: "scripts/local-postgres.sh start printed no cluster: \(exports)")
        }
        self.url = url
        self.folder = folder
        self.password = password
    }

    /// The server dies at once (pg_ctl stop -m immediate), as in a crash.
    public func kill() throws { _ = try Self.run(script, ["kill-server", folder]) }
    public func start() throws { _ = try Self.run(script, ["start-server", folder]) }

    deinit { _ = try? Self.run(script, ["stop", folder]) }

    /// Runs the script through the C library's system(): Foundation's Process can hang waiting
    /// for a child while a test ends (seen with this script's pg_ctl), system() does not.
    @discardableResult
    static func run(_ script: String, _ arguments: [String]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("pg-\(UUID().uuidString).out").path
        let errors = output + ".err"
        defer {
            try? FileManager.default.removeItem(atPath: output)
            try? FileManager.default.removeItem(atPath: errors)
        }
        let quoted = ([script] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let status = system("/bin/bash " + quoted.joined(separator: " ") + " >'\(output)' 2>'\(errors)' </dev/null")
        let printed = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let said = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            throw TestPostgresError(message: "scripts/local-postgres.sh \(arguments.joined(separator: " ")) failed (\(status)): \(said)")
        }
        return printed
    }
}
