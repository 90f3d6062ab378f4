// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "annotty",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "annotty", targets: ["annotty"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw", pkgConfig: "ncursesw",
                       providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "AnnottyCore", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // The PostgreSQL store (a team's database on another machine) and the one place that
        // opens a project's store, whichever it is.
        .target(name: "AnnottyPostgres", dependencies: [
            "AnnottyCore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "AnnottyLLM", dependencies: ["AnnottyCore", "CCurl"]),
        .target(name: "AnnottyTUI", dependencies: ["AnnottyCore", "CNcursesw"]),
        .target(name: "AnnottyLoop", dependencies: ["AnnottyCore", "AnnottyLLM", "AnnottyTUI"]),
        .executableTarget(name: "annotty", dependencies: [
            "AnnottyCore", "AnnottyLLM", "AnnottyTUI", "AnnottyLoop", "AnnottyPostgres",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "annotty-bench", dependencies: ["AnnottyCore", "AnnottyLLM", "AnnottyTUI", "AnnottyLoop",
                                                            "AnnottyPostgres"],
                          path: "Benchmarks"),
        // The fuzz harness (scripts/fuzz.sh builds it with libFuzzer); a plain build replays files.
        .executableTarget(name: "annotty-fuzz", dependencies: ["AnnottyCore", "AnnottyLLM"], path: "Fuzz"),
        .target(name: "AnnottyTestSupport", path: "Tests/Support"),
        .testTarget(name: "AnnottyCoreTests", dependencies: ["AnnottyCore", "AnnottyTestSupport"],
                    // Recorded model predictions, read by path (scripts/record-model-predictions.sh).
                    exclude: ["Fixtures"]),
        // The prefetcher (AnnottyLoop) is the LLM's client in the fault and secrecy tests.
        .testTarget(name: "AnnottyLLMTests", dependencies: ["AnnottyLLM", "AnnottyLoop", "AnnottyTestSupport"]),
        .testTarget(name: "AnnottyTUITests", dependencies: ["AnnottyTUI", "AnnottyTestSupport"]),
        .testTarget(name: "AnnottyLoopTests", dependencies: ["AnnottyLoop", "AnnottyTestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["AnnottyCore", "AnnottyPostgres", "AnnottyTestSupport"]),
        // The store suite, run against SQLite and PostgreSQL (a throwaway cluster, scripts/local-postgres.sh).
        .testTarget(name: "StoreTests", dependencies: ["AnnottyCore", "AnnottyPostgres", "AnnottyTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
