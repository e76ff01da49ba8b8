/// Placeholder.
enum FittingPlaceholder {}
