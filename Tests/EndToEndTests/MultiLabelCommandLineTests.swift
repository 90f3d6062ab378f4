import AnnottyCore
import Foundation
import Testing

/// A multi-label project through the built binary: `init --task multi`, `import`,
/// `import-annotations` (two people's sets), `stats --agreement`, `aggregate`, `export` in every
/// multi-label format, and one export imported into a second project to the same sets.
@Suite(.enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"))
struct MultiLabelCommandLineTests {
    static let labels = ["anger", "joy", "surprise"]
    /// Item id, text, and the two people's sets.
    static let items: [(id: String, text: String, alice: [String], bob: [String])] = [
        ("e1", "What a day, \"really\"!", ["joy", "surprise"], ["joy", "surprise"]),
        ("e2", "I can't believe it, again", ["anger", "surprise"], ["anger"]),
        ("e3", "Fine.", [], []),
        ("e4", "So glad you came", ["joy"], ["joy"]),
    ]

    final class Project {
        let folder: URL
        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("annotty-multi-e2e-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: folder) }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        func write(_ name: String, _ lines: [[String: Any]]) throws -> String {
            let text = try lines.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
            try (text.joined(separator: "\n") + "\n").write(toFile: path(name), atomically: true, encoding: .utf8)
            return path(name)
        }
    }

    func annotty(_ arguments: [String]) throws -> String {
        let (status, output) = try CommandLineSurfaceTests.run(arguments)
        #expect(status == 0, "annotty \(arguments.joined(separator: " ")): \(output)")
        return output
    }

    func makeProject(_ scratch: Project, name: String) throws -> String {
        let folder = scratch.path(name)
        _ = try annotty(["init", folder, "--task", "multi", "--labels", Self.labels.joined(separator: ","), "--provider", "none"])
        let itemsFile = try scratch.write("items.jsonl", Self.items.map { ["id": $0.id, "text": $0.text] })
        _ = try annotty(["import", itemsFile, "-p", folder])
        return folder
    }

    @Test func setsGoInAgreeAggregateAndComeBackOutInEveryFormat() throws {
        let scratch = try Project()
        let folder = try makeProject(scratch, name: "emotions")
        let sets = try scratch.write("sets.jsonl", Self.items.flatMap { item in
            [["id": item.id, "text": item.text, "labels": item.alice, "annotator": "alice"],
             ["id": item.id, "text": item.text, "labels": item.bob, "annotator": "bob"]]
        })
        let imported = try annotty(["import-annotations", sets, "-p", folder])
        #expect(imported.contains("imported 8 label sets"))

        let store = try SQLiteStore(path: URL(fileURLWithPath: folder).appendingPathComponent("annotty.sqlite").path, access: .readOnly)
        let decisions = try store.allDecisions()
        #expect(decisions.count == 8 && decisions.allSatisfy { $0.kind == .imported })
        #expect(decisions.filter { $0.annotator == "alice" }.map(\.label) == [#"["joy","surprise"]"#, #"["anger","surprise"]"#, "[]", #"["joy"]"#])

        // Per-label kappa by hand: anger [0,1,0,0] both → 1; joy [1,0,0,1] both → 1;
        // surprise alice [1,1,0,0], bob [1,0,0,0]: p_o 3/4, p_e 1/2·1/4 + 1/2·3/4 = 1/2 → κ 1/2.
        let stats = try annotty(["stats", "--agreement", "-p", folder])
        #expect(stats.contains("Krippendorff's alpha, MASI distance"))
        #expect(stats.contains("alice and bob: 4 shared items, the same set on 0.750"))
        #expect(stats.contains("  surprise   0.500\n"))
        #expect(stats.contains("  anger      1.000\n"))

        let aggregate = try annotty(["aggregate", "--method", "majority", "--tie-rule", "highest", "-p", folder])
        #expect(aggregate.contains("4 items aggregated into sets"))
        #expect(aggregate.contains("tied votes on a label: 1"))

        // Every format, with the aggregated sets (ties put in): e2 → {anger, surprise}.
        let expected: [String: Set<String>] = ["e1": ["joy", "surprise"], "e2": ["anger", "surprise"], "e3": [], "e4": ["joy"]]
        for format in MultiLabelFormat.allCases {
            let out = scratch.path("export-\(format.rawValue)." + (format == .labelStudio ? "json" : format.rawValue == "csv" ? "csv" : "jsonl"))
            var arguments = ["export", "--format", format.rawValue, "--label-from", "aggregate-majority", "-o", out, "-p", folder]
            if format == .csv { arguments += ["--separator", ";"] }
            let report = try annotty(arguments)
            #expect(report.contains("wrote 4 items"), "\(format): \(report)")
            let text = try String(contentsOfFile: out, encoding: .utf8)
            let back: [MultiLabelRecord]
            switch format {
            case .jsonl: back = try MultiLabelJSONL.read(text, file: out)
            case .csv:
                #expect(text.contains("anger;surprise"))
                back = try MultiLabelCSV.read(text, file: out, separator: ";")
            case .labelStudio: back = try MultiLabelLabelStudio.read(text, file: out)
            case .huggingFace:
                let features = try String(contentsOfFile: Exporter.huggingFaceFeaturesPath(besides: out), encoding: .utf8)
                back = try MultiLabelHuggingFace.readRows(text, file: out,
                                                          labelNames: try MultiLabelHuggingFace.readLabelNames(features, file: "features"))
            }
            #expect(Dictionary(uniqueKeysWithValues: back.map { ($0.id, $0.labelSet) }) == expected, "\(format)")
        }
        let config = try annotty(["export", "--format", "labelstudio", "--config", "-p", folder])
        #expect(config.contains("choice=\"multiple\"") && config.contains("<Choice value=\"surprise\"/>"))

        // The csv export into a second project gives the same sets, recorded as the exporter's.
        let copy = try makeProject(scratch, name: "copy")
        let again = try annotty(["import-annotations", scratch.path("export-csv.csv"), "--separator", ";", "--annotator", "lead", "-p", copy])
        #expect(again.contains("imported 4 label sets"))
        let copyStore = try SQLiteStore(path: URL(fileURLWithPath: copy).appendingPathComponent("annotty.sqlite").path, access: .readOnly)
        let copied = try copyStore.allDecisions()
        #expect(copied.allSatisfy { $0.annotator == "lead" && $0.kind == .imported })
        #expect(copied.map(\.label) == [#"["joy","surprise"]"#, #"["anger","surprise"]"#, "[]", #"["joy"]"#])
    }

    @Test func whatAMultiLabelProjectCannotDoIsSaidPlainly() throws {
        let scratch = try Project()
        let folder = try makeProject(scratch, name: "emotions")
        let (prodigyStatus, prodigy) = try CommandLineSurfaceTests.run(["export", "--format", "prodigy", "-p", folder])
        #expect(prodigyStatus != 0 && prodigy.contains("a multi-label project exports as jsonl, csv, labelstudio, hf"))
        let bad = try scratch.write("bad.jsonl", [["id": "e1", "text": "x", "labels": ["joy"]], ["id": "e2", "text": "y", "labels": ["fear"]]])
        let (badStatus, badOutput) = try CommandLineSurfaceTests.run(["import-annotations", bad, "-p", folder])
        #expect(badStatus != 0 && badOutput.contains("bad.jsonl:2") && badOutput.contains("label \"fear\" is not one of the task's labels"))
        let (columnStatus, column) = try CommandLineSurfaceTests.run(["import-annotations", bad, "--label-column", "labels", "-p", folder])
        #expect(columnStatus != 0 && column.contains("--label-column is for single-label files"))
        let single = scratch.path("single")
        _ = try annotty(["init", single, "--labels", "yes,no", "--provider", "none"])
        let (separatorStatus, separatorOutput) = try CommandLineSurfaceTests.run(["export", "--format", "csv", "--separator", ";", "-p", single])
        #expect(separatorStatus != 0 && separatorOutput.contains("--separator joins the labels of a set"))
        let (calibrationStatus, calibration) = try CommandLineSurfaceTests.run(["stats", "--calibration", "-p", folder])
        #expect(calibrationStatus != 0 && calibration.contains("single-label only so far"))
    }

    /// 80 items whose words give their labels away: the learner on the whole pool must find them,
    /// and both selectors' curves are printed at 10, 20 and 30 labelled items.
    @Test func simulateRunsOnAMultiLabelJSONLFile() throws {
        let scratch = try Project()
        let words = ["anger": "furious", "joy": "delighted", "surprise": "astonished"]
        var generator = SeededGenerator(seed: 3)
        let rows: [[String: Any]] = (0..<80).map { index in
            let set = Self.labels.filter { _ in Bool.random(using: &generator) }
            let text = (["item \(index)", "today"] + set.map { words[$0]! }).joined(separator: " ")
            return ["id": "s\(index)", "text": text, "labels": set]
        }
        let file = try scratch.write("pool.jsonl", rows)
        let output = try annotty(["simulate", "--task", "multi", "--train", file, "--test-fraction", "0.25", "--seeds", "2",
                                  "--seed-size", "10", "--rounds", "2", "--batch", "10", "--jobs", "1"])
        #expect(output.contains("pool 60 (") && output.contains("test 20 · labels anger joy surprise"))
        let fullLine = try #require(output.split(separator: "\n").first { $0.hasPrefix("learner on the whole pool: micro F1 ") })
        let micro = try #require(Double(fullLine.dropFirst("learner on the whole pool: micro F1 ".count).prefix(5)))
        #expect(micro > 0.8, "\(output)")
        #expect(output.contains("| random | ") && output.contains("| max-entropy | "))
        #expect(output.contains("| micro F1 at | 10 | 20 | 30 |"))
        let (status, refused) = try CommandLineSurfaceTests.run(["simulate", "--task", "multi", "--train", file, "--strategies", "hybrid"])
        #expect(status != 0 && refused.contains("unknown multi-label strategy \"hybrid\""))
    }
}
