import Testing
import Foundation
@testable import AnnottyCore

@Suite struct TextVectorizerTests {
    @Test func vectorsAreUnitLengthAndRepeatable() {
        let vectorizer = TextVectorizer()
        let a = vectorizer.vector(for: "What is the capital of France ?")
        #expect(abs(a.norm - 1) < 1e-5)
        #expect(a == TextVectorizer().vector(for: "What is the capital of France ?"))
        #expect(a.indices == a.indices.sorted())
        #expect(Set(a.indices).count == a.indices.count)
    }

    @Test func caseDoesNotMatterAndWordsDo() {
        let vectorizer = TextVectorizer()
        let a = vectorizer.vector(for: "Who wrote Hamlet ?")
        #expect(abs(a.dot(vectorizer.vector(for: "WHO WROTE HAMLET ?")) - 1) < 1e-5)
        let related = a.dot(vectorizer.vector(for: "Who wrote Macbeth ?"))
        let unrelated = a.dot(vectorizer.vector(for: "How many feet in a mile ?"))
        #expect(related > 0.4)
        #expect(unrelated < related - 0.2)
    }

    @Test func featureCountMatchesTheConfiguredNGrams() {
        // "ab cd": words ab, cd; word bigrams ^-ab, ab-cd, cd-$; character 2-grams of " ab ", " cd " (3 each).
        let configuration = TextVectorizer.Configuration(wordNGrams: 1...2, characterNGrams: 2...2)
        let vector = TextVectorizer(configuration: configuration).vector(for: "ab cd")
        #expect(vector.nonZeroCount == 2 + 3 + 6)
    }

    @Test func inverseDocumentFrequencyDownweightsCommonWords() {
        let configuration = TextVectorizer.Configuration(wordNGrams: 1...1, characterNGrams: nil)
        let corpus = ["the cat", "the dog", "the bird", "a fish"]
        let fitted = TextVectorizer(fittingTexts: corpus, configuration: configuration)
        let vector = fitted.vector(for: "the cat")
        #expect(vector.nonZeroCount == 2)
        // idf(the) = ln(5/4) + 1, idf(cat) = ln(5/2) + 1; the larger value belongs to "cat".
        let sorted = vector.values.sorted()
        let expectedRatio = (log(5.0 / 4) + 1) / (log(5.0 / 2) + 1)
        #expect(abs(Double(sorted[0] / sorted[1]) - expectedRatio) < 1e-5)
    }
}
