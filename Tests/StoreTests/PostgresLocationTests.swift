import AnnottyCore
import AnnottyPostgres
import Foundation
import Testing

/// `[store] url` as annotty reads it: what it takes, and what it refuses with the fix in words.
@Suite struct PostgresLocationTests {
    @Test func aFullURLGivesEveryPartAndSSLModePreferByDefault() throws {
        let location = try PostgresLocation(url: "postgresql://alice@db.example.org:6543/reviews", passwordEnv: "TEAM_DB")
        #expect(location.host == "db.example.org" && location.port == 6543 && location.user == "alice")
        #expect(location.database == "reviews" && location.sslMode == .prefer && location.passwordEnv == "TEAM_DB")
        #expect(location.description == "postgresql://alice@db.example.org:6543/reviews")
        let required = try PostgresLocation(url: "postgres://bob@10.0.0.5/annotty?sslmode=verify-full", passwordEnv: "PGPASSWORD")
        #expect(required.port == 5432 && required.sslMode == .verifyFull)
    }

    @Test(arguments: [
        ("postgresql://alice:secret@db/reviews", "must not hold a password: put it in the environment variable PGPASSWORD"),
        ("mysql://alice@db/reviews", "must look like postgresql://"),
        ("postgresql://alice@db:5432/", "names no database"),
        ("postgresql://alice@db/reviews?sslmode=sometimes", "sslmode must be one of disable, prefer, require, verify-full"),
        ("postgresql://alice@db/reviews?connect_timeout=3", "has an option annotty does not know: connect_timeout"),
    ])
    func aURLAnnottyCannotUseSaysWhatToWrite(url: String, says: String) {
        do {
            _ = try PostgresLocation(url: url, passwordEnv: "PGPASSWORD")
            Issue.record("\(url) was taken")
        } catch {
            #expect("\(error)".contains(says), "\(error)")
            #expect(!"\(error)".contains("secret"), "the password is never repeated")
        }
    }

    @Test func theStoreSectionIsReadAndCheckedWithItsLine() throws {
        let labels = "[[labels]]\nname = \"a\"\n[[labels]]\nname = \"b\"\n"
        let config = try ProjectConfig.parse(labels + "[store]\nurl = \"postgresql://a@h/d\"\npassword_env = \"TEAM_DB\"\n",
                                             fileName: "annotty.toml")
        #expect(config.store == StoreSettings(url: "postgresql://a@h/d", passwordEnv: "TEAM_DB") && config.store.isPostgres)
        #expect(try ProjectConfig.parse(labels, fileName: "annotty.toml").store.isPostgres == false)
        #expect(throws: InputError.self) {
            try ProjectConfig.parse(labels + "[store]\nurl = \"sqlite:///x\"\n", fileName: "annotty.toml")
        }
    }

    @Test func aServerThatIsNotThereIsSaidAsSuchWithTheNextStep() throws {
        // A port nothing listens on: the store cannot open, and says where and what to check.
        let location = try PostgresLocation(url: "postgresql://nobody@127.0.0.1:9/none?sslmode=disable", passwordEnv: "PGPASSWORD")
        do {
            _ = try PostgresStore(location: location)
            Issue.record("a store opened on a closed port")
        } catch let error as PostgresStoreError {
            #expect(error.isTransient)
            #expect(error.description.contains("cannot reach PostgreSQL at postgresql://nobody@127.0.0.1:9/none"), "\(error)")
            #expect(error.description.contains("is the server running"), "\(error)")
        }
    }
}
