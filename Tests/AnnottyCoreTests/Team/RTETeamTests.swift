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

    /// The final label of every export follows the stored aggregate: on RTE the hf export's labels
    /// score what Dawid-Skene scores against gold, not the plurality's 0.9188, and say so per row.
    @Test func huggingFaceExportCarriesTheDawidSkeneLabel() throws {
        let outcome = try AggregationRun(store: store, labels: Self.labels).run(method: .dawidSkene)
        let gold = try store.goldLabels()
        func exportedAccuracy(_ rule: FinalLabelRule) throws -> (accuracy: Double, from: Set<String>) {
            let path = dir.path("hf-\(rule.rawValue).jsonl")
            let output = try BufferedOutput(path: path)
            try Exporter(store: store, labels: Self.labels, labelRule: rule).export(format: .huggingFace, to: output)
            try output.close()
            var right = 0, total = 0
            var from: Set<String> = []
            for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let externalId = try #require(object["id"] as? String)
                let itemId = try #require(try store.itemId(externalId: externalId))
                total += 1
                if object["label"] as? String == gold[itemId] { right += 1 }
                let labelFrom = try #require(object["label_from"] as? String)
                from.insert(labelFrom)
            }
            #expect(total == 800)
            return (Double(right) / Double(total), from)
        }
        let automatic = try exportedAccuracy(.auto)
        #expect(abs(automatic.accuracy - (try #require(outcome.accuracy))) < 1e-12)
        #expect(abs(automatic.accuracy - 0.9275) < 5e-5)
        #expect(automatic.from == ["aggregate-dawid-skene"])
        // The queue's own label (ties to the first label recorded) scores lower: 722 of 800.
        let plurality = try exportedAccuracy(.plurality)
        let finals = try store.finalLabels()
        let pluralityRight = gold.filter { finals[$0.key]?.label == $0.value }.count
        #expect(abs(plurality.accuracy - Double(pluralityRight) / 800) < 1e-12)
        #expect(plurality.accuracy < automatic.accuracy - 0.01)
        #expect(plurality.from == ["plurality"])
        // `stats` estimates the accuracy of what export writes.
        let statistics = try ProjectStatistics(store: store)
        #expect(abs(try #require(statistics.estimatedDatasetAccuracy) - automatic.accuracy) < 1e-12)
    }

    /// Gold imported with `--gold-column` scores every worker in `stats`.
    @Test func goldFromTheLabelsFileScoresEveryWorker() throws {
        let statistics = try ProjectStatistics(store: store)
        #expect(statistics.annotators.count == 164)
        #expect(statistics.annotators.allSatisfy { $0.goldenAnswered == $0.labels && $0.goldenAccuracy != nil })
        #expect(statistics.annotators.reduce(0) { $0 + $1.goldenAnswered } == 8000)
        // The estimate is the final labels' agreement with gold, counted here independently.
        let gold = try store.goldLabels()
        let finals = try store.finalLabels()
        let right = gold.filter { finals[$0.key]?.label == $0.value }.count
        #expect(statistics.datasetAccuracy.basis.contains("\(right) of 800"))
        #expect(abs(try #require(statistics.estimatedDatasetAccuracy) - Double(right) / 800) < 1e-12)
    }
}
