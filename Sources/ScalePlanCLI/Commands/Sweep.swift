// `scaleplan sweep` (run or resume a sweep), `sweep plan` (the configurations, for this machine or
// an external trainer) and `sweep list`: flags → `SweepSpecRequest` → `Engine.sweepRun` /
// `sweepPlan` / `sweepList` → progress on stderr, then a table or JSON.

import ArgumentParser
import UseCases
import Foundation
import Lab
import MiniGPT
import Planner
import RunStore
import Synchronization

/// `scaleplan sweep [run] …` and `scaleplan sweep plan …`.
public struct SweepCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "sweep", abstract: "Plan and run scaling sweeps (isoFLOP, grid, presets).",
    subcommands: [SweepRunCommand.self, SweepPlanCommand.self, SweepListCommand.self],
    defaultSubcommand: SweepRunCommand.self)
  public init() {}
}

/// What to sweep: a preset, an isoFLOP set or a grid, plus the shared training settings.
public struct SweepSpecOptions: ParsableArguments {
  private typealias D = SweepSpecRequest.Defaults
  @Option(name: .long, help: "quick (6 isoFLOP runs), standard (20) or full (41).")
  public var preset: SweepPreset?
  @Option(name: .long, help: "isoflop or grid (not needed with --preset).")
  public var kind: SweepKind?
  @Option(name: .long, help: "isoFLOP compute budgets in FLOPs, e.g. 3e11,1e12,3e12.")
  public var budgets: String?
  @Option(name: .long, help: "isoFLOP model sizes per budget (default \(D.sizes)).")
  public var sizes: Int?
  @Option(name: .long, help: "isoFLOP ratio of the largest to the smallest N per budget (default 16).")
  public var span: Double?
  @Option(
    name: .long, help: "isoFLOP centre: D = this × N (default 20, the Chinchilla rule of thumb).")
  public var tokensPerParam: Double?
  @Option(name: .long, help: "Grid target parameter counts N, e.g. 12K,40K,150K.")
  public var params: String?
  @Option(name: .long, help: "Grid token counts D, e.g. 1M,2M.") public var tokens: String?
  @Option(name: .long, help: "Sequences per step (default \(D.batch)).") public var batch: Int?
  @Option(name: .customLong("ctx"), help: "Context length (default \(D.context)).")
  public var context: Int?
  @Option(name: .long, help: "Training seed (default \(D.seed)).") public var seed: UInt64?
  @Option(name: .customLong("lr"), help: "One peak learning rate for all runs (default: table).")
  public var learningRate: Double?
  @Option(name: .long, help: "Validation every N steps (default \(D.evalEvery)).")
  public var evalEvery: Int?
  @Option(name: .long, help: "Validation windows per evaluation (default \(D.evalWindows)).")
  public var evalWindows: Int?
  @Option(
    name: .long,
    help: "Skip runs with fewer optimizer steps (default \(D.minSteps); data/synthetic-corpus.md: shorter runs sit off the curve).")
  public var minSteps: Int?
  @OptionGroup public var corpus: CorpusOptions

  public init() {}

  /// True when no sweep was described (only meaningful with --resume).
  var isEmpty: Bool { preset == nil && kind == nil && budgets == nil && params == nil }

  /// The request these options describe.
  /// - Throws: `ValidationError` for text that is not a list of quantities or a bad corpus.
  public func request() throws -> SweepSpecRequest {
    SweepSpecRequest(
      preset: preset, kind: kind, budgets: try budgets.map { try quantityList($0, name: "--budgets") },
      sizes: sizes, span: span, tokensPerParam: tokensPerParam,
      params: try params.map { try quantityList($0, name: "--params") },
      tokens: try tokens.map { try quantityList($0, name: "--tokens") }, batch: batch,
      context: context, seed: seed, learningRate: learningRate, evalEvery: evalEvery,
      evalWindows: evalWindows, minSteps: minSteps,
      corpus: try corpus.spec())
  }
}

extension SweepPreset: ExpressibleByArgument {}
extension SweepKind: ExpressibleByArgument {}

/// Shared rendering of planned runs.
enum PlanRendering {
  /// `--explain` in text mode: one row's derivation (every row follows the same steps; `--json
  /// --explain` gives each row its own).
  static func explanationText(_ run: PlannedRun, _ explanation: Explanation, count: Int) -> String {
    "\nHow each row is derived"
      + (count > 1 ? ", shown for slot \(run.slot) (\(run.label)); --json --explain gives every row's:" : ":")
      + "\n" + explanation.render()
  }

  static func table(_ runs: [PlannedRun]) -> TextTable {
    var t = TextTable(header: [
      "slot", "run", "shape", "N target", "N", "error", "D", "steps", "lr", "C", "note",
    ])
    for p in runs {
      t.add([
        String(p.slot), p.label, "\(p.model.layers)×\(p.model.dModel)/\(p.model.heads)h",
        Format.si(p.targetParams), Format.si(p.achievedParams),
        Format.signedPercent(p.paramsError), Format.si(Double(p.tokens)),
        String(p.steps), Format.scientific(p.train.learningRate, digits: 2),
        Format.scientific(p.flops, digits: 2), p.tooShort ? "skipped: too few steps" : "",
      ])
    }
    return t
  }
}

/// `scaleplan sweep plan … [--emit csv|json]`.
public struct SweepPlanCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Print a sweep's configurations (for this machine or an external trainer).")
  @OptionGroup public var sweep: SweepSpecOptions
  @OptionGroup public var output: OutputOptions
  @Option(name: .long, help: "Write the configurations as csv or json instead of a table.")
  public var emit: String?
  @Flag(name: .long, help: "Include the runs flagged as too short.") public var includeShort = false
  public init() {}

  public func validate() throws {
    if emit != nil && output.explain {
      throw ValidationError(
        "--explain cannot be combined with --emit, which writes bare configurations; drop one.")
    }
    if emit != nil && output.json {
      throw ValidationError(
        "--json cannot be combined with --emit, which chooses the format itself; drop one.")
    }
    if let emit, emit != "csv" && emit != "json" {
      throw ValidationError("--emit '\(emit)' is unknown; use csv or json.")
    }
  }

  public func run() throws {
    // The table shows every planned run (the short ones marked); --emit writes runnable ones.
    let request = SweepPlanRequest(
      sweep: try sweep.request(), includeShort: includeShort || emit == nil)
    let result = try Engine().sweepPlan(request)
    switch emit {
    case "csv":
      print(SweepPlanRows.csv(result.runs), terminator: "")
    case "json":
      try JSONOutput.print(result.withoutExplanation())
    default:
      if output.json {
        try JSONOutput.print(output.explain ? result : result.withoutExplanation())
      } else {
        print(PlanRendering.table(result.runs).render(), terminator: "")
        let skipped = result.skippedCount
        print(
          "\(result.runnableCount) runs, \(Format.scientific(result.runnableFLOPs, digits: 3)) FLOPs"
            + (skipped > 0 ? "; \(skipped) skipped (< \(result.minimumSteps) steps)." : "."))
        if output.explain, let first = result.runs.first, let e = result.runExplanations?.first {
          print(PlanRendering.explanationText(first, e, count: result.runs.count), terminator: "")
        }
      }
    }
  }
}

/// `scaleplan sweep list`: stored sweeps with their progress.
public struct SweepListCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List stored sweeps (ids for --resume, names, progress).")
  @OptionGroup public var database: DatabaseOptions
  @OptionGroup public var output: JSONOptions
  public init() {}

  public func run() throws {
    let rows = try Engine(databasePath: database.db).sweepList()
    if output.json {
      try JSONOutput.print(rows)
      return
    }
    guard !rows.isEmpty else {
      print("No sweeps in \(database.path).")
      return
    }
    var t = TextTable(header: ["id", "name", "kind", "status", "runs", "created"])
    for r in rows {
      t.add([
        String(r.id), r.name, r.kind, r.status,
        "\(r.runsDone)/\(r.runsPlanned.map(String.init) ?? "?")", r.createdAt,
      ])
    }
    print(t.render(), terminator: "")
  }
}

/// `scaleplan sweep [run] --preset quick | --kind isoflop --budgets … | --kind grid …`.
public struct SweepRunCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Run (or resume) a sweep and store its runs.",
    discussion: """
      Re-running the same sweep (same options, or the same --name, or --resume ID) keeps its \
      finished and diverged runs and redoes the rest; runs are deterministic for a seed, so the \
      result equals an uninterrupted sweep. --jobs 2 trains two runs at once with one thread \
      each; --jobs 1 gives both threads to one run.
      """)
  @OptionGroup public var sweep: SweepSpecOptions
  @OptionGroup public var database: DatabaseOptions
  @OptionGroup public var output: OutputOptions
  @Option(name: .long, help: "Runs trained at once: 1 (two threads each) or 2 (one thread each).")
  public var jobs: Int = 1
  @Option(name: .long, help: "Name of the sweep (default: derived from the options).")
  public var name: String?
  @Option(name: .long, help: "Resume the stored sweep with this id (its own plan is used).")
  public var resume: Int64?
  public init() {}

  var request: SweepRunRequest {
    get throws {
      SweepRunRequest(
        sweep: resume != nil && sweep.isEmpty ? SweepSpecRequest() : try sweep.request(),
        name: name, resume: resume, jobs: jobs)
    }
  }

  public func validate() throws {
    guard (1...2).contains(jobs) else {
      throw ValidationError("--jobs must be 1 or 2, got \(jobs).")
    }
    if resume != nil && (!sweep.isEmpty || name != nil) {
      throw ValidationError(
        "--resume uses the sweep's stored plan; drop --preset, --kind, --budgets, --params and --name."
      )
    }
  }

  public func run() throws {
    let line = ProgressLine()
    let watcher = InterruptWatcher()
    defer { watcher.cancel() }
    let holder = TrackerHolder()
    let result = try Engine(databasePath: database.db).sweepRun(
      try request, stop: watcher.flag,
      started: { s in
        let total = s.plan.runnable.count
        line.message(
          (s.resumed ? "Resuming" : "Starting")
            + " sweep \(s.sweepId) '\(s.name)': \(total) runs, "
            + "\(Format.scientific(s.plan.runnable.map(\.flops).reduce(0, +), digits: 3)) FLOPs"
            + (s.plan.skipped.isEmpty ? "" : ", \(s.plan.skipped.count) skipped (too few steps)")
            + ".")
        holder.tracker.withLock { $0 = SweepTracker(plan: s.plan, line: line) }
      },
      event: { e in holder.tracker.withLock { $0 }?.handle(e) })
    line.finish()
    if output.json {
      try JSONOutput.print(output.explain ? result : result.withoutExplanation())
    } else {
      print(Self.table(result).render(), terminator: "")
      print("Sweep \(result.sweepId) '\(result.name)': \(result.status.rawValue).")
      if output.explain, let first = result.planned.first, let e = result.runExplanations?.first {
        print(
          PlanRendering.explanationText(first, e, count: result.planned.count), terminator: "")
      }
    }
    if result.status != .finished {
      for w in result.warnings { line.message(w) }
      throw ExitCode(watcher.exitStatus)
    }
  }

  static func table(_ o: SweepRunResult) -> TextTable {
    var t = TextTable(header: [
      "slot", "run", "id", "status", "N", "D", "FLOPs", "val loss", "note",
    ])
    for p in o.planned {
      let r = o.runs[p.slot]
      t.add([
        String(p.slot), p.label, r.map { String($0.id ?? 0) } ?? "-",
        r?.status.rawValue ?? "not done", Format.si(p.achievedParams), Format.si(Double(p.tokens)),
        Format.scientific(p.flops, digits: 2), RunRendering.loss(r?.finalValidationLoss),
        o.keptSlots.contains(p.slot) ? "kept" : "",
      ])
    }
    return t
  }
}

/// The tracker, created once the sweep's plan is known and read from worker threads.
final class TrackerHolder: Sendable {
  let tracker = Mutex<SweepTracker?>(nil)
}

/// Whole-sweep progress on one line (UseCases' `SweepProgress` keeps the count and the ETA).
final class SweepTracker: Sendable {
  let progress: Mutex<SweepProgress>
  let line: ProgressLine
  let start = Date()

  init(plan: SweepPlan, line: ProgressLine) {
    self.line = line
    progress = Mutex(SweepProgress(plan: plan))
  }

  func handle(_ event: SweepEvent) {
    let text: String? = progress.withLock { p in
      p.record(event)
      if case .progress = event { return render(p) }
      return nil
    }
    switch event {
    case .kept(let p, let r):
      line.message("kept   \(p.label): run \(r.id ?? 0), \(r.status.rawValue)")
    case .started:
      break
    case .progress:
      if let text { line.update(text) }
    case .ended(let p, let r):
      line.message(
        "\(r.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(p.label): run "
          + "\(r.id ?? 0), val loss \(RunRendering.loss(r.finalValidationLoss))")
    }
  }

  private func render(_ p: SweepProgress) -> String {
    let parts = p.running.map { "\($0.label) \($0.step)/\($0.steps) " + String(format: "%.3f", $0.loss) }
    let eta = p.secondsLeft(elapsed: Date().timeIntervalSince(start)).map(Format.duration) ?? "?"
    return "sweep \(p.done)/\(p.total) done · " + parts.joined(separator: " · ") + " · ETA " + eta
  }
}
