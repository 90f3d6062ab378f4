import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// `annotty init --store`: a database that is not there leaves nothing behind and says what to do;
/// a second machine's init on the same database joins the project and sees its items.
@Suite(.enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"),
       .enabled(if: TestPostgres.available, "\(TestPostgres.missingMessage)"))
struct PostgresInitCommandLineTests {
    static func annotty(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try CommandLineSurfaceTests.run(arguments, environment: nil)
    }

    @Test func aMissingDatabaseLeavesNoFolderAndNamesCreatedb() throws {
        let dir = try TemporaryDirectory()
        let baseURL = try #require(TestPostgres.baseURL)
        let base = try #require(URLComponents(string: baseURL))
        let url = "postgresql://\(base.user ?? "annotty")@127.0.0.1:\(base.port ?? 5432)/no_such_database?sslmode=disable"
        let result = try Self.annotty(["init", dir.path("team"), "--labels", "a,b", "--provider", "none", "--store", url])
        #expect(result.status != 0)
        #expect(result.output.contains("has no database no_such_database: create it (createdb no_such_database)"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("team")))
    }

    @Test func aSecondMachinesInitJoinsTheProject() throws {
        let dir = try TemporaryDirectory()
        let url = try TestPostgres.freshDatabaseURL()
        let first = try Self.annotty(["init", dir.path("alice"), "--labels", "a,b", "--provider", "none", "--store", url])
        #expect(first.status == 0 && !first.output.contains("joined"), "\(first.output)")
        let items = dir.path("items.jsonl")
        try "{\"text\": \"one\"}\n{\"text\": \"two\"}\n".write(toFile: items, atomically: true, encoding: .utf8)
        #expect(try Self.annotty(["import", items, "-p", dir.path("alice")]).status == 0)
        let second = try Self.annotty(["init", dir.path("bob"), "--labels", "a,b", "--provider", "none", "--store", url])
        #expect(second.status == 0 && second.output.contains("(joined: it holds 2 items already)"), "\(second.output)")
        let status = try Self.annotty(["status", "-p", dir.path("bob")])
        #expect(status.output.contains("store     PostgreSQL  postgresql://"), "\(status.output)")
        #expect(status.output.contains("open for people    2"), "\(status.output)")
        // The password is read from the environment and never written into the project.
        let toml = try String(contentsOfFile: dir.path("bob/annotty.toml"), encoding: .utf8)
        #expect(!toml.contains(ProcessInfo.processInfo.environment["PGPASSWORD"] ?? "\u{0}"))
    }
}
