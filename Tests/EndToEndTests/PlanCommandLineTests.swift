import AnnottyCore
import Foundation
import Testing

/// `annotty plan` through the built binary: the printed plan, `--json`, prices from annotty.toml
/// and the flags, and its errors.
@Suite(.enabled(if: LabelTestProject.binaryAvailable, "\(LabelTestProject.binaryMissingMessage)"))
struct PlanCommandLineTests {
    /// 60 reviews; the model's pre-labels: 40 decided at 0.99, all right; open, 10 at 0.99 and 10 at 0.7.
    /// With a 10% target, 0 wrong of 40 bounds the error at 8.8% (Wilson, 95%): the threshold is 0.99.
    static func project(costs: String) throws -> LabelTestProject {
        let project = try LabelTestProject.texts((1...60).map { "Review number \($0), fine." })
        let configURL = project.folder.appendingPathComponent(ProjectConfig.fileName)
        var config = try String(contentsOf: configURL, encoding: .utf8)
        config = config.replacingOccurrences(of: "# auto_accept_target_error = 0.02", with: "auto_accept_target_error = 0.1")
        config = config.replacingOccurrences(of: "# human_per_item = 0.10", with: costs)
        try config.write(to: configURL, atomically: true, encoding: .utf8)
        let model = try Project.open(project.folder).config.llm.model
        let store = try project.store()
        for itemId in Int64(1)...60 {
            let confidence = itemId <= 50 ? 0.99 : 0.7
            try store.savePrediction(Prediction(itemId: itemId, model: model, label: "positive",
                                                probabilities: ["positive": confidence, "negative": 1 - confidence]))
            if itemId <= 40 { try store.recordDecision(Decision(itemId: itemId, annotator: "ann", kind: .accept, label: "positive")) }
        }
        return project
    }

    @Test func planWithABudgetPrintsPeopleAutoAcceptsCostsAccuracyAndTheTarget() throws {
        let project = try Self.project(costs: "human_per_item = 0.10")
        let (status, output) = try CommandLineSurfaceTests.run(["plan", "--budget", "5", "-p", project.folder.path])
        #expect(status == 0, "\(output)")
        #expect(output.contains("40 verified outcomes"))
        #expect(output.contains("open items              20\n"))
        #expect(output.contains("to people               10\n"))
        #expect(output.contains("auto-accepted           10\n"))
        #expect(output.contains("threshold               ≥0.99\n"))
        #expect(output.contains("why                     auto-accepting at ≥0.99: 40 verified outcomes at or above it, 0 wrong"))
        #expect(output.contains("cost: model             $0.00 (0 pre-labels still to make at $0.00;"))
        #expect(output.contains("cost: people            $1.00 (10 labels at $0.10)"))
        #expect(output.contains("cost: total             $1.00"))
        #expect(output.contains("budget                  $5.00: within it, $4.00 left"))
        #expect(output.contains("expected accuracy       "))
        #expect(output.contains("target error 10%        met"))
        // As the loop goes on, people decide the 0.7 items five at a time (rerank_every). When all
        // five come out right (0.7^5: about one run in six), 45 outcomes with none wrong bound the
        // error at 7.9% at ≥0.7, and the other five are auto-accepted; otherwise all ten go to people.
        #expect(output.contains("as the loop goes on     10 to people (5–10), 10 auto-accepted (10–15)\n"), "\(output)")

        // The flags override annotty.toml; --json is one object.
        let (jsonStatus, json) = try CommandLineSurfaceTests.run(["plan", "--budget", "5", "--human-cost", "0.2", "--model-cost", "0.01",
                                                                   "--json", "-p", project.folder.path])
        #expect(jsonStatus == 0, "\(json)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["human_per_item"] as? Double == 0.2 && object["model_per_item"] as? Double == 0.01)
        #expect(abs((object["people_cost"] as? Double ?? 0) - 2) < 1e-9)
        #expect(object["to_people"] as? Int == 10 && object["threshold"] as? Double == 0.99)
        #expect(object["loop_to_people"] as? Int == 10 && object["loop_to_people_interval"] as? [Int] == [5, 10])
        #expect(object["loop_runs"] as? Int == 200)
        // One label given so far: no learner, so no growth to carry on.
        #expect(object["loop_growth_labels"] is NSNull && !output.contains("confidences going on"))
        let interval = try #require(object["accuracy_interval"] as? [Double])
        let expected = try #require(object["expected_accuracy"] as? Double)
        #expect(interval.count == 2 && interval[0] <= expected && expected <= interval[1] && expected > 0.9)

        // Without --budget it plans for the target alone.
        let (plainStatus, plain) = try CommandLineSurfaceTests.run(["plan", "-p", project.folder.path])
        #expect(plainStatus == 0 && !plain.contains("budget ") && plain.contains("to people               10\n"))
    }

    @Test func planSaysWhatIsMissing() throws {
        let bare = try LabelTestProject.texts(["One review.", "Another review."])
        let (status, output) = try CommandLineSurfaceTests.run(["plan", "-p", bare.folder.path])
        #expect(status != 0)
        #expect(output.contains("yet: run `annotty prelabel` first, then plan"), "\(output)")

        let unpriced = try Self.project(costs: "")
        let (budgetStatus, budgetOutput) = try CommandLineSurfaceTests.run(["plan", "--budget", "5", "-p", unpriced.folder.path])
        #expect(budgetStatus != 0)
        #expect(budgetOutput.contains("set human_per_item under [costs] in annotty.toml or pass --human-cost"), "\(budgetOutput)")

        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-project-\(UUID().uuidString)")
        let (missingStatus, missingOutput) = try CommandLineSurfaceTests.run(["plan", "-p", missing.path])
        #expect(missingStatus != 0 && missingOutput.contains("no annotty project in"))
    }
}
