import AnnottyCore
import Testing

@Suite struct JSONParserTests {
    @Test func keepsKeyOrderAndNumbersAsWritten() throws {
        let value = try JSONParser.parse(#"{"z": 1.50, "a": [true, null, -2e3], "m": {"k": "v"}}"#)
        #expect(value.objectMembers?.map(\.key) == ["z", "a", "m"])
        #expect(value.serialized == #"{"z":1.50,"a":[true,null,-2e3],"m":{"k":"v"}}"#)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONParser.parse(#""tab\there \"q\" \u00e9 \ud83d\ude00 \/""#)
        #expect(value == .string("tab\there \"q\" é 😀 /"))
    }

    @Test func reportsTheColumnOfAnError() {
        #expect(throws: JSONParser.Failure(message: "expected , or } in an object", column: 9)) {
            try JSONParser.parse(#"{"a": 1 "b": 2}"#)
        }
        #expect(throws: JSONParser.Failure(message: "unpaired surrogate in \\u escape", column: 8)) {
            try JSONParser.parse(#""\ud83dx""#)
        }
        #expect(throws: JSONParser.Failure(message: "a number cannot start with 0", column: 3)) {
            try JSONParser.parse("01")
        }
        #expect(throws: JSONParser.Failure(message: "control character inside a string (escape it)", column: 3)) {
            try JSONParser.parse("\"a\u{1}\"")
        }
    }

    @Test func serializingEscapesControlCharacters() {
        #expect(JSONValue.string("a\u{1b}[31m\n").serialized == #""a\u001b[31m\n""#)
    }
}
