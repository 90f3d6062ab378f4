import AnnottyCore

/// AnnottyTUI: UI state, the pure key reducer, views drawn on a Screen.
public enum AnnottyTUI {}
