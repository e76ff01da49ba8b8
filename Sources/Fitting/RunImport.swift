// Runs from another trainer: a table (header + rows with line numbers, e.g. from the Catalog
// module's CSV reader) and a column mapping such as "params=N,tokens=D,loss=final_loss". When only
// a FLOP column is given, D = C/(6N) (as Epoch AI did for the Chinchilla points, Besiroglu et al.
// 2024). Errors name the file, line and column. This file knows strings, not files.

import Foundation

/// Which table columns hold N, D (or C) and the loss.
public struct ColumnMapping: Sendable, Equatable {
  /// Column of parameter counts N.
  public var params: String
  /// Column of training tokens D, if present.
  public var tokens: String?
  /// Column of final losses.
  public var loss: String
  /// Column of training FLOP C, if present.
  public var flops: String?

  /// Creates a mapping; at least one of `tokens` and `flops` is required.
  public init(params: String, tokens: String?, loss: String, flops: String?) {
    self.params = params
    self.tokens = tokens
    self.loss = loss
    self.flops = flops
  }

  /// Parses "params=N,tokens=D,loss=final_loss" (keys params, tokens, loss, flops).
  /// - Throws: `RunImportError.badMapping` for unknown keys, missing `=`, or missing
  ///   params/loss/(tokens or flops).
  public static func parse(_ spec: String, flopsColumn: String? = nil) throws -> ColumnMapping {
    var map: [String: String] = [:]
    for part in spec.split(separator: ",") {
      let kv = part.split(separator: "=", maxSplits: 1).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else {
        throw RunImportError.badMapping(
          "'\(part)' in --columns is not key=column; write e.g. params=N,tokens=D,loss=final_loss.")
      }
      guard ["params", "tokens", "loss", "flops"].contains(kv[0]) else {
        throw RunImportError.badMapping(
          "Unknown key '\(kv[0])' in --columns; use params, tokens, loss and optionally flops.")
      }
      map[kv[0]] = kv[1]
    }
    guard let params = map["params"] else {
      throw RunImportError.badMapping("--columns has no params=COLUMN; name the parameter column.")
    }
    guard let loss = map["loss"] else {
      throw RunImportError.badMapping("--columns has no loss=COLUMN; name the final-loss column.")
    }
    let flops = flopsColumn ?? map["flops"]
    guard map["tokens"] != nil || flops != nil else {
      throw RunImportError.badMapping(
        "--columns has neither tokens=COLUMN nor a FLOP column; give one so D is known.")
    }
    return ColumnMapping(params: params, tokens: map["tokens"], loss: loss, flops: flops)
  }
}

/// One row of a table: its 1-based line, cells, and 1-based starting column of each cell.
public struct TableRow: Sendable {
  /// Line number in the file.
  public var line: Int
  /// Cell texts.
  public var cells: [String]
  /// Starting column of each cell.
  public var columns: [Int]

  /// Creates a row.
  public init(line: Int, cells: [String], columns: [Int]) {
    self.line = line
    self.cells = cells
    self.columns = columns
  }
}

/// One imported run.
public struct ImportedRun: Sendable, Equatable {
  /// N, D, L.
  public var observation: Observation
  /// Training compute: the FLOP column if given, else 6·N·D.
  public var compute: Double
  /// Source line.
  public var line: Int
}

/// Import errors; each reads as one sentence with file:line:column where it applies.
public enum RunImportError: Error, CustomStringConvertible, Equatable {
  case badMapping(String)
  case missingColumn(file: String, column: String, available: [String])
  case notANumber(file: String, line: Int, column: Int, name: String, text: String)
  case notPositive(file: String, line: Int, column: Int, name: String, value: Double)
  case noRows(file: String)

  public var description: String {
    switch self {
    case .badMapping(let message):
      return message
    case .missingColumn(let file, let column, let available):
      return "\(file):1:1: the header has no column '\(column)'; it has: "
        + available.joined(separator: ", ") + "."
    case .notANumber(let file, let line, let column, let name, let text):
      return "\(file):\(line):\(column): column '\(name)' must be a number, found '\(text)'."
    case .notPositive(let file, let line, let column, let name, let value):
      return "\(file):\(line):\(column): column '\(name)' must be positive, found \(value)."
    case .noRows(let file):
      return "\(file) has a header but no data rows; add one row per run."
    }
  }
}

/// Converts table rows into observations.
public enum RunImport {
  /// Reads N, D (or C) and loss from each row.
  /// - Throws: `RunImportError` naming the file, line and column of the first bad cell.
  public static func runs(
    file: String, header: [String], rows: [TableRow], mapping: ColumnMapping
  ) throws -> [ImportedRun] {
    func index(_ name: String) throws -> Int {
      guard let i = header.firstIndex(of: name) else {
        throw RunImportError.missingColumn(file: file, column: name, available: header)
      }
      return i
    }
    let iN = try index(mapping.params)
    let iL = try index(mapping.loss)
    let iD = try mapping.tokens.map(index)
    let iC = try mapping.flops.map(index)
    guard !rows.isEmpty else { throw RunImportError.noRows(file: file) }
    func number(_ row: TableRow, _ i: Int) throws -> Double {
      let text = row.cells[i].trimmingCharacters(in: .whitespaces)
      let column = i < row.columns.count ? row.columns[i] : 1
      guard let v = Double(text), v.isFinite else {
        throw RunImportError.notANumber(
          file: file, line: row.line, column: column, name: header[i], text: text)
      }
      guard v > 0 else {
        throw RunImportError.notPositive(
          file: file, line: row.line, column: column, name: header[i], value: v)
      }
      return v
    }
    return try rows.map { row in
      let n = try number(row, iN)
      let l = try number(row, iL)
      let c = try iC.map { try number(row, $0) }
      let d = try iD.map { try number(row, $0) } ?? (c ?? 0) / (6 * n)
      return ImportedRun(
        observation: Observation(params: n, tokens: d, loss: l), compute: c ?? 6 * n * d,
        line: row.line)
    }
  }
}
