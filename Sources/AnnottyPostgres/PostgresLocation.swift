import AnnottyCore
import Foundation
import NIOSSL
import PostgresNIO

/// A PostgreSQL database as `[store] url` names it: `postgresql://user@host:port/database`, with
/// `?sslmode=disable|prefer|require|verify-full` (libpq's meanings; prefer when absent). The
/// password comes from the environment variable `password_env` names, never from the file.
public struct PostgresLocation: Sendable, Equatable {
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var sslMode: SSLMode
    public var passwordEnv: String

    /// Reads `url`; a URL annotty cannot use is an error that says what to write instead.
    public init(url: String, passwordEnv: String) throws {
        func invalid(_ why: String) -> InputError {
            InputError(file: ProjectConfig.fileName, message: "url in [store] \(why)")
        }
        guard let components = URLComponents(string: url),
              let scheme = components.scheme, ["postgresql", "postgres"].contains(scheme) else {
            throw invalid("must look like postgresql://user@host:5432/database")
        }
        guard components.password == nil else {
            throw invalid("must not hold a password: put it in the environment variable \(passwordEnv) (password_env in [store])")
        }
        guard let host = components.host, !host.isEmpty else { throw invalid("names no host (postgresql://user@HOST:5432/database)") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw invalid("names no database (postgresql://user@host:5432/DATABASE)") }
        var sslMode = SSLMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else { throw invalid("has an option annotty does not know: \(item.name) (only sslmode)") }
            guard let mode = item.value.flatMap(SSLMode.init(rawValue:)) else {
                throw invalid("sslmode must be one of " + SSLMode.allCases.map(\.rawValue).joined(separator: ", "))
            }
            sslMode = mode
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = components.user ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        self.database = database
        self.sslMode = sslMode
        self.passwordEnv = passwordEnv
    }

    public init(_ settings: StoreSettings) throws {
        try self.init(url: settings.url, passwordEnv: settings.passwordEnv)
    }

    /// The URL without any secret, for messages.
    public var description: String { "postgresql://\(user)@\(host):\(port)/\(database)" }

    /// The connection settings, with the password read from the environment now.
    func configuration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresConnection.Configuration {
        let password = environment[passwordEnv].flatMap { $0.isEmpty ? nil : $0 }
        let tls: PostgresConnection.Configuration.TLS
        switch sslMode {
        case .disable:
            tls = .disable
        case .prefer, .require:
            // libpq's prefer and require encrypt without checking the server's certificate.
            var client = TLSConfiguration.makeClientConfiguration()
            client.certificateVerification = .none
            let context = try NIOSSLContext(configuration: client)
            tls = sslMode == .prefer ? .prefer(context) : .require(context)
        case .verifyFull:
            tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password,
                                                             database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }
}
