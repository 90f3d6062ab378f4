/// A count with its noun, singular for one: "1 annotator", "3 annotators". For report lines that
/// a stranger reads; `plural` for nouns that do not take an s.
public func counted(_ count: Int, _ singular: String, plural: String? = nil) -> String {
    "\(count) " + (count == 1 ? singular : plural ?? singular + "s")
}
