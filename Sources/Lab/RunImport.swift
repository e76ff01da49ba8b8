// Reading runs from files: this program's own exports (CSV, or JSON lines with loss curves) and
// other trainers' tables through a column mapping such as `params=N,tokens=D,loss=final_loss`.
// Every error names the file and line (CSV through Catalog's CSVTable, which tracks positions).

import Catalog
import Fitting
import Foundation
import Planner
import RunStore

/// Which run field each file column feeds, parsed from `field=COLUMN,…`.
public struct ColumnMapping: Sendable, Equatable {
  /// Canonical field name (see `RunInterchange.fieldNames`) → column name in the file.
  public var columnForField: [String: String]

  /// Creates a mapping from canonical field names.
  public init(columnForField: [String: String] = [:]) {
    self.columnForField = columnForField
  }

  /// Parses `params=N,tokens=D,loss=final_loss`; field names may be aliases (`params`,
  /// `tokens`, `loss`, `train_loss`, `flops`) or any export field name.
  /// - Throws: `ImportError.badMapping` or `.unknownField`.
  public static func parse(_ text: String) throws -> ColumnMapping {
    var map: [String: String] = [:]
    for part in text.split(separator: ",") {
      let pieces = part.split(separator: "=", maxSplits: 1).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty else {
        throw ImportError.badMapping(String(part))
      }
      guard let field = RunInterchange.canonicalField(pieces[0]) else {
        throw ImportError.unknownField(pieces[0])
      }
      map[field] = pieces[1]
    }
    return ColumnMapping(columnForField: map)
  }
}

/// Errors reading runs from a file; each description is one sentence with the file and line.
public enum ImportError: Error, CustomStringConvertible, Equatable {
  case badMapping(String)
  case unknownField(String)
  case unreadable(path: String)
  case noRuns(file: String)
  case unmappedColumn(file: String, column: String, field: String)
  case atLine(file: String, line: Int, reason: String)

  public var description: String {
    switch self {
    case .badMapping(let part):
      return
        "Column mapping '\(part)' is not FIELD=COLUMN; write e.g. --columns params=N,tokens=D,loss=final_loss."
    case .unknownField(let f):
      return
        "Unknown run field '\(f)' in --columns; use params, tokens, loss, train_loss, flops or an export column name."
    case .unreadable(let path):
      return "Cannot read '\(path)' as UTF-8 text; check the path."
    case .noRuns(let file):
      return "\(file) holds no runs; give a file with a header and at least one row."
    case .unmappedColumn(let file, let column, let field):
      return "\(file):1: the header has no column '\(column)' (mapped to \(field) by --columns)."
    case .atLine(let file, let line, let reason):
      return "\(file):\(line): \(reason)"
    }
  }
}

/// Reads runs from CSV or JSON-lines files.
public enum RunImport {
  /// Fields that may be written with suffixes such as `70B` or `1.4T` in other trainers' files.
  static let quantityFields: Set<String> = [
    "non_embedding_params", "total_params", "tokens_trained", "flops",
  ]

  /// Reads every run of a file. The format comes from the extension: `.jsonl`/`.json` → JSON
  /// lines, anything else → CSV.
  /// - Parameters:
  ///   - mapping: file columns for run fields; unmapped fields are read from columns of their
  ///     own name when present.
  ///   - createdAt: the time given to runs whose file has no `created_at`.
  /// - Returns: records (without ids or sweep links) and their curves (empty for CSV).
  /// - Throws: `ImportError` (file and line in each) or `CatalogError` for malformed CSV.
  public static func read(path: String, mapping: ColumnMapping = ColumnMapping(), createdAt: Date)
    throws -> [(run: RunRecord, curve: [StoredLossPoint])]
  {
    let url = URL(fileURLWithPath: path)
    guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8)
    else { throw ImportError.unreadable(path: path) }
    let file = url.lastPathComponent
    let ext = url.pathExtension.lowercased()
    if ext == "jsonl" || ext == "json" || ext == "ndjson" {
      return try jsonLines(text, file: file, mapping: mapping, createdAt: createdAt)
    }
    return try csv(text, file: file, mapping: mapping, createdAt: createdAt)
  }

  /// Reads a file of runs (CSV or JSON lines, as `read`) as the fitter's input: every finished
  /// run with a final loss (validation, else training), its compute (the FLOP field, else 6·N·D)
  /// and its line. Runs that are not finished are left out and counted.
  /// - Throws: as `read`; `ImportError.noRuns` when no run is finished.
  public static func fitRuns(path: String, mapping: ColumnMapping = ColumnMapping()) throws
    -> (runs: [ImportedRun], skipped: Int)
  {
    let url = URL(fileURLWithPath: path)
    guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8)
    else { throw ImportError.unreadable(path: path) }
    return try fitRuns(text: text, file: url.lastPathComponent, mapping: mapping)
  }

  /// `fitRuns(path:mapping:)` on a file's text; `file`'s extension picks the format.
  public static func fitRuns(text: String, file: String, mapping: ColumnMapping = ColumnMapping())
    throws -> (runs: [ImportedRun], skipped: Int)
  {
    let ext = (file as NSString).pathExtension.lowercased()
    let rows =
      ext == "jsonl" || ext == "json" || ext == "ndjson"
      ? try jsonLineRows(text, file: file, mapping: mapping, createdAt: Date(timeIntervalSince1970: 0))
      : try csvRows(text, file: file, mapping: mapping, createdAt: Date(timeIntervalSince1970: 0))
    var runs: [ImportedRun] = []
    for r in rows where r.run.status == .finished {
      guard let loss = r.run.finalValidationLoss ?? r.run.finalTrainLoss else { continue }
      let n = r.run.nonEmbeddingParams
      let d = r.run.tokensTrained
      runs.append(
        ImportedRun(
          observation: Observation(params: n, tokens: d, loss: loss),
          compute: r.run.flops ?? 6 * n * d, line: r.line))
    }
    guard !runs.isEmpty else { throw ImportError.noRuns(file: file) }
    return (runs, rows.count - runs.count)
  }

  /// Reads runs from CSV text (see `read`).
  public static func csv(_ text: String, file: String, mapping: ColumnMapping, createdAt: Date)
    throws -> [(run: RunRecord, curve: [StoredLossPoint])]
  {
    try csvRows(text, file: file, mapping: mapping, createdAt: createdAt).map { ($0.run, $0.curve) }
  }

  /// A file's runs with the line each came from.
  typealias Rows = [(run: RunRecord, curve: [StoredLossPoint], line: Int)]

  static func csvRows(_ text: String, file: String, mapping: ColumnMapping, createdAt: Date)
    throws -> Rows
  {
    let table = try CSVTable(text: text, file: file)
    for (field, column) in mapping.columnForField.sorted(by: { $0.key < $1.key })
    where !table.header.contains(column) {
      throw ImportError.unmappedColumn(file: file, column: column, field: field)
    }
    let columnOf = columnsForFields(header: table.header, mapping: mapping)
    var out: Rows = []
    for row in table.rows {
      var cells: [String: String] = [:]
      for (field, column) in columnOf {
        if let i = table.header.firstIndex(of: column) { cells[field] = row.cells[i] }
      }
      do {
        let record = try RunInterchange.record(
          from: normalised(cells), createdAt: createdAt, source: "import:\(file)")
        out.append((record, [], row.line))
      } catch let e as InterchangeError {
        let line = isMissingColumn(e) ? 1 : row.line
        throw ImportError.atLine(file: file, line: line, reason: reason(e, columnOf))
      }
    }
    guard !out.isEmpty else { throw ImportError.noRuns(file: file) }
    return out
  }

  /// Reads runs from JSON-lines text: one object per line, blank lines skipped (see `read`).
  public static func jsonLines(
    _ text: String, file: String, mapping: ColumnMapping, createdAt: Date
  ) throws -> [(run: RunRecord, curve: [StoredLossPoint])] {
    try jsonLineRows(text, file: file, mapping: mapping, createdAt: createdAt).map {
      ($0.run, $0.curve)
    }
  }

  static func jsonLineRows(
    _ text: String, file: String, mapping: ColumnMapping, createdAt: Date
  ) throws -> Rows {
    var out: Rows = []
    for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
      if trimmed.isEmpty { continue }
      var columnOf: [String: String] = mapping.columnForField
      do {
        let (raw, curve) = try RunInterchange.parseJSONLine(trimmed)
        columnOf = columnsForFields(header: raw.keys.sorted(), mapping: mapping)
        for (field, column) in mapping.columnForField.sorted(by: { $0.key < $1.key })
        where raw[column] == nil {
          throw ImportError.atLine(
            file: file, line: i + 1,
            reason: "the object has no key '\(column)' (mapped to \(field) by --columns).")
        }
        var cells: [String: String] = [:]
        for (field, column) in columnOf { cells[field] = raw[column] }
        let record = try RunInterchange.record(
          from: normalised(cells), createdAt: createdAt, source: "import:\(file)")
        out.append((record, curve ?? [], i + 1))
      } catch let e as InterchangeError {
        throw ImportError.atLine(file: file, line: i + 1, reason: reason(e, columnOf))
      }
    }
    guard !out.isEmpty else { throw ImportError.noRuns(file: file) }
    return out
  }

  /// Field → column: the mapping first, then columns named like a field (or an alias).
  static func columnsForFields(header: [String], mapping: ColumnMapping) -> [String: String] {
    var out: [String: String] = [:]
    for column in header {
      if let field = RunInterchange.canonicalField(column), mapping.columnForField[field] == nil {
        if out[field] == nil || column.lowercased() == field { out[field] = column }
      }
    }
    for (field, column) in mapping.columnForField { out[field] = column }
    return out
  }

  /// Cells of quantity fields written as `70B`, `1.4T` or `1,000` become plain numbers.
  static func normalised(_ cells: [String: String]) -> [String: String] {
    var out = cells
    for (field, text) in cells where quantityFields.contains(field) {
      let t = text.trimmingCharacters(in: .whitespaces)
      if !t.isEmpty, Double(t) == nil, let q = try? Quantity.parse(t, name: field) {
        out[field] = "\(q.value)"
      }
    }
    return out
  }

  static func isMissingColumn(_ e: InterchangeError) -> Bool {
    if case .missingColumn = e { return true }
    return false
  }

  /// The error sentence with the file's column name next to the field name.
  static func reason(_ e: InterchangeError, _ columnOf: [String: String]) -> String {
    func named(_ field: String) -> String {
      if let column = columnOf[field], column != field { return "column '\(column)' (\(field))" }
      return "column '\(field)'"
    }
    switch e {
    case .missingColumn(let f):
      return "there is no column for '\(f)'; add one or map it with --columns \(f)=COLUMN."
    case .emptyValue(let f):
      return
        "\(named(f == "loss" ? "final_validation_loss" : f)) is empty; every run needs a value there."
    case .notNumeric(let f, let t):
      return "\(named(f)) must be a number, found '\(t)'."
    case .notPositive(let f, let t):
      return "\(named(f)) must be greater than zero, found '\(t)'."
    case .invalidValue(let f, let t, let expected):
      return "\(named(f)) must be \(expected), found '\(t)'."
    }
  }
}
