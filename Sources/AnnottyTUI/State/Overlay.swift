/// What covers the item, if anything.
public enum Overlay: Sendable, Equatable {
    case help(scroll: Int)
    case guidelines(scroll: Int)
    /// Typing the optional note of a flag.
    case flagNote(String)
}
