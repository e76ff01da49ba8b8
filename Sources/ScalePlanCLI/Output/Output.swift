// Rendering: aligned text tables and deterministic JSON (sorted keys, no timestamps).

import UseCases
import Foundation
import Planner

/// A plain-text table with a header row and right-aligned numeric-looking cells.
public struct TextTable {
  public var header: [String]
  public var rows: [[String]]
  public init(header: [String], rows: [[String]] = []) {
    self.header = header
    self.rows = rows
  }
  public mutating func add(_ row: [String]) { rows.append(row) }

  /// Renders with two spaces between columns.
  public func render() -> String {
    let all = [header] + rows
    var widths = Array(repeating: 0, count: header.count)
    for r in all { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
    // A column is right-aligned when every data cell in it looks like a number.
    func numeric(_ c: String) -> Bool {
      guard let f = c.first else { return true }
      return f.isNumber || "$+-.~≈<>—".contains(f)
    }
    let rightAligned = (0..<header.count).map { i in
      i > 0 && rows.allSatisfy { i >= $0.count || numeric($0[i]) }
    }
    func line(_ r: [String]) -> String {
      var parts: [String] = []
      for (i, c) in r.enumerated() where i < widths.count {
        let pad = String(repeating: " ", count: widths[i] - c.count)
        parts.append(rightAligned[i] ? pad + c : c + pad)
      }
      var joined = parts.joined(separator: "  ")
      while joined.last == " " { joined.removeLast() }
      return joined
    }
    var out = line(header) + "\n"
    out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
    for r in rows { out += line(r) + "\n" }
    return out
  }
}

/// JSON rendering shared by all commands.
public enum JSONOutput {
  /// Encodes with sorted keys and pretty printing so output is byte-stable.
  public static func string<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let data = try encoder.encode(value)
    return String(decoding: data, as: UTF8.self)
  }

  /// Prints a value as JSON on standard output.
  public static func print<T: Encodable>(_ value: T) throws {
    Swift.print(try string(value))
  }
}
