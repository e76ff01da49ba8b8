/// The page, its script and its style.
enum Page {
  static let document = "<!doctype html><title>scaleplan</title>"
  static let script = ""
  static let style = ""
}
