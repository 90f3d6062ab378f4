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
    /// Who gave the answer, where the file says (Label Studio's `completed_by`); nil: the importer's default.
    public var annotator: String?

    public init(item: SpanItem, line: Int, hasAnswer: Bool, annotator: String? = nil) {
        self.item = item
        self.line = line
        self.hasAnswer = hasAnswer
        self.annotator = annotator
    }
}
