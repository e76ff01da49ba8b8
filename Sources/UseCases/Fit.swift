// `fit`: scaling laws fitted to runs the way Hoffmann et al. 2022 did (§3: Approach 1 envelope,
// Approach 2 isoFLOP parabolas, Approach 3 parametric Huber fit), with a bootstrap, the reviewer's
// warnings (Fitting's `FitReview`) and a held-out check. The runs come from a CSV (Catalog's
// reader, Fitting's column mapping) or from a stored sweep (Lab's `SweepEvidence`); `saveAs`
// stores the Approach-3 law in the run database for `plan --law NAME` (FitStore.swift).

import Catalog
import Fitting
import Foundation
import Lab
import Planner
import RunStore

/// What to fit and how. Exactly one of `csv` and `sweep` names the runs.
public struct FitRequest: Codable, Sendable, Equatable {
  /// A CSV file with one row per run (`--csv`).
  public var csv: String?
  /// Column mapping such as `params=N,tokens=D,loss=final_loss` (`--columns`, with `csv`).
  public var columns: String?
  /// Column with training FLOP C; D = C/(6N) when no tokens column is given (`--flops-column`).
  public var flopsColumn: String?
  /// A stored sweep: an id, a name or `latest` (`--sweep`).
  public var sweep: String?
  /// `1`, `2`, `3` or `all` (default 3).
  public var approach: String?
  /// Bootstrap resamples for Approach 3; 0 = none (the default).
  public var bootstrap: Int?
  /// Bootstrap seed (default 0): same seed, same output.
  public var seed: UInt64?
  /// Hold E fixed at this value (`--fixed-e NUMBER`).
  public var fixedE: Double?
  /// Hold E fixed at a synthetic sweep's exact corpus entropy (`--fixed-e entropy`).
  public var fixedEAtEntropy: Bool?
  /// Held-out check: fit without the K runs of largest compute and predict them.
  public var holdoutTop: Int?
  /// Held-out check: fit on the runs below this compute (FLOP) and predict the rest.
  public var holdoutBelow: Double?
  /// Compute budget C (FLOP) for N*(C), D*(C) and the extrapolation warning.
  public var budget: Double?
  /// Bootstrap interval percentiles, two numbers (default 2.5, 97.5).
  public var percentiles: [Double]?
  /// Initialisation grid: `hoffmann` (4,500 starts, the default), `peer` (7,776) or `coarse` (243).
  public var grid: String?
  /// Worker threads (default: the machine's cores); the result does not depend on it.
  public var threads: Int?
  /// Save the Approach-3 law in the run database under this name.
  public var saveAs: String?
  /// With `saveAs`, overwrite a saved law of the same name.
  public var replace: Bool?

  enum CodingKeys: String, CodingKey {
    case csv, columns, sweep, approach, bootstrap, seed, budget, percentiles, grid, threads
    case replace
    case flopsColumn = "flops_column"
    case fixedE = "fixed_e"
    case fixedEAtEntropy = "fixed_e_at_entropy"
    case holdoutTop = "holdout_top"
    case holdoutBelow = "holdout_below"
    case saveAs = "save_as"
  }

  /// Creates a request; every value left out takes the engine's default.
  public init(
    csv: String? = nil, columns: String? = nil, flopsColumn: String? = nil, sweep: String? = nil,
    approach: String? = nil, bootstrap: Int? = nil, seed: UInt64? = nil, fixedE: Double? = nil,
    fixedEAtEntropy: Bool? = nil, holdoutTop: Int? = nil, holdoutBelow: Double? = nil,
    budget: Double? = nil, percentiles: [Double]? = nil, grid: String? = nil,
    threads: Int? = nil, saveAs: String? = nil, replace: Bool? = nil
  ) {
    self.csv = csv
    self.columns = columns
    self.flopsColumn = flopsColumn
    self.sweep = sweep
    self.approach = approach
    self.bootstrap = bootstrap
    self.seed = seed
    self.fixedE = fixedE
    self.fixedEAtEntropy = fixedEAtEntropy
    self.holdoutTop = holdoutTop
    self.holdoutBelow = holdoutBelow
    self.budget = budget
    self.percentiles = percentiles
    self.grid = grid
    self.threads = threads
    self.saveAs = saveAs
    self.replace = replace
  }

  /// The defaults the engine applies.
  public enum Defaults {
    /// Approach 3 only.
    public static let approach = "3"
    /// No bootstrap.
    public static let bootstrap = 0
    /// Bootstrap seed.
    public static let seed: UInt64 = 0
    /// A 95 % interval.
    public static let percentiles = [2.5, 97.5]
    /// Hoffmann et al. 2022's 4,500-start grid.
    public static let grid = "hoffmann"
    /// One worker per core.
    public static var threads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
  }

  /// At most this many bootstrap resamples: 50–100× the 1,000–2,000 that Efron & Tibshirani
  /// (1993, ch. 13) suggest for percentile intervals, and about 15 minutes of refits here. Each
  /// resample keeps one row of seven numbers, so a bound is also a memory bound.
  public static let maximumBootstrap = 100_000
  /// At most this many worker threads.
  public static let maximumThreads = 256

  /// The grids by name.
  static let grids: [String: InitGrid] = [
    "hoffmann": .hoffmann, "peer": .scipyPeer, "coarse": .coarse,
  ]

  /// Checks every field and combination.
  /// - Throws: `RequestError.invalid` with one sentence naming the flag.
  public func validate() throws {
    func invalid(_ s: String) -> RequestError { .invalid(s) }
    if sweep != nil && csv != nil { throw invalid("Give either --csv FILE or --sweep ID, not both.") }
    guard csv != nil || sweep != nil else {
      throw invalid("Give the runs with --csv FILE or a stored sweep with --sweep ID|latest.")
    }
    if sweep != nil && (columns != nil || flopsColumn != nil) {
      throw invalid("--columns and --flops-column apply to --csv only; drop them.")
    }
    if replace == true && saveAs == nil { throw invalid("--replace needs --save-as NAME.") }
    if let name = saveAs, name.trimmingCharacters(in: .whitespaces).isEmpty {
      throw invalid("--save-as needs a non-empty name such as tiny-synthetic.")
    }
    if fixedEAtEntropy == true && fixedE != nil {
      throw invalid("Give --fixed-e as a number or as 'entropy', not both.")
    }
    if csv != nil && fixedEAtEntropy == true {
      throw invalid("--fixed-e entropy needs a synthetic sweep (--sweep); give a number with --csv.")
    }
    let approach = self.approach ?? Defaults.approach
    if saveAs != nil && !["3", "all"].contains(approach) {
      throw invalid("--save-as stores the Approach-3 law; use --approach 3 or all.")
    }
    guard ["1", "2", "3", "all"].contains(approach) else {
      throw invalid("--approach must be 1, 2, 3 or all, not '\(approach)'.")
    }
    let bootstrap = self.bootstrap ?? Defaults.bootstrap
    guard bootstrap == 0 || bootstrap >= 2 else {
      throw invalid("--bootstrap must be 0 (none) or at least 2 resamples, not \(bootstrap).")
    }
    guard bootstrap <= Self.maximumBootstrap else {
      throw invalid(
        "--bootstrap \(bootstrap) is more than 100,000 resamples; 1,000 to 2,000 give stable "
          + "percentile intervals (Efron & Tibshirani 1993), so use at most 100,000.")
    }
    if let t = threads {
      guard t >= 1 else { throw invalid("--threads must be at least 1.") }
      guard t <= Self.maximumThreads else {
        throw invalid("--threads \(t) is more than 256 worker threads; use 1 to 256.")
      }
    }
    if holdoutTop != nil && holdoutBelow != nil {
      throw invalid("Give --holdout-top or --holdout-below, not both.")
    }
    if let k = holdoutTop, k < 1 { throw invalid("--holdout-top must be at least 1 run, not \(k).") }
    let grid = self.grid ?? Defaults.grid
    guard Self.grids[grid] != nil else {
      throw invalid("--grid must be hoffmann, peer or coarse, not '\(grid)'.")
    }
    for (flag, value) in [
      ("--fixed-e", fixedE), ("--holdout-below", holdoutBelow), ("--budget", budget),
    ] {
      if let v = value, !(v.isFinite && v > 0) {
        throw invalid("\(flag) must be a positive number, not \(v).")
      }
    }
    if let p = percentiles {
      guard p.count == 2, p[0] > 0, p[0] < p[1], p[1] < 100 else {
        throw invalid(
          "--percentiles must be two numbers 0 < lower < upper < 100 such as 2.5,97.5, not '"
            + p.map { Format.number($0) }.joined(separator: ",") + "'.")
      }
    }
  }

  /// The settings after defaults, for the fitters.
  func settings() -> FitSettings {
    let p = percentiles ?? Defaults.percentiles
    return FitSettings(
      approach: approach ?? Defaults.approach, bootstrap: bootstrap ?? Defaults.bootstrap,
      seed: seed ?? Defaults.seed, fixedE: fixedE,
      split: holdoutTop.map(HoldOutSplit.topCompute) ?? holdoutBelow.map(HoldOutSplit.computeBelow),
      budget: budget, percentiles: (p[0], p[1]),
      grid: Self.grids[grid ?? Defaults.grid] ?? .hoffmann,
      threads: threads ?? Defaults.threads)
  }
}

/// A request's settings with the defaults applied.
struct FitSettings: Sendable {
  var approach: String
  var bootstrap: Int
  var seed: UInt64
  var fixedE: Double?
  var split: HoldOutSplit?
  var budget: Double?
  var percentiles: (lower: Double, upper: Double)
  var grid: InitGrid
  var threads: Int

  func wants(_ a: String) -> Bool { approach == a || approach == "all" }
}

/// What `fit` found. The JSON keys are `fit --json`'s (scripts read them).
public struct FitResult: Codable, Sendable, Explained {
  /// Runs fitted.
  public var nPoints: Int
  /// Approach 1's exponents, or why it was refused (with `approach all`).
  public var approach1: Exponents?
  /// Approach 2's exponents, or why it was refused.
  public var approach2: Exponents?
  /// Approach 3's law, with its bootstrap intervals when asked for.
  public var approach3: Parametric?
  /// Held-out relative errors, predicted/observed − 1.
  public var holdoutRelativeErrors: [Double]?
  /// The held-out runs.
  public var holdout: [HeldOutRun]?
  /// The reviewer's warnings (Fitting's `FitReview`), each with a stable code.
  public var warnings: [Warning] = []
  /// The stored sweep the runs came from.
  public var sweep: SweepInfo?
  /// The name the Approach-3 law was saved under.
  public var savedLaw: String?
  /// The database it was saved in.
  public var savedLawDatabase: String?
  /// Formulas, inputs and sources.
  public var explanation: Explanation?

  enum CodingKeys: String, CodingKey {
    case sweep, holdout, warnings, explanation
    case savedLaw = "saved_law"
    case savedLawDatabase = "saved_law_database"
    case nPoints = "n_points"
    case approach1 = "approach_1"
    case approach2 = "approach_2"
    case approach3 = "approach_3"
    case holdoutRelativeErrors = "holdout_relative_errors"
  }

  /// An empty result for `nPoints` runs.
  public init(nPoints: Int) { self.nPoints = nPoints }

  /// Exponents of N_opt ∝ C^a and D_opt ∝ C^b (Approaches 1 and 2), or why they were refused.
  public struct Exponents: Codable, Sendable, Equatable {
    public var a: Double?
    public var b: Double?
    /// Envelope points (Approach 1) or isoFLOP vertices (Approach 2).
    public var points: Int?
    /// The fitter's one-sentence refusal.
    public var refused: String?
    /// Largest over smallest compute of the points the exponents were fitted to.
    public var computeRange: Double?

    enum CodingKeys: String, CodingKey {
      case a, b, points, refused
      case computeRange = "compute_range"
    }

    /// The exponents of a fit, with the compute range of its points.
    public init(a: Double, b: Double, points: Int, computeRange: Double) {
      self.a = a
      self.b = b
      self.points = points
      self.computeRange = computeRange
    }

    /// A refusal.
    public init(refused: String) { self.refused = refused }
  }

  /// Approach 3: L(N, D) = E + A/N^α + B/D^β, with an optional bootstrap.
  public struct Parametric: Codable, Sendable, Equatable {
    public var E: Double
    public var A: Double
    public var B: Double
    public var alpha: Double
    public var beta: Double
    /// a = β/(α+β).
    public var a: Double
    /// b = α/(α+β).
    public var b: Double
    /// Summed Huber loss at the optimum.
    public var objective: Double
    public var nPoints: Int
    /// E when it was held fixed.
    public var fixedE: Double?
    public var starts: Int
    public var startsAtOptimum: Int
    /// Root-mean-square relative error of the fitted losses.
    public var rmsRelativeError: Double
    /// log predicted − log observed, per run.
    public var residuals: [Double]
    /// Bootstrap percentile intervals by quantity (E, A, B, alpha, beta, a, b, N_opt, D_opt).
    public var intervals: [String: [Double]]?
    /// Bootstrap standard errors by quantity.
    public var standardErrors: [String: Double]?
    public var bootstrap: BootstrapInfo?
    /// N*(C), D*(C) at the requested budget.
    public var optimal: Optimal?

    enum CodingKeys: String, CodingKey {
      case E, A, B, alpha, beta, a, b, objective, starts, residuals, intervals, bootstrap, optimal
      case nPoints = "n_points"
      case fixedE = "fixed_e"
      case startsAtOptimum = "starts_at_optimum"
      case rmsRelativeError = "rms_relative_error"
      case standardErrors = "standard_errors"
    }

    /// The parameters of a fit.
    public init(_ f: Approach3Fit) {
      E = f.parameters.E
      A = f.parameters.A
      B = f.parameters.B
      alpha = f.parameters.alpha
      beta = f.parameters.beta
      a = f.paramsExponent
      b = f.tokensExponent
      objective = f.objective
      nPoints = f.pointCount
      fixedE = f.fixedE
      starts = f.starts
      startsAtOptimum = f.startsAtOptimum
      rmsRelativeError = f.rmsRelativeError
      residuals = f.residuals
    }

    /// `rmsRelativeError` in percent, for display.
    public var rmsRelativeErrorPercent: Double { 100 * rmsRelativeError }
  }

  /// Bootstrap settings and diagnostics.
  public struct BootstrapInfo: Codable, Sendable, Equatable {
    public var resamples: Int
    public var failed: Int
    public var seed: UInt64
    public var percentiles: [Double]
    public var alphaBetaCorrelation: Double

    enum CodingKeys: String, CodingKey {
      case resamples, failed, seed, percentiles
      case alphaBetaCorrelation = "alpha_beta_correlation"
    }
  }

  /// N*(C), D*(C) at the requested budget (Hoffmann et al. 2022, eq. 4).
  public struct Optimal: Codable, Sendable, Equatable {
    public var compute: Double
    public var params: Double
    public var tokens: Double
  }

  /// One held-out run and its prediction.
  public struct HeldOutRun: Codable, Sendable, Equatable {
    /// The CSV line, or the run id for a sweep.
    public var line: Int
    public var params: Double
    public var tokens: Double
    public var compute: Double
    public var observed: Double
    public var predicted: Double
    /// predicted/observed − 1.
    public var relativeError: Double

    enum CodingKeys: String, CodingKey {
      case line, params, tokens, compute, observed, predicted
      case relativeError = "relative_error"
    }

    /// `relativeError` in percent, for display.
    public var relativeErrorPercent: Double { 100 * relativeError }
  }

  /// A reviewer warning: a stable code and its sentence.
  public struct Warning: Codable, Sendable, Equatable {
    public var code: String
    public var message: String
  }

  /// Where a sweep fit's runs came from (the `sweep` key).
  public struct SweepInfo: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var runsFitted: Int
    /// Excluded runs by reason: diverged, interrupted, running, too_short, no_loss.
    public var excluded: [String: Int]
    public var corpus: String?
    public var corpusEntropy: Double?
    public var validationSampleEntropy: Double?
    /// "grouped" (runs of one budget) or "interpolated" (a grid).
    public var approach2Profiles: String?
    public var approach2Refused: [RefusedBudget]?
    /// "corpus_entropy" when E was held at the corpus entropy.
    public var fixedESource: String?
    /// Free-E fit minus the exact entropy (synthetic corpus).
    public var fittedEMinusEntropy: Double?

    enum CodingKeys: String, CodingKey {
      case id, name, excluded, corpus
      case runsFitted = "runs_fitted"
      case corpusEntropy = "corpus_entropy"
      case validationSampleEntropy = "validation_sample_entropy"
      case approach2Profiles = "approach2_profiles"
      case approach2Refused = "approach2_refused"
      case fixedESource = "fixed_e_source"
      case fittedEMinusEntropy = "fitted_e_minus_entropy"
    }

    /// `fittedEMinusEntropy` as a percentage of the entropy, for display.
    public var fittedEMinusEntropyPercent: Double? {
      guard let d = fittedEMinusEntropy, let h = corpusEntropy, h > 0 else { return nil }
      return 100 * d / h
    }

    /// Runs excluded, all reasons together.
    public var excludedTotal: Int { excluded.values.reduce(0, +) }

    /// How far beyond a size's runs the grid profiles were extended (`GridProfiles`).
    public var interpolationReach: Double { GridProfiles.extrapolation }
  }

  /// An Approach-2 budget without an interior minimum.
  public struct RefusedBudget: Codable, Sendable, Equatable {
    public var compute: Double
    public var reason: String
  }
}

extension FitResult.SweepInfo {
  init(_ ev: SweepEvidence) {
    id = ev.sweep.id ?? 0
    name = ev.sweep.name
    runsFitted = ev.runs.count
    excluded = ev.excludedCounts
    corpus = ev.corpus.map(FitText.corpus)
    corpusEntropy = ev.corpusEntropy
    validationSampleEntropy = ev.validationSampleEntropy
  }
}

extension Engine {
  /// Fits the runs of a CSV or a stored sweep and, with `saveAs`, stores the Approach-3 law.
  /// - Throws: `RequestError` for bad requests or files, `ImportError` / `CatalogError` for a
  ///   malformed CSV (file:line:column), `FitError` from the fitters (too few runs, …),
  ///   `RunStoreError` from the database.
  public func fit(_ request: FitRequest) throws -> FitResult {
    try request.validate()
    var o = request.settings()
    let now = Date()
    var result: FitResult
    var boot: BootstrapResult?
    var sweepId: Int64? = nil
    let source: String
    var store: RunDatabase? = nil
    var skippedNote: String? = nil
    let storePath = databasePath ?? RunDatabase.defaultPath()
    if request.sweep != nil || request.saveAs != nil {
      // Only saving writes; a fit of a sweep opens the database read-only.
      let s = try request.saveAs == nil
        ? RunDatabase(path: storePath, mode: .readOnly) : RunDatabase(path: storePath)
      store = s
      if let name = request.saveAs, request.replace != true, try s.law(named: name) != nil {
        throw RequestError.invalid(
          "A law named '\(name)' is already saved in \(storePath); pass --replace to "
            + "overwrite it or choose another --save-as name.")
      }
    }
    if let selector = request.sweep, let store {
      let evidence = try SweepEvidence.load(
        try SweepEvidence.sweep(selector, in: store), store: store)
      if request.fixedEAtEntropy == true {
        guard let h = evidence.corpusEntropy else {
          throw RequestError.invalid(
            "--fixed-e entropy needs runs on the synthetic corpus, but sweep "
              + "\(evidence.sweep.id ?? 0) has none with a known entropy; give E as a number.")
        }
        o.fixedE = h
      }
      (result, boot) = try FitAnalysis.analyse(evidence, o)
      sweepId = evidence.sweep.id
      source = FitText.provenance(evidence)
    } else {
      let path = request.csv ?? ""
      let (runs, skipped) = try Self.importRuns(
        csv: path, columns: request.columns, flopsColumn: request.flopsColumn)
      (result, boot) = try FitAnalysis.analyse(runs, o)
      source = "\(runs.count) runs from \(URL(fileURLWithPath: path).lastPathComponent)"
      if skipped > 0 {
        skippedNote = "\(skipped) runs of the file are not finished (running, diverged or interrupted) and were left out of the fit."
      }
    }
    if let note = skippedNote {
      result.warnings.append(.init(code: "runs_not_finished", message: note))
    }
    if let name = request.saveAs, let store {
      let law = try FitStore.storedLaw(
        name: name, result: result, bootstrap: boot, source: source, now: now)
      try FitStore.saveFits(result, sweepId: sweepId, store: store, now: now)
      try store.saveLaw(law, replacing: request.replace == true)
      result.savedLaw = name
      result.savedLawDatabase = storePath
    }
    result.explanation = FitText.explanation(grid: o.grid, fixedE: o.fixedE != nil)
    return result
  }

  /// The column mapping of `fit --csv`: `--columns` (as `runs import` reads it), with
  /// `--flops-column` as the `flops` field.
  /// - Throws: `ImportError` for a malformed mapping.
  static func fitMapping(columns: String?, flopsColumn: String?) throws -> ColumnMapping {
    var mapping = try columns.map(ColumnMapping.parse) ?? ColumnMapping()
    if let c = flopsColumn { mapping.columnForField["flops"] = c }
    return mapping
  }

  /// Reads the finished runs of a file (CSV or JSON lines) through Lab's `RunImport`, the path
  /// `runs import` uses (errors carry file and line).
  /// - Throws: `RequestError.invalid` when the file is absent; `ImportError` or `CatalogError`
  ///   for a malformed file or mapping.
  public static func importRuns(csv path: String, columns: String?, flopsColumn: String?) throws
    -> (runs: [ImportedRun], skipped: Int)
  {
    guard FileManager.default.fileExists(atPath: path) else {
      throw RequestError.invalid("The runs file '\(path)' does not exist; check the --csv path.")
    }
    return try RunImport.fitRuns(
      path: path, mapping: fitMapping(columns: columns, flopsColumn: flopsColumn))
  }
}

/// The approaches, run on imported runs or on a stored sweep.
enum FitAnalysis {
  /// Runs the requested approaches; Approaches 1 and 2 report a refusal instead of failing when
  /// `all` was asked for.
  static func analyse(_ runs: [ImportedRun], _ o: FitSettings) throws
    -> (result: FitResult, bootstrap: BootstrapResult?)
  {
    let obs = runs.map(\.observation)
    let compute = runs.map(\.compute)
    var result = FitResult(nPoints: obs.count)
    if o.wants("1") {
      do {
        let curves = runs.map {
          TrainingCurve(params: $0.observation.params, points: [($0.compute, $0.observation.loss)])
        }
        let r = try EnvelopeFit.fit(curves)
        result.approach1 = .init(
          a: r.a, b: r.b, points: r.points.count, computeRange: r.computeRange)
      } catch let e as FitError where o.approach == "all" {
        result.approach1 = .init(refused: e.description)
      }
    }
    if o.wants("2") {
      do {
        let profiles = IsoFLOPFit.profiles(
          params: obs.map(\.params), compute: compute, losses: obs.map(\.loss))
        let r = try IsoFLOPFit.fit(profiles)
        result.approach2 = .init(
          a: r.a, b: r.b, points: r.vertices.count, computeRange: r.computeRange)
      } catch let e as FitError where o.approach == "all" {
        result.approach2 = .init(refused: e.description)
      }
    }
    let boot = try approach3(
      observations: obs, compute: compute, labels: runs.map(\.line), o, into: &result)
    result.addAllocationWarnings()
    return (result, boot)
  }

  /// Fits a stored sweep: Approach 1 on the validation-loss curves (interpolated and read at
  /// 1,500 FLOP values), Approach 2 on isoFLOP profiles (grouped runs, or interpolated along D
  /// for a grid), Approach 3 with the bootstrap, held-out check and reviewer warnings.
  static func analyse(_ ev: SweepEvidence, _ o: FitSettings) throws
    -> (result: FitResult, bootstrap: BootstrapResult?)
  {
    var result = FitResult(nPoints: ev.observations.count)
    var info = FitResult.SweepInfo(ev)
    if o.wants("1") {
      do {
        // Hoffmann et al. 2022 §3.1: interpolated curves read at 1,500 log-spaced FLOP values.
        let r = try EnvelopeFit.fit(
          ev.interpolatedCurves(), bins: SweepEvidence.envelopeFLOPValues)
        result.approach1 = .init(
          a: r.a, b: r.b, points: r.points.count, computeRange: r.computeRange)
      } catch let e as FitError where o.approach == "all" {
        result.approach1 = .init(refused: e.description)
      }
    }
    if o.wants("2") {
      do {
        let r = try ev.isoFLOP()
        result.approach2 = .init(
          a: r.result.a, b: r.result.b, points: r.vertices.count,
          computeRange: r.result.computeRange)
        info.approach2Profiles = r.method.rawValue
        info.approach2Refused = r.refused.map {
          FitResult.RefusedBudget(compute: $0.compute, reason: $0.reason)
        }
      } catch let e as FitError where o.approach == "all" {
        result.approach2 = .init(refused: e.description)
      }
    }
    if o.fixedE != nil && o.fixedE == ev.corpusEntropy { info.fixedESource = "corpus_entropy" }
    let boot = try approach3(
      observations: ev.observations, compute: ev.compute,
      labels: ev.runs.map { Int($0.id ?? 0) }, o, into: &result)
    result.addAllocationWarnings()
    if let h = ev.corpusEntropy, let p = result.approach3, p.fixedE == nil {
      info.fittedEMinusEntropy = p.E - h
    }
    result.sweep = info
    return (result, boot)
  }

  /// Approach 3 (with bootstrap), the held-out check and the reviewer warnings. `labels` name the
  /// runs in the held-out table (CSV line numbers or run ids).
  static func approach3(
    observations obs: [Observation], compute: [Double], labels: [Int], _ o: FitSettings,
    into result: inout FitResult
  ) throws -> BootstrapResult? {
    var fit3: Approach3Fit?
    var boot: BootstrapResult?
    if o.wants("3") {
      let fit = try Approach3.fit(obs, grid: o.grid, fixedE: o.fixedE, threads: o.threads)
      fit3 = fit
      var j = FitResult.Parametric(fit)
      if let c = o.budget {
        let opt = fit.parameters.computeOptimal(flops: c)
        j.optimal = .init(compute: c, params: opt.params, tokens: opt.tokens)
      }
      if o.bootstrap > 0 {
        let b = try Bootstrap.run(
          obs, fit: fit, resamples: o.bootstrap, seed: o.seed, budget: o.budget,
          percentiles: o.percentiles, threads: o.threads)
        boot = b
        var intervals: [String: [Double]] = [:]
        var errors: [String: Double] = [:]
        for (name, s) in b.summaries {
          intervals[name] = [s.lower, s.upper]
          errors[name] = s.standardError
        }
        j.intervals = intervals
        j.standardErrors = errors
        j.bootstrap = .init(
          resamples: b.requested, failed: b.failed, seed: o.seed,
          percentiles: [b.percentiles.lower, b.percentiles.upper],
          alphaBetaCorrelation: b.alphaBetaCorrelation)
      }
      result.approach3 = j
    }
    if let split = o.split {
      let h = try HoldOut.check(
        obs, split: split, compute: compute, grid: o.grid, fixedE: o.fixedE, threads: o.threads)
      result.holdoutRelativeErrors = h.relativeErrors
      result.holdout = h.predictions.map {
        FitResult.HeldOutRun(
          line: labels[$0.index], params: $0.observation.params, tokens: $0.observation.tokens,
          compute: $0.compute, observed: $0.observation.loss, predicted: $0.predicted,
          relativeError: $0.relativeError)
      }
    }
    result.warnings = FitReview.warnings(
      observations: obs, fit: fit3, bootstrap: boot, budget: o.budget, compute: compute
    ).map { FitResult.Warning(code: $0.code, message: $0.description) }
    return boot
  }
}

extension FitResult {
  /// Adds the reviewer's warnings about the allocation exponent (`FitReview.allocationWarnings`).
  mutating func addAllocationWarnings() {
    let e = approach1.flatMap { j in
      j.a.flatMap { a in j.computeRange.map { (a: a, computeRange: $0) } }
    }
    let i = approach2.flatMap { j in
      j.a.flatMap { a in
        j.computeRange.map { (a: a, budgets: j.points ?? 0, computeRange: $0) }
      }
    }
    warnings += FitReview.allocationWarnings(envelope: e, isoFLOP: i, parametric: approach3?.a)
      .map { Warning(code: $0.code, message: $0.description) }
  }
}

/// Text pieces of a fit: corpus and provenance descriptions, and the explanation.
public enum FitText {
  /// A corpus in words.
  public static func corpus(_ c: CorpusDescription) -> String {
    switch c {
    case .synthetic(let k, let s, let seed):
      return "synthetic Zipf lexicon K = \(k), s = \(Format.number(s)), seed \(seed)"
    case .file(let path):
      return "file \(URL(fileURLWithPath: path).lastPathComponent)"
    }
  }

  /// Provenance text of a sweep fit: sweep, runs, corpus.
  static func provenance(_ ev: SweepEvidence) -> String {
    var text =
      "sweep \(ev.sweep.id ?? 0) '\(ev.sweep.name)': \(ev.runs.count) finished runs"
      + " (\(ev.excluded.count) excluded)"
    if let c = ev.corpus { text += "; corpus " + corpus(c) }
    if let h = ev.corpusEntropy {
      text += " (exact entropy \(Format.significant(h, digits: 5)) nats/byte)"
    }
    return text
  }

  /// Formulas, inputs and sources of the four fits.
  static func explanation(grid: InitGrid, fixedE: Bool) -> Explanation {
    var e = Explanation()
    e.add(
      ExplainedStep(
        quantity: "Approach 3 objective",
        formula:
          "Σ_i Huber_δ(LSE(a − α log N_i, b − β log D_i, e) − log L_i), A = e^a, B = e^b, E = e^e",
        inputs: [
          ExplainedInput("δ", "1e-3", source: "Hoffmann et al. 2022, App. D.2"),
          ExplainedInput("starts", "\(grid.count(fixedE: fixedE))", source: "grid"),
        ],
        result: "L-BFGS, strong Wolfe line search, ftol 1e-15, gtol 1e-12",
        source: "Hoffmann et al. 2022 §3.3; Besiroglu et al. 2024 (Epoch AI)"))
    e.add(
      ExplainedStep(
        quantity: "compute-optimal allocation",
        formula:
          "N* = G (C/6)^a, D* = G⁻¹ (C/6)^b, G = (αA/(βB))^(1/(α+β)), a = β/(α+β), b = α/(α+β)",
        inputs: [], result: "closed form at --budget", source: "Hoffmann et al. 2022, eq. 4"))
    e.add(
      ExplainedStep(
        quantity: "Approach 2",
        formula:
          "per budget: loss ≈ c0 + c1 log N + c2 (log N)², N_opt at the vertex; "
          + "log N_opt = log k + a log C",
        inputs: [ExplainedInput("budget grouping", "compute within 5 %", source: "this tool")],
        result: "a, b by least squares in log space", source: "Hoffmann et al. 2022 §3.2"))
    e.add(
      ExplainedStep(
        quantity: "Approach 1", formula: "lowest loss per log-spaced FLOP bin → N_opt ∝ C^a",
        inputs: [
          ExplainedInput(
            "bins", "30, log-uniform; bins won by the smallest or largest size dropped",
            source: "this tool")
        ],
        result: "a, b by least squares in log space", source: "Hoffmann et al. 2022 §3.1"))
    return e
  }
}
