// `scaleplan sweep` (run or resume a sweep) and `scaleplan sweep plan` (write the configurations
// for an external trainer).

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
  @Option(name: .long, help: "quick (6 isoFLOP runs), standard (20) or full (41).")
  public var preset: SweepPreset?
  @Option(name: .long, help: "isoflop or grid (not needed with --preset).")
  public var kind: SweepKind?
  @Option(name: .long, help: "isoFLOP compute budgets in FLOPs, e.g. 3e11,1e12,3e12.")
  public var budgets: String?
  @Option(name: .long, help: "isoFLOP model sizes per budget.") public var sizes: Int = 7
  @Option(name: .long, help: "isoFLOP ratio of the largest to the smallest N per budget.")
  public var span: Double = 16
  @Option(name: .long, help: "isoFLOP centre: D = this × N (20, the Chinchilla rule of thumb).")
  public var tokensPerParam: Double = 20
  @Option(name: .long, help: "Grid target parameter counts N, e.g. 12K,40K,150K.")
  public var params: String?
  @Option(name: .long, help: "Grid token counts D, e.g. 1M,2M.") public var tokens: String?
  @Option(name: .long, help: "Sequences per step.") public var batch: Int = 32
  @Option(name: .customLong("ctx"), help: "Context length.") public var context: Int = 64
  @Option(name: .long, help: "Training seed.") public var seed: UInt64 = 1
  @Option(name: .customLong("lr"), help: "One peak learning rate for all runs (default: table).")
  public var learningRate: Double?
  @Option(name: .long, help: "Validation every N steps.") public var evalEvery: Int = 250
  @Option(name: .long, help: "Validation windows per evaluation.") public var evalWindows: Int =
    1024
  @Option(name: .long, help: "Skip runs with fewer steps (data/synthetic-corpus.md: about 500).")
  public var minSteps: Int = SweepSpec.defaultMinimumSteps
  @OptionGroup public var corpus: CorpusOptions

  public init() {}

  /// True when no sweep was described (only meaningful with --resume).
  var isEmpty: Bool { preset == nil && kind == nil && budgets == nil && params == nil }

  /// The spec these options describe.
  /// - Throws: `ValidationError` for contradictory or malformed options.
  public func spec() throws -> SweepSpec {
    let kind: SweepKind
    if preset != nil {
      guard self.kind == nil || self.kind == .preset else {
        throw ValidationError("--preset cannot be combined with --kind; drop one.")
      }
      kind = .preset
    } else if let k = self.kind {
      kind = k
    } else if budgets != nil {
      kind = .isoflop
    } else if params != nil || tokens != nil {
      kind = .grid
    } else {
      throw ValidationError(
        "Say what to sweep: --preset quick|standard|full, --kind isoflop --budgets …, or --kind grid --params … --tokens …."
      )
    }
    if kind == .preset && preset == nil {
      throw ValidationError("--kind preset needs --preset quick|standard|full.")
    }
    guard evalEvery >= 1, evalWindows >= 1 else {
      throw ValidationError("--eval-every and --eval-windows must be at least 1.")
    }
    guard evalWindows <= 1_000_000 else {
      throw ValidationError("--eval-windows must be at most 1000000, got \(evalWindows).")
    }
    if let lr = learningRate, !(lr.isFinite && lr > 0) {
      throw ValidationError("--lr must be a positive finite number, got \(lr).")
    }
    return SweepSpec(
      kind: kind, preset: preset,
      budgets: try budgets.map { try quantityList($0, name: "--budgets") } ?? [], sizes: sizes,
      span: span, tokensPerParam: tokensPerParam,
      params: try params.map { try quantityList($0, name: "--params") } ?? [],
      tokens: try tokens.map { try quantityList($0, name: "--tokens") } ?? [], batch: batch,
      context: context, corpus: try corpus.spec(), seed: seed, evalEvery: evalEvery,
      evalWindows: evalWindows, minimumSteps: minSteps, learningRate: learningRate)
  }
}

extension SweepPreset: ExpressibleByArgument {}
extension SweepKind: ExpressibleByArgument {}

/// Shared rendering of planned runs.
enum PlanRendering {
  static let csvHeader = [
    "slot", "label", "layers", "d_model", "heads", "context", "vocab", "batch", "tokens", "steps",
    "learning_rate", "seed", "target_params", "non_embedding_params", "params_error",
    "total_params", "budget", "flops", "too_short", "learning_rate_source",
  ]

  static func values(_ p: PlannedRun) -> [FieldValue] {
    [
      .int(Int64(p.slot)), .text(p.label), .int(Int64(p.model.layers)),
      .int(Int64(p.model.dModel)), .int(Int64(p.model.heads)), .int(Int64(p.model.context)),
      .int(Int64(p.model.vocab)), .int(Int64(p.train.batch)), .int(Int64(p.tokens)),
      .int(Int64(p.steps)), .double(p.train.learningRate),
      // A seed above Int64.max is written as text, as the run store's interchange does.
      p.train.seed <= UInt64(Int64.max) ? .int(Int64(p.train.seed)) : .text(String(p.train.seed)),
      .double(p.targetParams), .double(p.achievedParams), .double(p.paramsError),
      .int(Int64(p.model.totalParams)), p.budget.map(FieldValue.double) ?? .null,
      .double(p.flops), .bool(p.tooShort), .text(p.learningRateSource),
    ]
  }

  static func object(_ p: PlannedRun) -> [String: FieldValue] {
    Dictionary(uniqueKeysWithValues: zip(csvHeader, values(p)).map { ($0, $1) })
  }

  static func csv(_ runs: [PlannedRun]) -> String {
    var out = csvHeader.joined(separator: ",") + "\n"
    for p in runs {
      out +=
        values(p).map { v in
          let t = v.cellText
          return t.contains(",") || t.contains("\"")
            ? "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : t
        }.joined(separator: ",") + "\n"
    }
    return out
  }

  /// `--explain` in text mode: one row's derivation (every row follows the same steps; `--json
  /// --explain` gives each row its own).
  static func explanationText(_ plan: SweepPlan, _ run: PlannedRun, count: Int) -> String {
    "\nHow each row is derived"
      + (count > 1 ? ", shown for slot \(run.slot) (\(run.label)); --json --explain gives every row's:" : ":")
      + "\n" + plan.explanation(for: run).render()
  }

  static func table(_ runs: [PlannedRun]) -> TextTable {
    var t = TextTable(header: [
      "slot", "run", "shape", "N target", "N", "error", "D", "steps", "lr", "C", "note",
    ])
    for p in runs {
      t.add([
        String(p.slot), p.label, "\(p.model.layers)×\(p.model.dModel)/\(p.model.heads)h",
        Format.si(p.targetParams), Format.si(p.achievedParams),
        String(format: "%+.1f%%", 100 * p.paramsError), Format.si(Double(p.tokens)),
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
  }

  public func run() throws {
    let plan = try SweepPlan(spec: try sweep.spec())
    let runs = includeShort || emit == nil ? plan.runs : plan.runnable
    switch emit {
    case "csv":
      print(PlanRendering.csv(runs), terminator: "")
    case "json":
      try JSONOutput.print(runs.map(PlanRendering.object))
    case nil:
      if output.json {
        try JSONOutput.print(
          runs.map {
            ObjectWithExplanation(
              PlanRendering.object($0), output.explain ? plan.explanation(for: $0) : nil)
          })
      } else {
        print(PlanRendering.table(runs).render(), terminator: "")
        let skipped = plan.skipped.count
        print(
          "\(plan.runnable.count) runs, \(Format.scientific(plan.runnable.map(\.flops).reduce(0, +), digits: 3)) FLOPs"
            + (skipped > 0 ? "; \(skipped) skipped (< \(plan.spec.minimumSteps) steps)." : "."))
        if output.explain, let first = runs.first {
          print(PlanRendering.explanationText(plan, first, count: runs.count), terminator: "")
        }
      }
    case let other?:
      throw ValidationError("--emit '\(other)' is unknown; use csv or json.")
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

  struct Row: Encodable {
    var id: Int64
    var name: String
    var kind: String
    var status: String
    var runs_done: Int
    var runs_planned: Int?
    var created_at: String
  }

  public func run() throws {
    let store = try database.openForReading()
    var rows: [Row] = []
    for s in try store.sweeps() {
      let runs = try store.runs(sweepId: s.id)
      let done = Set(
        runs.filter { $0.status == .finished || $0.status == .diverged }.compactMap(\.sweepSlot))
      let planned = try? SweepPlan.stored(in: s)
      rows.append(
        Row(
          id: s.id ?? 0, name: s.name, kind: s.kind, status: s.status.rawValue,
          runs_done: done.count, runs_planned: planned?.runnable.count,
          created_at: Timestamp.text(s.createdAt)))
    }
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
        "\(r.runs_done)/\(r.runs_planned.map(String.init) ?? "?")", r.created_at,
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
    let store = try database.open()
    let spec: SweepSpec? = resume != nil && sweep.isEmpty ? nil : try sweep.spec()
    // A sweep given by its spec is planned and checked before its row is stored, so a refused
    // plan leaves nothing behind; a sweep with that spec's name is only opened if its stored spec
    // equals it, so the plan stands. `--resume ID` plans from the stored spec.
    let planned = try spec.map { try SweepPlan(spec: $0) }
    if let planned { try Self.checkTrainable(planned) }
    let (record, resumed) = try SweepRunner.openSweep(
      spec: spec, name: name, resumeId: resume, store: store, now: Date())
    let plan = try planned ?? SweepPlan.stored(in: record)
    if planned == nil { try Self.checkTrainable(plan) }
    let line = ProgressLine()
    let watcher = InterruptWatcher()
    defer { watcher.cancel() }
    let total = plan.runnable.count
    line.message(
      (resumed ? "Resuming" : "Starting")
        + " sweep \(record.id ?? 0) '\(record.name)': \(total) runs, "
        + "\(Format.scientific(plan.runnable.map(\.flops).reduce(0, +), digits: 3)) FLOPs"
        + (plan.skipped.isEmpty ? "" : ", \(plan.skipped.count) skipped (too few steps)") + ".")
    let tracker = SweepTracker(plan: plan, line: line)
    let outcome = try SweepRunner.run(
      plan: plan, sweep: record, resumed: resumed, store: store, jobs: jobs,
      stop: watcher.flag,
      runner: SweepRunner.miniGPTRunner(store: store, now: { Date() }),
      onEvent: { tracker.handle($0) })
    line.finish()
    if output.json {
      try JSONOutput.print(Self.json(outcome, record: record, plan: plan, explain: output.explain))
    } else {
      print(Self.table(outcome, plan: plan).render(), terminator: "")
      print("Sweep \(outcome.sweepId) '\(record.name)': \(outcome.status.rawValue).")
      if output.explain, let first = plan.runnable.first {
        print(
          PlanRendering.explanationText(plan, first, count: plan.runnable.count), terminator: "")
      }
    }
    if outcome.status != .finished {
      line.message(
        "Sweep \(outcome.sweepId) stopped; run 'scaleplan sweep --resume \(outcome.sweepId)' to finish it."
      )
      throw ExitCode(watcher.exitStatus)
    }
  }

  /// Refuses a plan with a run MiniGPT cannot train (N ≥ 2³⁰, `GPTConfig.validate`).
  static func checkTrainable(_ plan: SweepPlan) throws {
    if let big = plan.runnable.first(where: { (try? $0.model.validate()) == nil }) {
      throw ValidationError(
        "Run \(big.label) (\(big.model.layers)×\(big.model.dModel), N = "
          + "\(Format.si(big.achievedParams))) is beyond what MiniGPT trains here; write the "
          + "configurations for your own trainer with 'scaleplan sweep plan … --emit csv'.")
    }
  }

  static func table(_ o: SweepOutcome, plan: SweepPlan) -> TextTable {
    var t = TextTable(header: [
      "slot", "run", "id", "status", "N", "D", "FLOPs", "val loss", "note",
    ])
    for p in plan.runnable {
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

  struct Output: Encodable {
    var sweep_id: Int64
    var name: String
    var status: String
    var resumed: Bool
    var runs: [ObjectWithExplanation]
  }

  static func json(_ o: SweepOutcome, record: SweepRecord, plan: SweepPlan, explain: Bool)
    -> Output
  {
    Output(
      sweep_id: o.sweepId, name: record.name, status: o.status.rawValue, resumed: o.resumed,
      runs: plan.runnable.compactMap { p in
        o.runs[p.slot].map { r in
          var obj = RunRendering.object(r)
          obj["label"] = .text(p.label)
          obj["kept"] = .bool(o.keptSlots.contains(p.slot))
          return ObjectWithExplanation(obj, explain ? plan.explanation(for: p) : nil)
        }
      })
  }
}

/// Whole-sweep progress: runs done, the runs in flight, and an ETA from the FLOP rate so far.
final class SweepTracker: Sendable {
  struct State {
    var done = 0
    var doneFLOPs = 0.0
    var keptFLOPs = 0.0
    var live: [Int: (label: String, step: Int, steps: Int, loss: Double)] = [:]
  }
  let state = Mutex(State())
  let line: ProgressLine
  let total: Int
  let totalFLOPs: Double
  let flopsBySlot: [Int: Double]
  let start = Date()

  init(plan: SweepPlan, line: ProgressLine) {
    self.line = line
    total = plan.runnable.count
    totalFLOPs = plan.runnable.map(\.flops).reduce(0, +)
    flopsBySlot = Dictionary(uniqueKeysWithValues: plan.runnable.map { ($0.slot, $0.flops) })
  }

  func handle(_ event: SweepEvent) {
    switch event {
    case .kept(let p, let r):
      state.withLock {
        $0.done += 1
        $0.doneFLOPs += flopsBySlot[p.slot] ?? 0
        $0.keptFLOPs += flopsBySlot[p.slot] ?? 0
      }
      line.message("kept   \(p.label): run \(r.id ?? 0), \(r.status.rawValue)")
    case .started(let p, _, _):
      state.withLock { $0.live[p.slot] = (p.label, 0, p.steps, .nan) }
    case .progress(let p, let progress):
      let text: String = state.withLock { s in
        s.live[p.slot] = (p.label, progress.step, progress.steps, progress.trainLoss)
        return render(s)
      }
      line.update(text)
    case .ended(let p, let r):
      state.withLock { s in
        s.live[p.slot] = nil
        if r.status != .interrupted {
          s.done += 1
          s.doneFLOPs += flopsBySlot[p.slot] ?? 0
        }
      }
      line.message(
        "\(r.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(p.label): run "
          + "\(r.id ?? 0), val loss \(RunRendering.loss(r.finalValidationLoss))")
    }
  }

  private func render(_ s: State) -> String {
    var flops = s.doneFLOPs
    var parts: [String] = []
    for (slot, l) in s.live.sorted(by: { $0.key < $1.key }) {
      flops += (flopsBySlot[slot] ?? 0) * Double(l.step) / Double(max(l.steps, 1))
      parts.append("\(l.label) \(l.step)/\(l.steps) " + String(format: "%.3f", l.loss))
    }
    let elapsed = Date().timeIntervalSince(start)
    let rate = (flops - s.keptFLOPs) / max(elapsed, 1e-9)
    let eta = rate > 0 ? (totalFLOPs - flops) / rate : .infinity
    return "sweep \(s.done)/\(total) done · " + parts.joined(separator: " · ") + " · ETA "
      + durationText(eta)
  }
}
