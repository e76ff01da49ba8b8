// A notebook document: question, inputs with sources, tables, figures, and "where we differ".
// Rendered to Markdown (figures as SVG files beside it; renders on any git host) and to one
// self-contained HTML file (SVG inlined). Output is byte-stable: no timestamps, fixed formatting,
// one metadata line at the top.

import Foundation

/// One block of a notebook.
public enum NotebookBlock: Sendable {
  case heading(level: Int, text: String)
  case paragraph(String)
  case bullets([String])
  case table(header: [String], rows: [[String]])
  /// A figure: `file` is the SVG file name written beside the Markdown.
  case figure(file: String, svg: String, caption: String)
  case code(String)
}

/// A notebook: a title, a metadata line, and blocks.
public struct NotebookDocument: Sendable {
  /// File stem, e.g. `seed-claims` → `seed-claims.md`, `seed-claims.html`.
  public var name: String
  public var title: String
  /// One line describing how it was generated (command, version); no timestamps.
  public var metadata: String
  public var blocks: [NotebookBlock] = []

  public init(name: String, title: String, metadata: String) {
    self.name = name
    self.title = title
    self.metadata = metadata
  }

  public mutating func heading(_ text: String, level: Int = 2) {
    blocks.append(.heading(level: level, text: text))
  }
  public mutating func paragraph(_ text: String) { blocks.append(.paragraph(text)) }
  public mutating func bullets(_ items: [String]) { blocks.append(.bullets(items)) }
  public mutating func table(_ header: [String], _ rows: [[String]]) {
    blocks.append(.table(header: header, rows: rows))
  }
  public mutating func figure(_ file: String, svg: String, caption: String) {
    blocks.append(.figure(file: file, svg: svg, caption: caption))
  }
  public mutating func code(_ text: String) { blocks.append(.code(text)) }

  /// Figures as (file name, SVG text), in order.
  public var figures: [(file: String, svg: String)] {
    blocks.compactMap { if case .figure(let f, let s, _) = $0 { return (f, s) } else { return nil } }
  }

  /// Markdown rendering.
  public func markdown() -> String {
    var out = "<!-- \(metadata) -->\n\n# \(title)\n\n"
    for b in blocks {
      switch b {
      case .heading(let level, let text):
        out += String(repeating: "#", count: min(max(level, 2), 6)) + " \(text)\n\n"
      case .paragraph(let text):
        out += text + "\n\n"
      case .bullets(let items):
        out += items.map { "- \($0)" }.joined(separator: "\n") + "\n\n"
      case .table(let header, let rows):
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        out += "| " + header.map(cell).joined(separator: " | ") + " |\n"
        out += "|" + header.map { _ in " --- |" }.joined() + "\n"
        for r in rows { out += "| " + r.map(cell).joined(separator: " | ") + " |\n" }
        out += "\n"
      case .figure(let file, _, let caption):
        out += "![\(caption)](\(file))\n\nFigure: \(caption)\n\n"
      case .code(let text):
        out += "```\n" + text + (text.hasSuffix("\n") ? "" : "\n") + "```\n\n"
      }
    }
    return out
  }

  /// Self-contained HTML rendering (figures inlined).
  public func html() -> String {
    var out = "<!DOCTYPE html>\n<!-- \(SVGWriter.escape(metadata)) -->\n"
    out += "<html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(SVGWriter.escape(title))</title>\n"
    out +=
      "<style>body{font-family:Helvetica,Arial,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}"
      + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
      + "th{background:#f4f4f4}code,pre{background:#f6f6f6;font-family:Menlo,monospace}pre{padding:8px;overflow-x:auto}"
      + "figure{margin:1em 0}figcaption{font-style:italic;color:#555}</style></head><body>\n"
    out += "<h1>\(inline(title))</h1>\n"
    for b in blocks {
      switch b {
      case .heading(let level, let text):
        let l = min(max(level, 2), 6)
        out += "<h\(l)>\(inline(text))</h\(l)>\n"
      case .paragraph(let text):
        out += "<p>\(inline(text))</p>\n"
      case .bullets(let items):
        out += "<ul>\n" + items.map { "<li>\(inline($0))</li>\n" }.joined() + "</ul>\n"
      case .table(let header, let rows):
        out += "<table>\n<tr>" + header.map { "<th>\(inline($0))</th>" }.joined() + "</tr>\n"
        for r in rows { out += "<tr>" + r.map { "<td>\(inline($0))</td>" }.joined() + "</tr>\n" }
        out += "</table>\n"
      case .figure(_, let svg, let caption):
        out += "<figure>\n" + svg + "<figcaption>\(inline(caption))</figcaption>\n</figure>\n"
      case .code(let text):
        out += "<pre><code>\(SVGWriter.escape(text))</code></pre>\n"
      }
    }
    out += "</body></html>\n"
    return out
  }

  /// Writes `<name>.md`, `<name>.html` and the figure SVGs into `directory` (created if needed).
  /// - Throws: file-system errors from Foundation.
  public func write(to directory: URL) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try Data(markdown().utf8).write(to: directory.appendingPathComponent("\(name).md"))
    try Data(html().utf8).write(to: directory.appendingPathComponent("\(name).html"))
    for f in figures {
      try Data(f.svg.utf8).write(to: directory.appendingPathComponent(f.file))
    }
  }

  /// Minimal inline Markdown for HTML: escapes text, then renders `code` and **bold**.
  func inline(_ s: String) -> String {
    var out = ""
    var inCode = false
    var inBold = false
    let chars = Array(s)
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if c == "`" {
        out += inCode ? "</code>" : "<code>"
        inCode.toggle()
      } else if !inCode && c == "*" && i + 1 < chars.count && chars[i + 1] == "*" {
        out += inBold ? "</strong>" : "<strong>"
        inBold.toggle()
        i += 1
      } else {
        out += SVGWriter.escape(String(c))
      }
      i += 1
    }
    if inCode { out += "</code>" }
    if inBold { out += "</strong>" }
    return out
  }
}
