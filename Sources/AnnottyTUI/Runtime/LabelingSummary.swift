/// What a finished session did, for the line printed after the screen closes.
public struct LabelingSummary: Sendable, Equatable {
    public var decisions: Int
}
