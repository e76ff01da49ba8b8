// A small RFC 4180 CSV reader for the catalogs in data/: quoted fields, doubled quotes, CRLF,
// comment lines starting with '#'. Every cell remembers its line and column so that a broken user
// catalog is reported as "file:line:column: reason".

import Foundation
import Planner

/// Errors reading catalogs; each reads as one sentence naming the file, line and column.
public enum CatalogError: Error, CustomStringConvertible, Equatable {
  case missingFile(String)
  case unreadable(String)
  case malformed(file: String, line: Int, column: Int, reason: String)
  case missingColumn(file: String, column: String)
  case unknownEntry(kind: String, name: String, known: [String])
  /// The build has no embedded catalogs and no override supplies the file.
  case bundleMissing(String)
  /// A catalog is registered but its loader has not been written yet.
  case noLoader(String)
  /// The `--catalog` directory does not exist.
  case missingDirectory(String)
  /// A catalog entry exists but lacks a figure the caller needs (e.g. undisclosed parameters).
  case missingValue(kind: String, name: String, field: String)

  public var description: String {
    switch self {
    case .missingFile(let path):
      return "Catalog file '\(path)' does not exist."
    case .unreadable(let path):
      return "Catalog file '\(path)' could not be read as UTF-8 text."
    case .malformed(let file, let line, let column, let reason):
      return "\(file):\(line):\(column): \(reason)"
    case .missingColumn(let file, let column):
      return "\(file):1:1: the header has no column '\(column)'."
    case .unknownEntry(let kind, let name, let known):
      return "Unknown \(kind) '\(name)'; try one of: \(known.joined(separator: ", "))."
    case .bundleMissing(let file):
      return "This build has no embedded catalogs, so '\(file)' cannot be read; pass --catalog "
        + "DIR with a copy of the data/ files."
    case .noLoader(let name):
      return "The '\(name)' catalog has no loader in this build yet, so it cannot be listed "
        + "or checked."
    case .missingDirectory(let dir):
      return "Catalog directory '\(dir)' does not exist; pass --catalog a folder holding .csv "
        + "files."
    case .missingValue(let kind, let name, let field):
      return "The \(kind) '\(name)' has no published \(field) in the catalog; give it explicitly."
    }
  }
}

/// One parsed CSV file: a header and rows of cells, with positions for error messages.
public struct CSVTable: Sendable {
  /// The file name used in error messages.
  public let file: String
  /// Column names from the first non-comment line.
  public let header: [String]
  /// Column name → index, built once (lookups happen for every cell read).
  private let columnIndices: [String: Int]
  /// Data rows; each has exactly `header.count` cells.
  public let rows: [Row]

  /// A data row with its 1-based line number in the file.
  public struct Row: Sendable {
    public let line: Int
    public let cells: [String]
    /// 1-based column (character offset) where each cell starts, for error messages.
    public let columns: [Int]
  }

  /// Parses CSV text.
  /// - Throws: `CatalogError.malformed` for an unterminated quote, a stray quote, or a row whose
  ///   cell count differs from the header's.
  public init(text: String, file: String) throws {
    self.file = file
    var records: [(line: Int, cells: [String], columns: [Int])] = []
    var cells: [String] = []
    var columns: [Int] = []
    var field = ""
    var inQuotes = false
    var line = 1
    var column = 1
    var fieldStart = 1
    var recordLine = 1
    var atFieldStart = true
    var afterQuote = false
    var chars = Array(text.unicodeScalars)
    if chars.first == "\u{FEFF}" { chars.removeFirst() }
    var i = 0
    func endRecord() {
      cells.append(field)
      columns.append(fieldStart)
      let isBlank = cells.count == 1 && cells[0].trimmingCharacters(in: .whitespaces).isEmpty
      let isComment = cells.first?.hasPrefix("#") == true && columns.first == 1
      if !isBlank && !isComment { records.append((recordLine, cells, columns)) }
      cells = []
      columns = []
      field = ""
    }
    // Where the open quoted field began, for the error when it never closes.
    var quoteOpened = (line: 1, column: 1)
    while i < chars.count {
      let c = chars[i]
      if !inQuotes && c == "#" && cells.isEmpty && field.isEmpty && atFieldStart {
        // A comment line: skip to its end (quotes inside comments are free text).
        while i < chars.count && chars[i] != "\n" && chars[i] != "\r" { i += 1 }
        continue
      }
      if inQuotes {
        if c == "\"" {
          if i + 1 < chars.count && chars[i + 1] == "\"" {
            field.unicodeScalars.append("\"")
            i += 1
            column += 1
          } else {
            inQuotes = false
            afterQuote = true
          }
        } else {
          field.unicodeScalars.append(c)
          if c == "\n" {
            line += 1
            column = 0
          }
        }
      } else if c == "\"" {
        guard atFieldStart else {
          throw CatalogError.malformed(
            file: file, line: line, column: column,
            reason: "a quote may only open a field; quote the whole field and double inner quotes.")
        }
        inQuotes = true
        atFieldStart = false
        quoteOpened = (line, column)
      } else if c == "," {
        cells.append(field)
        columns.append(fieldStart)
        field = ""
        fieldStart = column + 1
        atFieldStart = true
        afterQuote = false
      } else if c == "\n" || c == "\r" {
        if c == "\r" && i + 1 < chars.count && chars[i + 1] == "\n" { i += 1 }
        endRecord()
        line += 1
        column = 0
        fieldStart = 1
        recordLine = line
        atFieldStart = true
        afterQuote = false
      } else {
        if afterQuote {
          throw CatalogError.malformed(
            file: file, line: line, column: column,
            reason: "text after a closing quote; quote the whole field.")
        }
        field.unicodeScalars.append(c)
        atFieldStart = false
      }
      column += 1
      i += 1
    }
    if inQuotes {
      throw CatalogError.malformed(
        file: file, line: quoteOpened.line, column: quoteOpened.column,
        reason: "the quoted field opened here is never closed; close it with a quote.")
    }
    if !field.isEmpty || !cells.isEmpty { endRecord() }
    guard let first = records.first else {
      throw CatalogError.malformed(file: file, line: 1, column: 1, reason: "the file has no header.")
    }
    header = first.cells.map(CSVTable.trimmed)
    var indices: [String: Int] = [:]
    for (i, h) in header.enumerated() where indices[h] == nil { indices[h] = i }
    columnIndices = indices
    var parsed: [Row] = []
    for r in records.dropFirst() {
      guard r.cells.count == header.count else {
        throw CatalogError.malformed(
          file: file, line: r.line, column: 1,
          reason: "expected \(header.count) fields as in the header, found \(r.cells.count).")
      }
      parsed.append(Row(line: r.line, cells: r.cells, columns: r.columns))
    }
    rows = parsed
  }

  /// Reads and parses a CSV file.
  /// - Throws: `CatalogError.missingFile`, `.unreadable` or `.malformed`.
  public init(contentsOf url: URL) throws {
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw CatalogError.missingFile(url.path)
    }
    guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8)
    else { throw CatalogError.unreadable(url.path) }
    try self.init(text: text, file: url.lastPathComponent)
  }

  /// The index of a named column.
  /// - Throws: `CatalogError.missingColumn`.
  public func columnIndex(_ name: String) throws -> Int {
    guard let i = columnIndices[name] else {
      throw CatalogError.missingColumn(file: file, column: name)
    }
    return i
  }

  /// The trimmed text of a cell (empty string for an empty cell).
  public func string(_ row: Row, _ name: String) throws -> String {
    CSVTable.trimmed(row.cells[try columnIndex(name)])
  }

  /// Removes leading and trailing spaces and tabs (fast path: most cells have none).
  static func trimmed(_ s: String) -> String {
    guard let f = s.utf8.first, let l = s.utf8.last else { return s }
    if f != 0x20 && f != 0x09 && l != 0x20 && l != 0x09 { return s }
    return s.trimmingCharacters(in: .whitespaces)
  }

  /// A required number, written plainly in the column's stated unit (`989.4`, `3.1e23`): a
  /// catalog cell takes no suffix (`989.4T` in a TFLOP/s column would mean 10¹² times too much),
  /// no currency sign and no thousands separator.
  /// - Throws: `CatalogError.malformed` with the cell's position if empty, not a plain number, or
  ///   not finite.
  public func number(_ row: Row, _ name: String) throws -> Double {
    let i = try columnIndex(name)
    let text = CSVTable.trimmed(row.cells[i])
    guard let v = Double(text), v.isFinite else {
      let hint =
        (try? Quantity.parse(text, name: name)) != nil
        ? " (catalog numbers are plain numbers in the column's unit; drop the suffix or sign)"
        : ""
      throw CatalogError.malformed(
        file: file, line: row.line, column: row.columns[i],
        reason: "column '\(name)' must be a finite number, found '\(text)'\(hint).")
    }
    return v
  }

  /// An optional number: nil for an empty cell or a dash.
  /// - Throws: `CatalogError.malformed` if present but not a number.
  public func optionalNumber(_ row: Row, _ name: String) throws -> Double? {
    let text = try string(row, name)
    if text.isEmpty || text == "-" || text == "—" { return nil }
    return try number(row, name)
  }

  /// Builds a positioned error for a cell, for validation beyond "is it a number".
  public func error(_ row: Row, _ name: String, _ reason: String) -> CatalogError {
    let i = header.firstIndex(of: name) ?? 0
    return .malformed(file: file, line: row.line, column: row.columns[i], reason: reason)
  }
}
