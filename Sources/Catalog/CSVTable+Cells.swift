// Typed, checked cell readers for the catalog loaders. Every failure names the file, line and
// column of the offending cell ("prices.csv:12:24: …"), so a person editing a catalog finds it.
// Conventions shared by all catalog files: empty cell = unknown / not applicable; lists are
// separated by ';'; tags are R, E, D or U (data/README.md), optionally combined with '/' ("E/U").

import Foundation
import Planner

extension CSVTable {
  /// Checks that every named column is in the header.
  /// - Throws: `CatalogError.missingColumn` for the first one that is not.
  public func requireColumns(_ names: [String]) throws {
    for name in names { _ = try columnIndex(name) }
  }

  /// The trimmed text of a required cell.
  /// - Throws: `CatalogError.malformed` if the cell is empty.
  public func required(_ row: Row, _ name: String) throws -> String {
    let text = try string(row, name)
    guard !text.isEmpty else {
      throw error(row, name, "column '\(name)' is required but empty.")
    }
    return text
  }

  /// The trimmed text of a cell, or nil when it is empty.
  public func optionalString(_ row: Row, _ name: String) throws -> String? {
    let text = try string(row, name)
    return text.isEmpty ? nil : text
  }

  /// A required number greater than zero.
  /// - Throws: `CatalogError.malformed` if empty, not a number, zero or negative.
  public func positive(_ row: Row, _ name: String) throws -> Double {
    guard let value = try optionalPositive(row, name) else {
      throw error(row, name, "column '\(name)' is required but empty.")
    }
    return value
  }

  /// An optional number that must be greater than zero when present.
  /// - Throws: `CatalogError.malformed` if present but not a positive finite number.
  public func optionalPositive(_ row: Row, _ name: String) throws -> Double? {
    guard let value = try optionalNumber(row, name) else { return nil }
    guard value > 0 else {
      let text = try string(row, name)
      throw error(row, name, "column '\(name)' must be greater than zero, found '\(text)'.")
    }
    return value
  }

  /// An optional positive whole number (layer counts, head counts, vocabulary, context).
  /// - Throws: `CatalogError.malformed` if present but not a positive integer.
  public func optionalCount(_ row: Row, _ name: String) throws -> Int? {
    guard let value = try optionalPositive(row, name) else { return nil }
    guard value == value.rounded(), value < 1e15 else {
      let text = try string(row, name)
      throw error(row, name, "column '\(name)' must be a whole number, found '\(text)'.")
    }
    return Int(value)
  }

  /// A provenance tag: R, E, D or U, or several joined by '/' (e.g. "E/U").
  /// - Throws: `CatalogError.malformed` if required and empty, or not a valid tag.
  public func tag(_ row: Row, _ name: String, required: Bool) throws -> String? {
    guard let text = try optionalString(row, name) else {
      if required { throw error(row, name, "column '\(name)' needs a tag (R, E, D or U).") }
      return nil
    }
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.allSatisfy({ ["R", "E", "D", "U"].contains(String($0)) }) else {
      throw error(
        row, name,
        "column '\(name)' must be a tag R, E, D or U (or several joined by '/'), found '\(text)'.")
    }
    return text
  }

  /// A yes/no flag; empty means no.
  /// - Throws: `CatalogError.malformed` for anything other than yes, no or empty.
  public func flag(_ row: Row, _ name: String) throws -> Bool {
    switch try string(row, name).lowercased() {
    case "yes", "true", "1": return true
    case "no", "false", "0", "": return false
    default:
      let text = try string(row, name)
      throw error(row, name, "column '\(name)' must be yes or no, found '\(text)'.")
    }
  }

  /// A ';'-separated list of trimmed, non-empty items.
  public func list(_ row: Row, _ name: String) throws -> [String] {
    try string(row, name).split(separator: ";").map {
      $0.trimmingCharacters(in: .whitespaces)
    }.filter { !$0.isEmpty }
  }

  /// Alternative values from disagreeing sources, written `column=value (source); …`.
  /// Each column must exist in this file and each value must be a number.
  /// - Throws: `CatalogError.malformed` for an item without '=', an unknown column or a
  ///   non-numeric value.
  public func alternatives(_ row: Row, _ name: String) throws -> [Alternative] {
    var items: [String] = []
    var depth = 0
    var current = ""
    for c in try string(row, name) {
      if c == "(" { depth += 1 }
      if c == ")" { depth = max(0, depth - 1) }
      if c == ";" && depth == 0 {
        items.append(current)
        current = ""
      } else {
        current.append(c)
      }
    }
    items.append(current)
    var result: [Alternative] = []
    for raw in items {
      let item = raw.trimmingCharacters(in: .whitespaces)
      if item.isEmpty { continue }
      guard let eq = item.firstIndex(of: "=") else {
        throw error(
          row, name, "alternative '\(item)' must be written column=value (source).")
      }
      let column = item[..<eq].trimmingCharacters(in: .whitespaces)
      guard header.contains(column) else {
        throw error(row, name, "alternative '\(item)' names an unknown column '\(column)'.")
      }
      var rest = item[item.index(after: eq)...].trimmingCharacters(in: .whitespaces)
      var source = ""
      if let open = rest.firstIndex(of: "(") {
        source = rest[rest.index(after: open)...].trimmingCharacters(in: .whitespaces)
        if source.hasSuffix(")") { source.removeLast() }
        rest = rest[..<open].trimmingCharacters(in: .whitespaces)
      }
      guard let value = try? Quantity.parse(rest, name: column).value else {
        throw error(row, name, "alternative '\(item)' has a non-numeric value '\(rest)'.")
      }
      result.append(Alternative(column: column, value: value, source: source))
    }
    return result
  }
}

/// A figure from a source that disagrees with the catalog's default value for the same column.
public struct Alternative: Sendable, Codable, Equatable {
  /// The column the value belongs to, e.g. `memory_gb` or `cost_usd`.
  public var column: String
  /// The alternative value, in the column's unit.
  public var value: Double
  /// Who gives this value (free text).
  public var source: String

  /// Creates an alternative value.
  public init(column: String, value: Double, source: String) {
    self.column = column
    self.value = value
    self.source = source
  }
}
