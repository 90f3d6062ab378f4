import Foundation

extension BudgetPlan {
    /// What `annotty plan` prints for a person.
    public func render(projectName: String) -> String {
        func money(_ value: Double) -> String { "$" + DecimalFormat.fixed(value, places: 2) }
        func price(_ value: Double) -> String {
            "$" + (value >= 0.01 || value == 0 ? DecimalFormat.fixed(value, places: 2) : DecimalFormat.fixed(value, places: 4))
        }
        func percent(_ value: Double) -> String { DecimalFormat.percent(value) }
        func row(_ caption: String, _ text: String) -> String {
            caption.padding(toLength: 24, withPad: " ", startingAt: 0) + text + "\n"
        }
        let f = forecast
        let audited = audits > 0 ? ", \(audits) of them audits" : ""
        let cascade = cascadeModel.map { " then \(TerminalSafeText.singleLine($0, limit: 60)) (cascade)" } ?? ""
        var out = "plan for \(TerminalSafeText.singleLine(projectName, limit: 60)): model \(TerminalSafeText.singleLine(model, limit: 60))\(cascade), "
            + "calibration \(calibratorKind), \(verifiedOutcomes) verified outcome\(verifiedOutcomes == 1 ? "" : "s")\(audited)\n"
        out += row("open items", "\(openItems)")
        if unprelabelledOpen > 0 {
            let like = prelabelledOpen > 0 ? "the \(prelabelledOpen) that have one" : "the verified outcomes"
            out += row("", "\(unprelabelledOpen) without a pre-label yet: forecast like \(like)")
        }
        if awaitingEscalationOpen > 0, let cascadeModel {
            out += row("", "\(awaitingEscalationOpen) awaiting \(TerminalSafeText.singleLine(cascadeModel, limit: 60)) (under escalate_below): "
                       + "forecast like its pre-labels")
        }
        if unusableOpen > 0 { out += row("", "\(unusableOpen) with an unusable pre-label: to people") }
        out += row("to people", "\(f.toPeople)")
        out += row("auto-accepted", "\(f.autoAccepted)")
        out += row("threshold", f.threshold.map { "≥" + AutoAcceptThresholdSearch.number($0) } ?? "none: people label every open item")
        out += row("why", TerminalSafeText.singleLine(f.reason, limit: 400))
        let toMake = unprelabelledOpen + awaitingEscalationOpen
        let modelLine = "\(money(f.modelCost)) (\(toMake) pre-label\(toMake == 1 ? "" : "s") still to make at "
            + "\(price(prices.modelPerItem)); \(prices.modelPriceSource))"
        out += row("cost: model", modelLine)
        if let human = prices.humanPerItem {
            out += row("cost: people", "\(money(f.humanCost)) (\(f.toPeople) labels at \(price(human)))")
            out += row("cost: total", money(f.totalCost))
        } else {
            out += row("cost: people", "not priced: set human_per_item under [costs] in annotty.toml or pass --human-cost")
            out += row("cost: total", "\(money(f.modelCost)) and people's labels")
        }
        if let budget {
            let left = budget - f.totalCost
            out += row("budget", money(budget) + (left >= -0.005 ? ": within it, \(money(max(0, left))) left" : ": over it by \(money(-left))"))
        }
        let interval = f.accuracyInterval
        out += row("expected accuracy", "\(percent(f.expectedAccuracy)) of the open items' final labels "
                   + "(95% interval \(percent(interval.lowerBound))–\(percent(interval.upperBound)))")
        out += row("target error " + AutoAcceptThresholdSearch.percent(targetError), targetVerdict)
        // With nothing open there is nothing for the loop to go on with.
        guard openItems > 0 else { return out }
        let loop = asTheLoopGoesOn
        out += row("as the loop goes on", "\(loop.toPeople) to people (\(loop.toPeopleInterval.lowerBound)–\(loop.toPeopleInterval.upperBound)), "
                   + "\(loop.autoAccepted) auto-accepted (\(loop.autoAcceptedInterval.lowerBound)–\(loop.autoAcceptedInterval.upperBound))")
        out += row("", "accuracy \(percent(loop.expectedAccuracy)) (95% of runs \(percent(loop.accuracyInterval.lowerBound))–"
                   + "\(percent(loop.accuracyInterval.upperBound)))")
        out += row("", "(\(loop.runs) simulated runs in which the threshold falls")
        out += row("", " as decisions add outcomes; the figures above keep")
        out += row("", " today's threshold)")
        if let growth = learnerGrowth {
            func confidence(_ value: Double) -> String { DecimalFormat.fixed(value, places: 2) }
            out += row("", "with the open items' confidences going on as they")
            out += row("", " went from \(growth.labelsBefore) to \(growth.labelsNow) labels (median "
                       + "\(confidence(growth.medianBefore)) → \(confidence(growth.medianNow)))")
        }
        if let jitter {
            out += row("", "and each pass scoring every item afresh, ±\(DecimalFormat.fixed(jitter.logOddsPerLook, places: 2))")
            out += row("", " in log-odds, as people's latest \(jitter.decisions) decisions moved")
        }
        return out
    }

    /// Whether the auto-accepted items' error stays under the target, in words.
    var targetVerdict: String {
        if forecast.meetsTargetError {
            return forecast.threshold == nil
                ? "met: nothing is auto-accepted until the outcomes bound the error under it"
                : "met: the auto-accepted items' error stays under it at its 95% upper bound"
        }
        if let budget, forecast.modelCost > budget {
            return "not met: the budget does not cover the pre-labels still to make"
        }
        return "not met: the budget forces auto-accepting below the target's threshold"
    }

    /// What `annotty plan --json` prints: one object, keys in a stable order.
    public func json(projectName: String) -> String {
        func number(_ value: Double?) -> String {
            guard let value, value.isFinite else { return "null" }
            return "\(value)"
        }
        /// Dollars to a millionth, so sums print as written (4.1, not 4.1000000000000005).
        func dollars(_ value: Double?) -> String { number(value.map { ($0 * 1e6).rounded() / 1e6 }) }
        let f = forecast
        let loop = asTheLoopGoesOn
        let fields: [(String, String)] = [
            ("project", JSONText.quote(projectName)),
            ("model", JSONText.quote(model)),
            ("cascade_model", cascadeModel.map(JSONText.quote) ?? "null"),
            ("calibration", JSONText.quote(calibratorKind)),
            ("verified_outcomes", "\(verifiedOutcomes)"),
            ("audits", "\(audits)"),
            ("open_items", "\(openItems)"),
            ("prelabelled_open", "\(prelabelledOpen)"),
            ("unprelabelled_open", "\(unprelabelledOpen)"),
            ("awaiting_escalation_open", "\(awaitingEscalationOpen)"),
            ("unusable_open", "\(unusableOpen)"),
            ("to_people", "\(f.toPeople)"),
            ("auto_accepted", "\(f.autoAccepted)"),
            ("threshold", number(f.threshold)),
            ("reason", JSONText.quote(f.reason)),
            ("target_error", number(targetError)),
            ("meets_target_error", f.meetsTargetError ? "true" : "false"),
            ("budget", dollars(budget)),
            ("human_per_item", number(prices.humanPerItem)),
            ("model_per_item", number(prices.modelPerItem)),
            ("model_price_source", JSONText.quote(prices.modelPriceSource)),
            ("model_cost", dollars(f.modelCost)),
            ("people_cost", prices.humanPerItem == nil ? "null" : dollars(f.humanCost)),
            ("total_cost", prices.humanPerItem == nil ? "null" : dollars(f.totalCost)),
            ("expected_accuracy", number(f.expectedAccuracy)),
            ("accuracy_interval", "[\(number(f.accuracyInterval.lowerBound)), \(number(f.accuracyInterval.upperBound))]"),
            ("loop_runs", "\(loop.runs)"),
            ("loop_growth_labels", learnerGrowth.map { "[\($0.labelsBefore), \($0.labelsNow)]" } ?? "null"),
            ("loop_growth_median_confidence", learnerGrowth.map { "[\(number($0.medianBefore)), \(number($0.medianNow))]" } ?? "null"),
            ("loop_jitter_log_odds", number(jitter?.logOddsPerLook)),
            ("loop_to_people", "\(loop.toPeople)"),
            ("loop_to_people_interval", "[\(loop.toPeopleInterval.lowerBound), \(loop.toPeopleInterval.upperBound)]"),
            ("loop_auto_accepted", "\(loop.autoAccepted)"),
            ("loop_auto_accepted_interval", "[\(loop.autoAcceptedInterval.lowerBound), \(loop.autoAcceptedInterval.upperBound)]"),
            ("loop_expected_accuracy", number(loop.expectedAccuracy)),
            ("loop_accuracy_interval", "[\(number(loop.accuracyInterval.lowerBound)), \(number(loop.accuracyInterval.upperBound))]"),
        ]
        return "{\n" + fields.map { "  \(JSONText.quote($0.0)): \($0.1)" }.joined(separator: ",\n") + "\n}"
    }
}
