/// What the task learner reads of an item: its text and display fields as words and character
/// n-grams (`TextVectorizer`), and each categorical column (a display field or another imported
/// column, such as a review's star rating) as one feature per value.
///
/// Why columns apart from the words: a star rating read as text is the token "3" among a review's
/// hundred n-grams, shared with every "3" in every text and weighed down by TF-IDF; on the sample
/// reviews, where the stars say the label for 1 and 5 stars almost always, the learner could not
/// find it. A column is categorical when its values among the fitted items are few (at most
/// `maximumCategories`, and fewer than half the items with a value) and short; a column with a
/// value per item (an id, a product name, a date) says nothing a label could be learned from and
/// is left to the words where it is a display field, and out where it is not.
public struct ItemFeaturizer: Sendable {
    public let vectorizer: TextVectorizer
    /// The categorical columns, by name, each with its values seen when fitted.
    public let categoricalColumns: [String: Set<String>]

    public static let maximumCategories = 50
    public static let maximumValueLength = 40
    /// A column feature's weight beside the text's unit-length vector, before the whole is
    /// normalised: with one column, the text and the column weigh alike.
    public static let columnWeight: Float = 1

    /// A featurizer whose vocabulary (IDF) and categorical columns come from `items`: fit on every
    /// item at hand, labelled or not, as `TextVectorizer` is.
    public init(fitting items: [Item], configuration: TextVectorizer.Configuration = .init()) {
        vectorizer = TextVectorizer(fittingTexts: items.map { Self.text(of: $0) }, configuration: configuration)
        var values: [String: [String: Int]] = [:]
        var withValue: [String: Int] = [:]
        for item in items {
            for column in Self.columns(of: item) {
                values[column.name, default: [:]][column.value, default: 0] += 1
                withValue[column.name, default: 0] += 1
            }
        }
        var categorical: [String: Set<String>] = [:]
        for (name, counts) in values {
            let items = withValue[name] ?? 0
            guard counts.count <= Self.maximumCategories, counts.count * 2 < items,
                  counts.keys.allSatisfy({ $0.count <= Self.maximumValueLength }) else { continue }
            categorical[name] = Set(counts.keys)
        }
        categoricalColumns = categorical
    }

    /// The item's feature vector: unit length.
    public func vector(for item: Item) -> SparseVector {
        let words = vectorizer.vector(for: Self.text(of: item))
        let columns = Self.columns(of: item).filter { categoricalColumns[$0.name]?.contains($0.value) == true }
        // Without a categorical column the vector is the text's own, bit for bit.
        guard !columns.isEmpty else { return words }
        let mask = UInt64(vectorizer.dimension - 1)
        var pairs = zip(words.indices, words.values).map { (index: $0, value: $1) }
        for column in columns {
            let key = Array(("column\u{1F}" + column.name + "\u{1F}" + column.value).unicodeScalars)
            let hash = TextVectorizer.mix(TextVectorizer.fnv1a(key[...], seed: 0xC01_0A11_5EED))
            pairs.append((index: UInt32(truncatingIfNeeded: hash & mask), value: Self.columnWeight))
        }
        return SparseVector(pairs: pairs).normalized()
    }

    public func vectors(for items: [Item]) -> [SparseVector] {
        items.map(vector(for:))
    }

    /// The words the learner reads: the text and the display fields' values.
    static func text(of item: Item) -> String {
        ([item.text] + item.fields.map(\.value)).joined(separator: "\n")
    }

    /// Every column an item has besides its text: display fields, then the other imported
    /// columns (span bookkeeping left out).
    static func columns(of item: Item) -> [ItemField] {
        item.fields + item.metadataFields.filter { !SpanItemMetadata.keys.contains($0.name) }
    }
}
