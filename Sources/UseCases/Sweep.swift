// Sweeps on the use-case layer: a sweep described by its options (`SweepSpecRequest`, defaults
// applied and checked here), planned (`Engine.sweepPlan`: the configurations, for this machine or
// an external trainer), run or resumed (`Engine.sweepRun`: MiniGPT runs recorded in the run store
// as they happen) and listed (`Engine.sweepList`). The planning itself is Lab's `SweepPlan`; the
// interchange rows an external trainer reads are `SweepPlanRows`.

import Foundation
import Lab
import MiniGPT
import Planner
import RunStore

/// What to sweep: a preset, an isoFLOP set or a grid, plus the shared training settings. Every
/// value left out takes its default (`Defaults`).
public struct SweepSpecRequest: Codable, Sendable, Equatable {
  /// quick (6 isoFLOP runs), standard (20) or full (41).
  public var preset: SweepPreset?
  /// isoflop or grid (not needed with a preset).
  public var kind: SweepKind?
  /// isoFLOP compute budgets in FLOPs.
  public var budgets: [Double]?
  /// isoFLOP model sizes per budget.
  public var sizes: Int?
  /// isoFLOP ratio of the largest to the smallest N per budget.
  public var span: Double?
  /// isoFLOP centre: D = this × N.
  public var tokensPerParam: Double?
  /// Grid target parameter counts N.
  public var params: [Double]?
  /// Grid token counts D.
  public var tokens: [Double]?
  public var batch: Int?
  public var context: Int?
  public var seed: UInt64?
  /// One peak learning rate for every run (default: the fitted per-size law).
  public var learningRate: Double?
  public var evalEvery: Int?
  public var evalWindows: Int?
  /// Runs with fewer optimizer steps are planned but skipped.
  public var minSteps: Int?
  /// The training text (default: the synthetic corpus's recommended lexicon).
  public var corpus: CorpusSpec?

  enum CodingKeys: String, CodingKey {
    case preset, kind, budgets, sizes, span, params, tokens, batch, context, seed, corpus
    case tokensPerParam = "tokens_per_param"
    case learningRate = "learning_rate"
    case evalEvery = "eval_every"
    case evalWindows = "eval_windows"
    case minSteps = "min_steps"
  }

  /// Creates a request; every value left out takes the default.
  public init(
    preset: SweepPreset? = nil, kind: SweepKind? = nil, budgets: [Double]? = nil,
    sizes: Int? = nil, span: Double? = nil, tokensPerParam: Double? = nil,
    params: [Double]? = nil, tokens: [Double]? = nil, batch: Int? = nil, context: Int? = nil,
    seed: UInt64? = nil, learningRate: Double? = nil, evalEvery: Int? = nil,
    evalWindows: Int? = nil, minSteps: Int? = nil, corpus: CorpusSpec? = nil
  ) {
    self.preset = preset
    self.kind = kind
    self.budgets = budgets
    self.sizes = sizes
    self.span = span
    self.tokensPerParam = tokensPerParam
    self.params = params
    self.tokens = tokens
    self.batch = batch
    self.context = context
    self.seed = seed
    self.learningRate = learningRate
    self.evalEvery = evalEvery
    self.evalWindows = evalWindows
    self.minSteps = minSteps
    self.corpus = corpus
  }

  /// The defaults: 7 sizes spanning 16× per budget around D = 20 N (the Chinchilla rule of thumb,
  /// Hoffmann et al. 2022, Table 3), batch 32 × ctx 64, seed 1, validation every 250 steps on
  /// 1,024 windows, runs under `SweepSpec.defaultMinimumSteps` steps skipped.
  public enum Defaults {
    public static let sizes = 7
    public static let span = 16.0
    public static let tokensPerParam = 20.0
    public static let batch = 32
    public static let context = 64
    public static let seed: UInt64 = 1
    public static let evalEvery = 250
    public static let evalWindows = 1_024
    public static var minSteps: Int { SweepSpec.defaultMinimumSteps }
    public static var corpus: CorpusSpec { TrainRequest.Defaults.corpus }
  }

  /// True when no sweep is described (only meaningful when resuming by id).
  public var isEmpty: Bool { preset == nil && kind == nil && budgets == nil && params == nil }

  /// The spec these values describe, checked.
  /// - Throws: `RequestError.invalid` for contradictory or out-of-range values.
  public func spec() throws -> SweepSpec {
    func invalid(_ s: String) -> RequestError { .invalid(s) }
    let kind: SweepKind
    if preset != nil {
      guard self.kind == nil || self.kind == .preset else {
        throw invalid("--preset cannot be combined with --kind; drop one.")
      }
      kind = .preset
    } else if let k = self.kind {
      kind = k
    } else if budgets != nil {
      kind = .isoflop
    } else if params != nil || tokens != nil {
      kind = .grid
    } else {
      throw invalid(
        "Say what to sweep: --preset quick|standard|full, --kind isoflop --budgets …, or --kind "
          + "grid --params … --tokens ….")
    }
    if kind == .preset && preset == nil {
      throw invalid("--kind preset needs --preset quick|standard|full.")
    }
    let d = Defaults.self
    let evalEvery = self.evalEvery ?? d.evalEvery
    let evalWindows = self.evalWindows ?? d.evalWindows
    guard evalEvery >= 1, evalWindows >= 1 else {
      throw invalid("--eval-every and --eval-windows must be at least 1.")
    }
    guard evalWindows <= TrainRequest.maximumEvalWindows else {
      throw invalid("--eval-windows must be at most 1000000, got \(evalWindows).")
    }
    if let lr = learningRate, !(lr.isFinite && lr > 0) {
      throw invalid("--lr must be a positive finite number, got \(lr).")
    }
    for (name, list) in [("--budgets", budgets), ("--params", params), ("--tokens", tokens)] {
      guard let list else { continue }
      guard !list.isEmpty else { throw invalid("\(name) needs at least one value.") }
      if let bad = list.first(where: { !($0.isFinite && $0 > 0) }) {
        throw invalid("\(name) values must be positive finite numbers, not \(bad).")
      }
    }
    for (name, x) in [("--span", span), ("--tokens-per-param", tokensPerParam)] {
      if let x, !(x.isFinite && x > 0) {
        throw invalid("\(name) must be a positive finite number, not \(x).")
      }
    }
    return SweepSpec(
      kind: kind, preset: preset, budgets: budgets ?? [], sizes: sizes ?? d.sizes,
      span: span ?? d.span, tokensPerParam: tokensPerParam ?? d.tokensPerParam,
      params: params ?? [], tokens: tokens ?? [], batch: batch ?? d.batch,
      context: context ?? d.context, corpus: corpus ?? d.corpus, seed: seed ?? d.seed,
      evalEvery: evalEvery, evalWindows: evalWindows, minimumSteps: minSteps ?? d.minSteps,
      learningRate: learningRate)
  }
}

/// Planning a sweep without training it.
public struct SweepPlanRequest: Codable, Sendable, Equatable {
  public var sweep: SweepSpecRequest
  /// Include the runs flagged as too short (default false: only runnable runs).
  public var includeShort: Bool?

  enum CodingKeys: String, CodingKey {
    case sweep
    case includeShort = "include_short"
  }

  /// Creates a request.
  public init(sweep: SweepSpecRequest, includeShort: Bool? = nil) {
    self.sweep = sweep
    self.includeShort = includeShort
  }
}

/// A planned sweep. Encodes as the interchange rows an external trainer reads (`SweepPlanRows`),
/// one object per run, each with its derivation under `explanation` when one is kept.
public struct SweepPlanResult: Encodable, Sendable, Explained {
  /// The runs asked for, in slot order.
  public var runs: [PlannedRun]
  /// Runs with enough steps to be trained.
  public var runnableCount: Int
  /// Runs planned but skipped (fewer than `minimumSteps` steps).
  public var skippedCount: Int
  /// FLOPs of the runnable runs.
  public var runnableFLOPs: Double
  public var minimumSteps: Int
  /// Each run's derivation (same order as `runs`); nil after `withoutExplanation()`.
  public var runExplanations: [Explanation]?
  /// The first run's derivation (every run follows the same steps).
  public var explanation: Explanation? {
    get { runExplanations?.first }
    set { if newValue == nil { runExplanations = nil } }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.unkeyedContainer()
    for (i, p) in runs.enumerated() {
      try c.encode(FieldObject(SweepPlanRows.object(p), runExplanations?[i]))
    }
  }
}

/// The configurations of planned runs as interchange rows: the CSV an external trainer reads and
/// the same fields as JSON objects.
public enum SweepPlanRows {
  /// Column names, in order.
  public static let header = [
    "slot", "label", "layers", "d_model", "heads", "context", "vocab", "batch", "tokens", "steps",
    "learning_rate", "seed", "target_params", "non_embedding_params", "params_error",
    "total_params", "budget", "flops", "too_short", "learning_rate_source",
  ]

  /// One run's values, in `header` order.
  public static func values(_ p: PlannedRun) -> [FieldValue] {
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

  /// One run as a JSON object keyed by `header`.
  public static func object(_ p: PlannedRun) -> [String: FieldValue] {
    Dictionary(uniqueKeysWithValues: zip(header, values(p)).map { ($0, $1) })
  }

  /// The runs as CSV (RFC 4180 quoting).
  public static func csv(_ runs: [PlannedRun]) -> String {
    var out = header.joined(separator: ",") + "\n"
    for p in runs {
      out +=
        values(p).map { v in
          let t = v.cellText
          return t.contains(",") || t.contains("\"") || t.contains("\n")
            ? "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : t
        }.joined(separator: ",") + "\n"
    }
    return out
  }
}

/// A JSON object of interchange fields, with an `explanation` key when one is given.
public struct FieldObject: Encodable, Sendable {
  public let fields: [String: FieldValue]
  public let explanation: Explanation?

  /// Wraps the fields.
  public init(_ fields: [String: FieldValue], _ explanation: Explanation?) {
    self.fields = fields
    self.explanation = explanation
  }

  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Key.self)
    for (k, v) in fields { try c.encode(v, forKey: Key(stringValue: k)) }
    if let explanation { try c.encode(explanation, forKey: Key(stringValue: "explanation")) }
  }
}

/// Running or resuming a sweep.
public struct SweepRunRequest: Codable, Sendable, Equatable {
  /// The sweep; may be empty when `resume` is given.
  public var sweep: SweepSpecRequest
  /// Name of the sweep (default: derived from the spec).
  public var name: String?
  /// Resume the stored sweep with this id (its stored plan is used).
  public var resume: Int64?
  /// Runs trained at once: 1 (two threads each) or 2 (one thread each); default 1.
  public var jobs: Int?

  /// Creates a request.
  public init(sweep: SweepSpecRequest, name: String? = nil, resume: Int64? = nil, jobs: Int? = nil) {
    self.sweep = sweep
    self.name = name
    self.resume = resume
    self.jobs = jobs
  }

  /// Checks the combination of fields (the spec itself is checked by `SweepSpecRequest.spec`).
  /// - Throws: `RequestError.invalid`.
  public func validate() throws {
    let jobs = self.jobs ?? 1
    guard (1...2).contains(jobs) else {
      throw RequestError.invalid("--jobs must be 1 or 2, got \(jobs).")
    }
    if resume != nil && (!sweep.isEmpty || name != nil) {
      throw RequestError.invalid(
        "--resume uses the sweep's stored plan; drop --preset, --kind, --budgets, --params and --name."
      )
    }
    if resume == nil { _ = try sweep.spec() }
  }
}

/// What a sweep run or resume ended with.
public struct SweepRunResult: Encodable, Sendable, Explained {
  public var sweepId: Int64
  public var name: String
  public var status: SweepState
  public var resumed: Bool
  /// The runnable planned runs, in slot order.
  public var planned: [PlannedRun]
  /// The stored run of each slot done so far.
  public var runs: [Int: RunRecord]
  /// Slots whose earlier run was kept on resume.
  public var keptSlots: [Int]
  /// Runs planned but skipped for too few steps.
  public var skippedCount: Int
  /// Each planned run's derivation; nil after `withoutExplanation()`.
  public var runExplanations: [Explanation]?
  public var warnings: [String]
  /// The first run's derivation (every run follows the same steps).
  public var explanation: Explanation? {
    get { runExplanations?.first }
    set { if newValue == nil { runExplanations = nil } }
  }

  enum Key: String, CodingKey {
    case sweepId = "sweep_id"
    case name, status, resumed, runs
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Key.self)
    try c.encode(sweepId, forKey: .sweepId)
    try c.encode(name, forKey: .name)
    try c.encode(status.rawValue, forKey: .status)
    try c.encode(resumed, forKey: .resumed)
    var rows = c.nestedUnkeyedContainer(forKey: .runs)
    for (i, p) in planned.enumerated() {
      guard let r = runs[p.slot] else { continue }
      var obj = RunFields.object(r)
      obj["label"] = .text(p.label)
      obj["kept"] = .bool(keptSlots.contains(p.slot))
      try rows.encode(FieldObject(obj, runExplanations?[i]))
    }
  }
}

/// A sweep about to start, for a progress display.
public struct SweepStart: Sendable {
  public var sweepId: Int64
  public var name: String
  public var resumed: Bool
  public var plan: SweepPlan
}

/// One stored sweep with its progress.
public struct SweepSummary: Codable, Sendable, Equatable {
  public var id: Int64
  public var name: String
  public var kind: String
  public var status: String
  public var runsDone: Int
  public var runsPlanned: Int?
  public var createdAt: String

  enum CodingKeys: String, CodingKey {
    case id, name, kind, status
    case runsDone = "runs_done"
    case runsPlanned = "runs_planned"
    case createdAt = "created_at"
  }
}

/// A stored run as the interchange's named fields (snake_case), for JSON output.
public enum RunFields {
  /// The run's export fields as one JSON object.
  public static func object(_ run: RunRecord) -> [String: FieldValue] {
    Dictionary(uniqueKeysWithValues: RunInterchange.fields(of: run).map { ($0.name, $0.value) })
  }
}

extension Engine {
  /// Plans a sweep.
  /// - Throws: `RequestError.invalid` for a bad spec, `SweepError` when no shape fits a target.
  public func sweepPlan(_ request: SweepPlanRequest) throws -> SweepPlanResult {
    let plan = try SweepPlan(spec: try request.sweep.spec())
    let runs = (request.includeShort ?? false) ? plan.runs : plan.runnable
    return SweepPlanResult(
      runs: runs, runnableCount: plan.runnable.count, skippedCount: plan.skipped.count,
      runnableFLOPs: plan.runnable.map(\.flops).reduce(0, +),
      minimumSteps: plan.spec.minimumSteps, runExplanations: runs.map { plan.explanation(for: $0) })
  }

  /// Refuses a plan with a run MiniGPT cannot train (N ≥ 2³⁰, `GPTConfig.validate`).
  static func checkTrainable(_ plan: SweepPlan) throws {
    if let big = plan.runnable.first(where: { (try? $0.model.validate()) == nil }) {
      throw RequestError.invalid(
        "Run \(big.label) (\(big.model.layers)×\(big.model.dModel), N = "
          + "\(Format.si(big.achievedParams))) is beyond what MiniGPT trains here; write the "
          + "configurations for your own trainer with 'scaleplan sweep plan … --emit csv'.")
    }
  }

  /// Runs (or resumes) a sweep, recording every run as it trains. A sweep given by its spec is
  /// planned and checked before its row is stored, so a refused plan leaves nothing behind; a
  /// sweep with that spec's name is only opened if its stored spec equals it.
  /// - Parameters:
  ///   - stop: set to stop after the runs in flight are recorded `interrupted`.
  ///   - started: called once the sweep row exists, before the first run.
  ///   - event: every run's start, progress and end.
  /// - Throws: `RequestError`, `SweepError`, `RunStoreError`.
  public func sweepRun(
    _ request: SweepRunRequest, stop: StopFlag = StopFlag(),
    started: (SweepStart) -> Void = { _ in },
    event: @escaping @Sendable (SweepEvent) -> Void = { _ in }
  ) throws -> SweepRunResult {
    try request.validate()
    let store = try RunDatabase(path: databasePath ?? RunDatabase.defaultPath())
    let spec: SweepSpec? =
      request.resume != nil && request.sweep.isEmpty ? nil : try request.sweep.spec()
    let planned = try spec.map { try SweepPlan(spec: $0) }
    if let planned { try Self.checkTrainable(planned) }
    let (record, resumed) = try SweepRunner.openSweep(
      spec: spec, name: request.name, resumeId: request.resume, store: store, now: Date())
    let plan = try planned ?? SweepPlan.stored(in: record)
    if planned == nil { try Self.checkTrainable(plan) }
    started(SweepStart(sweepId: record.id ?? 0, name: record.name, resumed: resumed, plan: plan))
    let outcome = try SweepRunner.run(
      plan: plan, sweep: record, resumed: resumed, store: store, jobs: request.jobs ?? 1,
      stop: stop, runner: SweepRunner.miniGPTRunner(store: store, now: { Date() }),
      onEvent: event)
    var warnings: [String] = []
    if outcome.status != .finished {
      warnings.append(
        "Sweep \(outcome.sweepId) stopped; run 'scaleplan sweep --resume \(outcome.sweepId)' to "
          + "finish it.")
    }
    return SweepRunResult(
      sweepId: outcome.sweepId, name: record.name, status: outcome.status,
      resumed: outcome.resumed, planned: plan.runnable, runs: outcome.runs,
      keptSlots: outcome.keptSlots, skippedCount: plan.skipped.count,
      runExplanations: plan.runnable.map { plan.explanation(for: $0) }, warnings: warnings)
  }

  /// The stored sweeps with their progress (read-only; a missing database reads as empty).
  /// - Throws: `RunStoreError`.
  public func sweepList() throws -> [SweepSummary] {
    let store = try RunDatabase(path: databasePath ?? RunDatabase.defaultPath(), mode: .readOnly)
    return try store.sweeps().map { s in
      let runs = try store.runs(sweepId: s.id)
      let done = Set(
        runs.filter { $0.status == .finished || $0.status == .diverged }.compactMap(\.sweepSlot))
      return SweepSummary(
        id: s.id ?? 0, name: s.name, kind: s.kind, status: s.status.rawValue,
        runsDone: done.count, runsPlanned: (try? SweepPlan.stored(in: s))?.runnable.count,
        createdAt: Timestamp.text(s.createdAt))
    }
  }
}
