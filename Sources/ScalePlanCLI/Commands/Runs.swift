// `scaleplan runs list|show|export|import|delete`: flags → `Engine.runsList` / `runsShow` /
// `runsExport` / `runsImport` / `runsDelete` → a table, JSON or the exported file.

import ArgumentParser
import UseCases
import Foundation
import Lab
import Planner
import RunStore

/// `--db PATH`: the run database (default `$XDG_DATA_HOME/scaleplan/runs.sqlite`).
public struct DatabaseOptions: ParsableArguments {
  @Option(
    name: .long,
    help: "The run database (default $XDG_DATA_HOME/scaleplan/runs.sqlite, created on demand).")
  public var db: String?

  public init() {}

  /// The database path to use.
  public var path: String { db ?? RunDatabase.defaultPath() }

  /// Opens (creating on demand) the database.
  public func open() throws -> RunDatabase { try RunDatabase(path: path) }

  /// Opens the database read-only (SQLite's read-only flag), for commands that only read; a
  /// database that does not exist reads as empty and is not created.
  public func openForReading() throws -> RunDatabase { try RunDatabase(path: path, mode: .readOnly) }
}

/// `scaleplan runs`.
public struct RunsCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "runs", abstract: "List, show, export, import and delete stored training runs.",
    subcommands: [
      RunsListCommand.self, RunsShowCommand.self, RunsExportCommand.self,
      RunsImportCommand.self, RunsDeleteCommand.self,
    ],
    defaultSubcommand: RunsListCommand.self)
  public init() {}
}

/// Shared rendering of runs.
enum RunRendering {
  /// A run as a JSON object with the export field names (snake_case, sorted on output).
  static func object(_ run: RunRecord) -> [String: FieldValue] { RunFields.object(run) }

  static func modelText(_ r: RunRecord) -> String {
    guard let m = r.model else { return "-" }
    return "\(m.layers)×\(m.dModel)/\(m.heads)h ctx\(m.context)"
  }

  static func loss(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "-" }

  static func table(_ runs: [RunRecord]) -> TextTable {
    var t = TextTable(header: [
      "id", "sweep", "status", "model", "N", "D", "FLOPs", "val loss", "train loss", "tok/s",
      "created",
    ])
    for r in runs {
      t.add([
        String(r.id ?? 0), r.sweepId.map { "\($0)/\(r.sweepSlot.map(String.init) ?? "-")" } ?? "-",
        r.status.rawValue, modelText(r), Format.si(r.nonEmbeddingParams),
        Format.si(r.tokensTrained), r.flops.map { Format.scientific($0) } ?? "-",
        loss(r.finalValidationLoss), loss(r.finalTrainLoss),
        r.tokensPerSecond.map { Format.si($0) } ?? "-", Timestamp.text(r.createdAt),
      ])
    }
    return t
  }
}

/// `scaleplan runs list`.
public struct RunsListCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List stored runs (all, one sweep's, or one status).")
  @OptionGroup public var database: DatabaseOptions
  @OptionGroup public var output: JSONOptions
  @Option(name: .long, help: "Only the runs of this sweep id.") public var sweep: Int64?
  @Option(name: .long, help: "Only runs in this state: running, finished, diverged, interrupted.")
  public var status: String?
  public init() {}

  public func validate() throws {
    try UsageCheck.run { _ = try RunsQuery(sweep: sweep, status: status).state() }
  }

  public func run() throws {
    let result = try Engine(databasePath: database.db).runsList(
      RunsQuery(sweep: sweep, status: status))
    let runs = result.runs
    if output.json {
      try JSONOutput.print(result)
    } else if runs.isEmpty {
      print("No runs in \(database.path).")
    } else {
      print(RunRendering.table(runs).render(), terminator: "")
    }
  }
}

/// `scaleplan runs show ID`.
public struct RunsShowCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Show one run with its loss curve.")
  @OptionGroup public var database: DatabaseOptions
  @OptionGroup public var output: JSONOptions
  @Argument(help: "The run id.") public var id: Int64
  public init() {}

  public func run() throws {
    let shown = try Engine(databasePath: database.db).runsShow(id: id)
    let (run, curve) = (shown.run, shown.curve)
    if output.json {
      try JSONOutput.print(shown)
      return
    }
    var t = TextTable(header: ["field", "value"])
    for f in RunInterchange.fields(of: run) where f.value != .null {
      t.add([f.name, f.value.cellText])
    }
    print(t.render(), terminator: "")
    let evals = curve.filter { $0.validationLoss != nil }
    print("\nLoss curve: \(curve.count) points, \(evals.count) with validation loss.")
    if !evals.isEmpty {
      var c = TextTable(header: ["step", "tokens", "train loss", "val loss", "lr", "elapsed s"])
      for p in evals {
        c.add([
          String(p.step), Format.si(Double(p.tokens)), RunRendering.loss(p.trainLoss),
          RunRendering.loss(p.validationLoss), Format.scientific(p.learningRate),
          String(format: "%.1f", p.elapsedSeconds),
        ])
      }
      print(c.render(), terminator: "")
    }
  }
}

/// `scaleplan runs export --csv F | --json F`.
public struct RunsExportCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write runs to CSV (runs only) or JSON lines (runs with their loss curves).")
  @OptionGroup public var database: DatabaseOptions
  @Option(name: .customLong("csv"), help: "Write CSV to this file ('-' for standard output).")
  public var csvPath: String?
  @Option(
    name: [.customLong("json"), .customLong("jsonl")],
    help: "Write JSON lines (one run per line, with its curve) to this file ('-' for stdout).")
  public var jsonPath: String?
  @Option(name: .long, help: "Only the runs of this sweep id.") public var sweep: Int64?
  @Flag(name: .long, help: "Replace FILE if it exists (never the database in use).")
  public var force = false
  public init() {}

  public func validate() throws {
    guard (csvPath == nil) != (jsonPath == nil) else {
      throw ValidationError("Give exactly one of --csv FILE or --json FILE.")
    }
  }

  public func run() throws {
    let engine = Engine(databasePath: database.db)
    let export = try engine.runsExport(
      RunsExportRequest(format: csvPath != nil ? "csv" : "jsonl", sweep: sweep))
    let path = csvPath ?? jsonPath ?? "-"
    if path == "-" {
      print(export.text, terminator: "")
      return
    }
    try engine.writeExport(export, to: path, force: force)
    print("Wrote \(export.count) runs to \(path).")
  }
}

/// `scaleplan runs import FILE [--columns params=N,tokens=D,loss=final_loss]`.
public struct RunsImportCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Import runs from CSV or JSON lines (this tool's exports or another trainer's).",
    discussion: """
      Required per run: params (non-embedding N), tokens (D) and loss (final validation loss). \
      Map other trainers' columns with --columns, e.g. params=N,tokens=D,loss=final_loss. \
      Files ending in .jsonl/.json are read as JSON lines, anything else as CSV. FLOPs default \
      to 6·N·D when the file has no flops column. All runs are imported or none.
      """)
  @OptionGroup public var database: DatabaseOptions
  @OptionGroup public var output: JSONOptions
  @Argument(help: "The file to import.") public var file: String
  @Option(name: .long, help: "FIELD=COLUMN pairs, e.g. params=N,tokens=D,loss=final_loss.")
  public var columns: String?
  public init() {}

  public func run() throws {
    let outcome = try Engine(databasePath: database.db).runsImport(file: file, columns: columns)
    let ids = outcome.ids
    if output.json {
      try JSONOutput.print([
        "imported": ids.count, "first_id": ids.first.map(Int.init) ?? 0,
        "skipped": outcome.skipped,
      ])
    } else {
      let skipped =
        outcome.skipped == 0
        ? "" : "; \(outcome.skipped) already in the database (same configuration, seed and losses)"
      print(
        ids.isEmpty
          ? "Imported no runs into \(database.path)\(skipped)."
          : "Imported \(ids.count) runs (ids \(ids.first ?? 0)–\(ids.last ?? 0)) into \(database.path)\(skipped)."
      )
    }
  }
}

/// `scaleplan runs delete ID…`.
public struct RunsDeleteCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "delete", abstract: "Delete runs and their loss curves.")
  @OptionGroup public var database: DatabaseOptions
  @OptionGroup public var output: JSONOptions
  @Argument(help: "Run ids.") public var ids: [Int64]
  public init() {}

  public func validate() throws {
    guard !ids.isEmpty else { throw ValidationError("Give at least one run id to delete.") }
  }

  public func run() throws {
    let n = try Engine(databasePath: database.db).runsDelete(ids: ids)
    if output.json {
      try JSONOutput.print(["deleted": n])
    } else {
      print("Deleted \(n) run\(n == 1 ? "" : "s").")
    }
  }
}
