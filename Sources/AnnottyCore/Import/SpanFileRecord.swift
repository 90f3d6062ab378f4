/// One item read from a span file, with where it came from and whether the file gave it an answer.
///
/// "No answer" and "no entities" differ: a CoNLL sentence tagged all `O` says "nothing here",
/// whereas a Label Studio task without annotations or a spaCy line without `spans` is text still
/// to be annotated. Only records with an answer become decisions on import.
public struct SpanFileRecord: Sendable, Hashable {
    public var item: SpanItem
    /// The line where the record starts (1-based), for errors that name the file and line.
    public var line: Int
    public var hasAnswer: Bool

    public init(item: SpanItem, line: Int, hasAnswer: Bool) {
        self.item = item
        self.line = line
        self.hasAnswer = hasAnswer
    }
}
