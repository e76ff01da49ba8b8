// `scaleplan runs list|show|export|import|delete`: the run store from the command line.

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
  public var path: String { db ?? RunStore.defaultPath() }

  /// Opens (creating on demand) the database.
  public func open() throws -> RunStore { try RunStore(path: path) }

  /// Opens the database read-only (SQLite's read-only flag), for commands that only read; a
  /// database that does not exist reads as empty and is not created.
  public func openForReading() throws -> RunStore { try RunStore(path: path, mode: .readOnly) }
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
  static func object(_ run: RunRecord) -> [String: FieldValue] {
    Dictionary(uniqueKeysWithValues: RunInterchange.fields(of: run).map { ($0.name, $0.value) })
  }

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

  public func run() throws {
    var state: RunState? = nil
    if let status {
      guard let s = RunState(rawValue: status) else {
        throw ValidationError(
          "--status '\(status)' is unknown; use running, finished, diverged or interrupted.")
      }
      state = s
    }
    let store = try database.openForReading()
    let runs = try store.runs(sweepId: sweep, status: state)
    if output.json {
      try JSONOutput.print(runs.map(RunRendering.object))
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

  struct Shown: Encodable {
    var run: [String: FieldValue]
    var curve: [StoredLossPoint]
    enum CodingKeys: String, CodingKey { case run, curve }
    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(run, forKey: .run)
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

  public func run() throws {
    let store = try database.openForReading()
    guard let run = try store.run(id: id) else { throw RunStoreError.runNotFound(id) }
    let curve = try store.lossCurve(runId: id)
    if output.json {
      try JSONOutput.print(Shown(run: RunRendering.object(run), curve: curve))
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
    let store = try database.openForReading()
    let runs = try store.runs(sweepId: sweep)
    let text: String
    let path: String
    if let csvPath {
      text = RunInterchange.csv(runs)
      path = csvPath
    } else {
      let withCurves = try runs.map { r in (run: r, curve: try store.lossCurve(runId: r.id ?? 0)) }
      text = try RunInterchange.jsonLines(withCurves)
      path = jsonPath ?? "-"
    }
    if path == "-" {
      print(text, terminator: "")
      return
    }
    try OutputFile.write(text, to: path, force: force, protecting: [database.path])
    print("Wrote \(runs.count) runs to \(path).")
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
    let mapping = try columns.map(ColumnMapping.parse) ?? ColumnMapping()
    let runs = try RunImport.read(path: file, mapping: mapping, createdAt: Date())
    let store = try database.open()
    let outcome = try store.importRuns(runs)
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
    let store = try database.open()
    for id in ids where try store.run(id: id) == nil { throw RunStoreError.runNotFound(id) }
    let n = try store.deleteRuns(ids: ids)
    if output.json {
      try JSONOutput.print(["deleted": n])
    } else {
      print("Deleted \(n) run\(n == 1 ? "" : "s").")
    }
  }
}
