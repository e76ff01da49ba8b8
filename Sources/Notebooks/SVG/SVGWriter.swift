// A minimal SVG writer: elements appended as text with coordinates at fixed precision (2 decimals)
// and XML-escaped text, so output is valid XML and byte-stable.

import Foundation

/// Builds an SVG document as text.
public struct SVGWriter: Sendable {
  public let width: Double
  public let height: Double
  private var body: [String] = []

  /// Creates an empty drawing of the given pixel size.
  public init(width: Double, height: Double) {
    self.width = width
    self.height = height
  }

  /// A coordinate rendered with two decimals (trailing zeros removed).
  public static func num(_ v: Double) -> String {
    guard v.isFinite else { return "0" }
    var s = String(format: "%.2f", v)
    if s.contains(".") {
      while s.hasSuffix("0") { s.removeLast() }
      if s.hasSuffix(".") { s.removeLast() }
    }
    return s == "-0" ? "0" : s
  }

  /// Escapes text for XML content and attribute values.
  public static func escape(_ s: String) -> String {
    var out = ""
    for c in s {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      default: out.append(c)
      }
    }
    return out
  }

  public mutating func line(
    _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String,
    width: Double = 1, dash: String? = nil
  ) {
    let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
    body.append(
      "<line x1=\"\(Self.num(x1))\" y1=\"\(Self.num(y1))\" x2=\"\(Self.num(x2))\" y2=\"\(Self.num(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.num(width))\"\(d)/>"
    )
  }

  public mutating func rect(
    _ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil,
    opacity: Double? = nil
  ) {
    let s = stroke.map { " stroke=\"\($0)\"" } ?? ""
    let o = opacity.map { " fill-opacity=\"\(Self.num($0))\"" } ?? ""
    body.append(
      "<rect x=\"\(Self.num(x))\" y=\"\(Self.num(y))\" width=\"\(Self.num(max(w, 0)))\" height=\"\(Self.num(max(h, 0)))\" fill=\"\(fill)\"\(s)\(o)/>"
    )
  }

  public mutating func circle(
    _ cx: Double, _ cy: Double, r: Double, fill: String, stroke: String? = nil
  ) {
    let s = stroke.map { " stroke=\"\($0)\"" } ?? ""
    body.append(
      "<circle cx=\"\(Self.num(cx))\" cy=\"\(Self.num(cy))\" r=\"\(Self.num(r))\" fill=\"\(fill)\"\(s)/>")
  }

  public mutating func polyline(
    _ points: [(Double, Double)], stroke: String, width: Double = 2, dash: String? = nil
  ) {
    guard points.count > 1 else { return }
    let p = points.map { "\(Self.num($0.0)),\(Self.num($0.1))" }.joined(separator: " ")
    let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
    body.append(
      "<polyline points=\"\(p)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.num(width))\" stroke-linejoin=\"round\"\(d)/>"
    )
  }

  public mutating func polygon(_ points: [(Double, Double)], fill: String, opacity: Double) {
    guard points.count > 2 else { return }
    let p = points.map { "\(Self.num($0.0)),\(Self.num($0.1))" }.joined(separator: " ")
    body.append(
      "<polygon points=\"\(p)\" fill=\"\(fill)\" fill-opacity=\"\(Self.num(opacity))\" stroke=\"none\"/>"
    )
  }

  public mutating func text(
    _ s: String, x: Double, y: Double, anchor: String = "start", size: Double = 12,
    weight: String? = nil, rotate: Double? = nil, fill: String = "#222"
  ) {
    let w = weight.map { " font-weight=\"\($0)\"" } ?? ""
    let r = rotate.map { " transform=\"rotate(\(Self.num($0)) \(Self.num(x)) \(Self.num(y)))\"" } ?? ""
    body.append(
      "<text x=\"\(Self.num(x))\" y=\"\(Self.num(y))\" text-anchor=\"\(anchor)\" font-size=\"\(Self.num(size))\" fill=\"\(fill)\"\(w)\(r)>\(Self.escape(s))</text>"
    )
  }

  /// Opens a group clipped to the plot area (closed by `endGroup`).
  public mutating func beginClip(id: String, x: Double, y: Double, w: Double, h: Double) {
    body.append(
      "<clipPath id=\"\(id)\"><rect x=\"\(Self.num(x))\" y=\"\(Self.num(y))\" width=\"\(Self.num(w))\" height=\"\(Self.num(h))\"/></clipPath>"
    )
    body.append("<g clip-path=\"url(#\(id))\">")
  }

  public mutating func endGroup() { body.append("</g>") }

  /// The complete SVG document.
  public func render(title: String) -> String {
    var out =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.num(width))\" height=\"\(Self.num(height))\" viewBox=\"0 0 \(Self.num(width)) \(Self.num(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
    out += "<title>\(Self.escape(title))</title>\n"
    out += "<rect x=\"0\" y=\"0\" width=\"\(Self.num(width))\" height=\"\(Self.num(height))\" fill=\"#ffffff\"/>\n"
    for e in body { out += e + "\n" }
    out += "</svg>\n"
    return out
  }
}
