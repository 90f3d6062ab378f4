import AnnottyCore
import AnnottyTestSupport
import Foundation
import Testing

/// The whole path a user takes: import RTE's items, import its 8,000 crowd labels with
/// `import-annotations`, then agreement and aggregation from the store, against the reference
/// figures in ../shared/datasets/README.md.
@Suite(.enabled(if: SharedDatasets.available, "\(SharedDatasets.missingMessage)"))
struct RTETeamTests {
    static let labels = LabelSet(names: ["not_entailment", "entailment"])
    let dir: TemporaryDirectory
    let store: SQLiteStore

    init() throws {
        dir = try TemporaryDirectory()
        store = try SQLiteStore(path: dir.path("rte.sqlite"), overlapPolicy: OverlapPolicy(overlap: 10, maxOverlap: 10))
        _ = try Importer(store: store).importFile(at: SharedDatasets.url("rte/rte1.tsv").path,
                                                  options: ImportOptions(format: .tsv, displayFields: ["hypothesis"]))
        let result = try AnnotationsImporter(store: store, labels: Self.labels, labelMap: ["0": "not_entailment", "1": "entailment"])
            .importFile(at: SharedDatasets.url("rte/rte.standardized.tsv").path, format: .tsv,
                        columns: .init(item: "orig_id", annotator: "!amt_worker_ids", label: "response", gold: "gold"))
        #expect(result.recorded == 8000)
    }

    @Test func agreementMatchesStatsmodelsAndKrippendorff() throws {
        let report = try AgreementReport(store: store, labels: Self.labels)
        #expect(report.itemCount == 800 && report.annotatorCount == 164 && report.labelCount == 8000)
        #expect(report.fleissItems == 800 && report.fleissRaters == 10)
        #expect(abs(try #require(report.fleissKappa) - 0.241384) < 1e-6)
        #expect(abs(try #require(report.krippendorff[.nominal]) - 0.241479) < 1e-6)
        #expect(report.render().contains("Fleiss' kappa          0.241384   (800 items with 10 raters each)"))
    }

    @Test func dawidSkeneMatchesCrowdKit() throws {
        let outcome = try AggregationRun(store: store, labels: Self.labels).run(method: .dawidSkene)
        #expect(outcome.scoredItems == 800)
        #expect(abs(try #require(outcome.accuracy) - 0.9275) < 5e-5)
        let priors = try #require(outcome.priors)
        #expect(abs(priors[0] - 0.5177) < 5e-5 && abs(priors[1] - 0.4823) < 5e-5)
        #expect(outcome.iterations == 9)
        #expect(abs(try #require(outcome.kappa) - 0.855) < 5e-4)
        // Saved, so the export carries it.
        #expect(try store.aggregates(method: "dawid-skene").count == 800)
    }

    @Test func majorityVoteUnderEachTieRule() throws {
        let run = AggregationRun(store: store, labels: Self.labels)
        let tiesToZero = try run.run(method: .majority, tieRule: .lowestClass, save: false)
        let tiesToOne = try run.run(method: .majority, tieRule: .highestClass, save: false)
        #expect(tiesToZero.tiedItems == 65)
        #expect(abs(try #require(tiesToZero.accuracy) - 0.9188) < 5e-5)
        #expect(abs(try #require(tiesToOne.accuracy) - 0.8750) < 5e-5)
        #expect(abs(try #require(tiesToOne.kappa) - 0.750) < 5e-4)
        let team = try TeamLabels(store: store, labels: Self.labels)
        let vote = try MajorityVote(team.crowd.labels, itemCount: team.crowd.itemCount, classCount: 2)
        let halfCredit = try vote.splitCreditAccuracy(against: team.goldIndices(try store.goldLabels()))
        #expect(abs(halfCredit - 0.8969) < 5e-5)
    }

    @Test func exportCarriesTheAggregatedLabelAndPosteriors() throws {
        _ = try AggregationRun(store: store, labels: Self.labels).run(method: .dawidSkene)
        let output = try BufferedOutput(path: dir.path("out.jsonl"))
        try Exporter(store: store, labels: Self.labels).export(format: .jsonl, to: output)
        try output.close()
        let first = try String(contentsOfFile: dir.path("out.jsonl"), encoding: .utf8).split(separator: "\n")[0]
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        let annotty = try #require(object["annotty"] as? [String: Any])
        let aggregate = try #require((annotty["aggregates"] as? [String: Any])?["dawid-skene"] as? [String: Any])
        #expect(aggregate["label"] is String)
        let posteriors = try #require(aggregate["posteriors"] as? [String: Double])
        #expect(abs(posteriors.values.reduce(0, +) - 1) < 1e-9)
        #expect((annotty["annotators"] as? [String])?.count == 10)
    }
}
