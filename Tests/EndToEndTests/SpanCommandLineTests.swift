import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// A spans project through the built binary: `init --task spans`, `import` of a CoNLL file (IOB1,
/// CRLF, -DOCSTART-) and of two people's Label Studio span sets, `stats --agreement`, `aggregate`,
/// and `export` in every span format, checked against the figures worked out by hand.
@Suite(.enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"))
struct SpanCommandLineTests {
    final class Scratch {
        let folder: URL
        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("annotty-spans-e2e-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: folder) }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        func write(_ name: String, _ text: String) throws -> String {
            try text.write(toFile: path(name), atomically: true, encoding: .utf8)
            return path(name)
        }
    }

    static let conll = [
        "-DOCSTART- -X- O O", "",
        "Ada NNP I-NP I-PER", "met VBD I-VP O", "Babbage NNP I-NP I-PER", "in IN I-PP O", "London NNP I-NP I-LOC", "", "",
        "Nothing NN I-NP O", "here RB I-ADVP O", "",
    ].joined(separator: "\r\n")

    func annotty(_ arguments: [String]) throws -> String {
        let (status, output) = try CommandLineSurfaceTests.run(arguments)
        #expect(status == 0, "annotty \(arguments.joined(separator: " ")): \(output)")
        return output
    }

    func makeProject(_ scratch: Scratch) throws -> String {
        let folder = scratch.path("ner")
        _ = try annotty(["init", folder, "--task", "spans", "--labels", "PER,ORG,LOC,MISC", "--provider", "none"])
        return folder
    }

    @Test func aCoNLLFileGoesInAndComesBackOutInEveryFormat() throws {
        let scratch = try Scratch()
        let folder = try makeProject(scratch)
        let file = try scratch.write("news.testb", Self.conll)
        let imported = try annotty(["import", file, "-p", folder, "--annotator", "conll"])
        #expect(imported.contains("imported 2 items"))
        #expect(imported.contains("2 span sets recorded as decisions of annotator conll (3 spans in the file)"))

        let store = try SQLiteStore(path: URL(fileURLWithPath: folder).appendingPathComponent("annotty.sqlite").path, access: .readOnly)
        let decisions = try store.allDecisions()
        #expect(decisions.map(\.kind) == [.imported, .imported])
        #expect(decisions.map(\.label) == ["spans:0-3:PER,8-15:PER,19-25:LOC", "spans:"])

        let conllOut = scratch.path("out.conll")
        _ = try annotty(["export", "--format", "conll", "-o", conllOut, "-p", folder])
        #expect(try String(contentsOfFile: conllOut, encoding: .utf8) == """
            -DOCSTART- -X- -X- O

            Ada B-PER
            met O
            Babbage B-PER
            in O
            London B-LOC

            Nothing O
            here O


            """)
        let iob1 = scratch.path("out1.conll")
        _ = try annotty(["export", "--format", "conll", "--scheme", "iob1", "-o", iob1, "-p", folder])
        #expect(try String(contentsOfFile: iob1, encoding: .utf8).contains("Ada I-PER\nmet O\nBabbage I-PER"))

        let lsOut = scratch.path("out.json")
        _ = try annotty(["export", "--format", "labelstudio", "-o", lsOut, "-p", folder])
        #expect(try LabelStudioSpanReader().read(path: lsOut).map(\.spanKeys) == (try CoNLLReader().read(path: file)).map(\.spanKeys))

        let spacyOut = scratch.path("out.jsonl")
        _ = try annotty(["export", "--format", "spacy", "-o", spacyOut, "-p", folder])
        #expect(try SpacySpanReader().read(path: spacyOut).map(\.spanKeys) == (try CoNLLReader().read(path: file)).map(\.spanKeys))

        let hfOut = scratch.path("hf.jsonl")
        _ = try annotty(["export", "--format", "hf", "-o", hfOut, "-p", folder])
        let features = try String(contentsOfFile: scratch.path("hf.features.json"), encoding: .utf8)
        #expect(features.contains(#"["O","B-LOC","I-LOC","B-MISC","I-MISC","B-ORG","I-ORG","B-PER","I-PER"]"#))
        #expect(try String(contentsOfFile: hfOut, encoding: .utf8).contains(#""ner_tags":[7,0,7,0,1]"#))

        let config = try annotty(["export", "--format", "labelstudio", "--config", "-p", folder])
        #expect(config.contains("<Labels name=\"label\" toName=\"text\">"))
        #expect(config.contains("<Label value=\"MISC\"/>"))
    }

    /// Sentences to annotate from scratch: the items arrive open, with no decision.
    @Test func textOnlyImportsTheSentencesWithoutTheirSpans() throws {
        let scratch = try Scratch()
        let folder = try makeProject(scratch)
        let file = try scratch.write("news.testb", Self.conll)
        let imported = try annotty(["import", file, "-p", folder, "--text-only"])
        #expect(imported == "imported 2 items from \(file) (conll); the file's spans left out (--text-only)\n")
        let store = try SQLiteStore(path: URL(fileURLWithPath: folder).appendingPathComponent("annotty.sqlite").path, access: .readOnly)
        #expect(try store.allDecisions().isEmpty)
        #expect(try store.openItemIds(limit: 10).count == 2)
        let (status, output) = try CommandLineSurfaceTests.run(["import", file, "-p", folder, "--text-only", "--as-gold"])
        #expect(status != 0)
        #expect(output.contains("give one of them"))
    }

    @Test func twoPeoplesSetsAgreeAndAggregateAndTheExportTakesTheAggregate() throws {
        let scratch = try Scratch()
        let folder = try makeProject(scratch)
        // alice marks Ada (PER) and London (LOC); bob marks Ada (PER) and London as ORG.
        func task(_ spans: [(Int, Int, String, String)]) -> String {
            let results = spans.map { #"{"type":"labels","value":{"start":\#($0.0),"end":\#($0.1),"text":"\#($0.3)","labels":["\#($0.2)"]}}"# }
            return #"[{"data":{"id":"s1","text":"Ada met Babbage in London"},"annotations":[{"result":[\#(results.joined(separator: ","))]}]}]"#
        }
        let alice = try scratch.write("alice.json", task([(0, 3, "PER", "Ada"), (19, 25, "LOC", "London")]))
        let bob = try scratch.write("bob.json", task([(0, 3, "PER", "Ada"), (19, 25, "ORG", "London")]))
        #expect(try annotty(["import", alice, "-p", folder, "--annotator", "alice"]).contains("1 span sets recorded as decisions of annotator alice"))
        let second = try annotty(["import", bob, "-p", folder, "--annotator", "bob"])
        #expect(second.contains("imported 0 items"))
        #expect(second.contains("1 already in the project"))
        #expect(second.contains("1 span sets recorded as decisions of annotator bob"))

        // F1: 1 of 2 spans match → P = R = F1 = 0.5. Tokens Ada met Babbage in London:
        // alice B-PER O O O B-LOC, bob B-PER O O O B-ORG: p_o 4/5; p_e = (1/5)² + (3/5)² = 0.4;
        // κ = (0.8 - 0.4) / 0.6 = 0.667.
        let stats = try annotty(["stats", "--agreement", "-p", folder])
        #expect(stats.contains("mean pairwise exact-match span F1: 0.500"))
        #expect(stats.contains("all pairs pooled): 0.667"))
        #expect(stats.contains("alice / bob"))

        let aggregate = try annotty(["aggregate", "-p", folder])
        #expect(aggregate.contains("span majority: 1 items aggregated"))
        #expect(aggregate.contains("spans kept: 1; left out: 2; marked by exactly half: 2"))
        let out = scratch.path("agg.jsonl")
        _ = try annotty(["export", "--format", "jsonl", "-o", out, "-p", folder])
        #expect(try SpacySpanReader().read(path: out).map(\.spanKeys) == [[SpanKey(start: 0, end: 3, type: "PER")]])

        _ = try annotty(["aggregate", "--tie-rule", "highest", "-p", folder])
        _ = try annotty(["export", "--format", "jsonl", "-o", out, "-p", folder])
        #expect(try SpacySpanReader().read(path: out)[0].spanKeys.map(\.text) == ["0-3:PER", "19-25:LOC", "19-25:ORG"])
    }

    @Test func refusalsNameTheCauseAndTheWayOut() throws {
        let scratch = try Scratch()
        let folder = try makeProject(scratch)
        let file = try scratch.write("bad.conll", "Ada B-PER\n\nParis B-CITY\n")
        let (status, output) = try CommandLineSurfaceTests.run(["import", file, "-p", folder])
        #expect(status != 0)
        #expect(output.contains("bad.conll:3"))
        #expect(output.contains("\"CITY\""))
        let (aggregateStatus, aggregateOutput) = try CommandLineSurfaceTests.run(["aggregate", "--method", "dawid-skene", "-p", folder])
        #expect(aggregateStatus != 0)
        #expect(aggregateOutput.contains("span majority"))
        let text = try scratch.write("plain.txt", "Ada met Bob\n")
        let (textStatus, textOutput) = try CommandLineSurfaceTests.run(["import", text, "-p", folder, "--as-gold"])
        #expect(textStatus != 0)
        #expect(textOutput.contains("--as-gold, --text-only and --annotator are for span files"))
        let (exportStatus, exportOutput) = try CommandLineSurfaceTests.run(["export", "--format", "prodigy", "-p", folder])
        #expect(exportStatus != 0)
        #expect(exportOutput.contains("conll, labelstudio, spacy (jsonl) or hf"))
    }

    /// The Done-when round trips through the binary: CoNLL-2003 eng.testb imported, exported as
    /// CoNLL (IOB2 and IOB1), Label Studio and spaCy, each read back and scored against the original.
    @Test(.enabled(if: SharedDatasets.available, Comment(rawValue: SharedDatasets.missingMessage)))
    func conll2003TestbComesBackOutOfTheBinaryAtEntityF1One() throws {
        let scratch = try Scratch()
        let folder = try makeProject(scratch)
        let testb = SharedDatasets.url("conll2003/eng.testb").path
        let imported = try annotty(["import", testb, "-p", folder, "--annotator", "conll2003"])
        #expect(imported.contains("imported 3453 items"))
        #expect(imported.contains("3453 span sets recorded as decisions of annotator conll2003 (5648 spans in the file)"))
        let original = try CoNLLReader().read(path: testb)
        func f1(_ returned: [SpanItem]) throws -> Double {
            try EntityF1.score(gold: original.map(\.spanKeys), predicted: returned.map(\.spanKeys)).f1
        }
        for (format, name, extra) in [("conll", "out.conll", [String]()), ("conll", "out1.conll", ["--scheme", "iob1"]),
                                      ("labelstudio", "out.json", []), ("spacy", "out.jsonl", [])] {
            let path = scratch.path(name)
            let report = try annotty(["export", "--format", format, "-o", path, "-p", folder] + extra)
            #expect(report.contains("wrote 3453 items"))
            let returned: [SpanItem]
            switch format {
            case "conll": returned = try CoNLLReader().read(path: path)
            case "labelstudio": returned = try LabelStudioSpanReader().read(path: path)
            default: returned = try SpacySpanReader().read(path: path)
            }
            #expect(returned.map(\.text) == original.map(\.text), "\(name)")
            #expect(try f1(returned) == 1.0, "\(name)")
        }
    }
}
