import AnnottyCore
import Testing

@Suite("Multi-label formats")
struct MultiLabelFormatTests {
    let labelNames = ["anger", "joy", "big surprise", "neutral, mostly"]
    /// Texts with the characters each format must escape; sets empty, single, several, all.
    let records = [
        MultiLabelRecord(id: "a1", text: "plain", labels: ["joy"]),
        MultiLabelRecord(id: "a2", text: "commas, \"quotes\" and\na line break", labels: ["anger", "big surprise"]),
        MultiLabelRecord(id: "a3", text: "none of them", labels: []),
        MultiLabelRecord(id: "a 4", text: "émoji 😩 and tab\there", labels: ["neutral, mostly", "joy", "anger", "big surprise"]),
        MultiLabelRecord(id: "5", text: "  spaces kept  ", labels: ["neutral, mostly"]),
    ]

    func expectSameSets(_ back: [MultiLabelRecord]) {
        #expect(back.count == records.count)
        for (original, read) in zip(records, back) {
            #expect(read.id == original.id)
            #expect(read.text == original.text)
            #expect(read.labelSet == original.labelSet)
        }
    }

    @Test("JSONL lists round-trip to the same sets")
    func jsonlRoundTrip() throws {
        let text = MultiLabelJSONL.write(records)
        expectSameSets(try MultiLabelJSONL.read(text, file: "out.jsonl", labelNames: labelNames))
    }

    @Test("CSV with the labels joined in one cell round-trips, with the default and a chosen separator")
    func csvRoundTrip() throws {
        let piped = try MultiLabelCSV.write(records)
        #expect(piped.contains("anger|big surprise"))
        expectSameSets(try MultiLabelCSV.read(piped, file: "out.csv", labelNames: labelNames))
        let semicolons = try MultiLabelCSV.write(records, separator: ";")
        expectSameSets(try MultiLabelCSV.read(semicolons, file: "out.csv", separator: ";"))
        #expect(throws: MultiLabelWriteError.self) { try MultiLabelCSV.write(records, separator: ",") }
    }

    @Test("Label Studio choices with several values round-trip, and the config asks for multiple choice")
    func labelStudioRoundTrip() throws {
        let text = MultiLabelLabelStudio.write(records)
        expectSameSets(try MultiLabelLabelStudio.read(text, file: "out.json", labelNames: labelNames))
        let config = MultiLabelLabelStudio.labelingConfig(labelNames: labelNames)
        #expect(config.contains("choice=\"multiple\""))
        #expect(config.contains("<Choice value=\"neutral, mostly\"/>"))
    }

    @Test("Hugging Face multi-hot rows and their features file round-trip")
    func huggingFaceRoundTrip() throws {
        let features = MultiLabelHuggingFace.writeFeatures(labelNames: labelNames)
        let rows = try MultiLabelHuggingFace.writeRows(records, labelNames: labelNames)
        #expect(rows.split(separator: "\n")[1].hasSuffix("\"labels\":[1,0,1,0]}"))
        let names = try MultiLabelHuggingFace.readLabelNames(features, file: "features.json")
        #expect(names == labelNames)
        expectSameSets(try MultiLabelHuggingFace.readRows(rows, file: "train.jsonl", labelNames: names))
    }

    @Test("Every format into every other and back gives the same sets")
    func chainThroughEveryFormat() throws {
        var current = records
        current = try MultiLabelJSONL.read(MultiLabelJSONL.write(current), file: "1.jsonl")
        current = try MultiLabelCSV.read(MultiLabelCSV.write(current), file: "2.csv")
        current = try MultiLabelLabelStudio.read(MultiLabelLabelStudio.write(current), file: "3.json")
        current = try MultiLabelHuggingFace.readRows(MultiLabelHuggingFace.writeRows(current, labelNames: labelNames),
                                                     file: "4.jsonl", labelNames: labelNames)
        expectSameSets(current)
    }

    @Test("Bad input names the file and line")
    func badInput() {
        #expect(throws: InputError(file: "x.jsonl", line: 2, message: "\"labels\" must be a list of label names")) {
            try MultiLabelJSONL.read("{\"text\":\"ok\",\"labels\":[]}\n{\"text\":\"t\",\"labels\":\"joy\"}\n", file: "x.jsonl")
        }
        #expect(throws: InputError(file: "x.jsonl", line: 1, message: "label \"joy\" is listed twice")) {
            try MultiLabelJSONL.read("{\"text\":\"t\",\"labels\":[\"joy\",\"joy\"]}", file: "x.jsonl")
        }
        #expect(throws: InputError(file: "x.csv", line: 4,
                                   message: "label \"fear\" is not one of the task's labels (anger, joy, big surprise, neutral, mostly)")) {
            // The quoted text on line 2 spans two lines, so the bad row starts on line 4.
            try MultiLabelCSV.read("id,text,labels\n1,\"two\nlines\",joy\n2,x,fear\n", file: "x.csv", labelNames: labelNames)
        }
        #expect(throws: InputError(file: "x.csv", line: 2, message: "an empty label in \"joy||anger\" (separator \"|\")")) {
            try MultiLabelCSV.read("id,text,labels\n1,t,joy||anger\n", file: "x.csv")
        }
        #expect(throws: InputError(file: "t.jsonl", line: 1, message: "\"labels\"[1] is neither 0 nor 1")) {
            try MultiLabelHuggingFace.readRows("{\"text\":\"t\",\"labels\":[0,2,0,0]}", file: "t.jsonl", labelNames: labelNames)
        }
        #expect(throws: InputError(file: "ls.json", line: 3, message: "task 2 has no string data.text")) {
            try MultiLabelLabelStudio.read("[\n{\"data\":{\"text\":\"a\"}},\n{\"data\":{}}\n]", file: "ls.json")
        }
    }
}
