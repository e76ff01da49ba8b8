// The run store on the use-case layer: list, show, export, import and delete stored runs. Reading
// opens the database read-only (a missing database reads as empty and is not created); import
// and delete open it for writing. Export never overwrites the database it reads, nor a file it
// did not create unless asked (`RunStore.OutputFile`).

import Foundation
import Lab
import RunStore

/// Which runs to list or export.
public struct RunsQuery: Codable, Sendable, Equatable {
  /// Only the runs of this sweep id.
  public var sweep: Int64?
  /// Only runs in this state: running, finished, diverged or interrupted.
  public var status: String?

  /// Creates a query; nil fields do not filter.
  public init(sweep: Int64? = nil, status: String? = nil) {
    self.sweep = sweep
    self.status = status
  }

  /// The state asked for.
  /// - Throws: `RequestError.invalid` for an unknown state.
  public func state() throws -> RunState? {
    guard let status else { return nil }
    guard let s = RunState(rawValue: status) else {
      throw RequestError.invalid(
        "--status '\(status)' is unknown; use running, finished, diverged or interrupted.")
    }
    return s
  }
}

/// Stored runs. Encodes as an array of run objects with the export field names.
public struct RunsListResult: Encodable, Sendable {
  /// The runs, by id.
  public var runs: [RunRecord]

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.unkeyedContainer()
    for r in runs { try c.encode(FieldObject(RunFields.object(r), nil)) }
  }
}

/// One stored run with its loss curve.
public struct RunShowResult: Encodable, Sendable {
  public var run: RunRecord
  public var curve: [StoredLossPoint]

  enum CodingKeys: String, CodingKey { case run, curve }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(FieldObject(RunFields.object(run), nil), forKey: .run)
    var points = c.nestedUnkeyedContainer(forKey: .curve)
    for p in curve {
      try points.encode([
        "step": FieldValue.int(Int64(p.step)), "tokens": .int(Int64(p.tokens)),
        "train_loss": .double(p.trainLoss),
        "validation_loss": p.validationLoss.map(FieldValue.double) ?? .null,
        "learning_rate": .double(p.learningRate), "elapsed_seconds": .double(p.elapsedSeconds),
      ])
    }
  }
}

/// Exporting runs: CSV (runs only) or JSON lines (runs with their curves).
public struct RunsExportRequest: Codable, Sendable, Equatable {
  /// `csv` or `jsonl`.
  public var format: String
  /// Only the runs of this sweep id.
  public var sweep: Int64?

  /// Creates a request.
  public init(format: String, sweep: Int64? = nil) {
    self.format = format
    self.sweep = sweep
  }
}

/// The exported text and how many runs it holds.
public struct RunsExportResult: Sendable {
  public var text: String
  public var count: Int
}

/// What an import added.
public struct RunsImportResult: Codable, Sendable, Equatable {
  /// Ids of the runs added, in file order.
  public var ids: [Int64]
  /// Runs already in the database (same configuration, seed and losses), not added again.
  public var skipped: Int
}

extension Engine {
  /// The run database, opened for writing (created on demand).
  func openStore() throws -> RunDatabase { try RunDatabase(path: databasePath ?? RunDatabase.defaultPath()) }

  /// The run database, opened read-only.
  func openStoreForReading() throws -> RunDatabase {
    try RunDatabase(path: databasePath ?? RunDatabase.defaultPath(), mode: .readOnly)
  }

  /// Stored runs matching the query.
  /// - Throws: `RequestError` for an unknown state, `RunStoreError` from the database.
  public func runsList(_ query: RunsQuery) throws -> RunsListResult {
    let state = try query.state()
    return RunsListResult(runs: try openStoreForReading().runs(sweepId: query.sweep, status: state))
  }

  /// One run and its curve.
  /// - Throws: `RunStoreError.runNotFound` for an unknown id.
  public func runsShow(id: Int64) throws -> RunShowResult {
    let store = try openStoreForReading()
    guard let run = try store.run(id: id) else { throw RunStoreError.runNotFound(id) }
    return RunShowResult(run: run, curve: try store.lossCurve(runId: id))
  }

  /// Runs as CSV or JSON lines (the interchange of `RunInterchange`).
  /// - Throws: `RequestError` for an unknown format, `RunStoreError` from the database.
  public func runsExport(_ request: RunsExportRequest) throws -> RunsExportResult {
    let store = try openStoreForReading()
    let runs = try store.runs(sweepId: request.sweep)
    switch request.format {
    case "csv":
      return RunsExportResult(text: RunInterchange.csv(runs), count: runs.count)
    case "jsonl", "json":
      let withCurves = try runs.map { r in (run: r, curve: try store.lossCurve(runId: r.id ?? 0)) }
      return RunsExportResult(text: try RunInterchange.jsonLines(withCurves), count: runs.count)
    default:
      throw RequestError.invalid("Export format '\(request.format)' is unknown; use csv or jsonl.")
    }
  }

  /// Writes an export to `path`, refusing the database itself and, without `force`, any file
  /// that exists.
  /// - Throws: `RunStoreError` / `OutputFileError` with one sentence.
  public func writeExport(_ export: RunsExportResult, to path: String, force: Bool) throws {
    try OutputFile.write(
      export.text, to: path, force: force,
      protecting: [databasePath ?? RunDatabase.defaultPath()])
  }

  /// Imports every run of a file (this tool's CSV or JSON-lines export, or another trainer's
  /// table through `columns`, e.g. `params=N,tokens=D,loss=final_loss`); all or none.
  /// - Throws: `ImportError` (file and line), `CatalogError` for malformed CSV, `RunStoreError`.
  public func runsImport(file: String, columns: String?) throws -> RunsImportResult {
    let mapping = try columns.map(Lab.ColumnMapping.parse) ?? Lab.ColumnMapping()
    let runs = try RunImport.read(path: file, mapping: mapping, createdAt: Date())
    let outcome = try openStore().importRuns(runs)
    return RunsImportResult(ids: outcome.ids, skipped: outcome.skipped)
  }

  /// Deletes runs and their curves; every id must exist, or nothing is deleted.
  /// - Returns: the number deleted.
  /// - Throws: `RunStoreError.runNotFound` naming the first unknown id.
  public func runsDelete(ids: [Int64]) throws -> Int {
    guard !ids.isEmpty else { throw RequestError.invalid("Give at least one run id to delete.") }
    let store = try openStore()
    for id in ids where try store.run(id: id) == nil { throw RunStoreError.runNotFound(id) }
    return try store.deleteRuns(ids: ids)
  }
}
