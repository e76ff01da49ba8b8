// `scaleplan fit`: fit scaling laws to runs from a CSV the way Hoffmann et al. 2022 did (§3:
// Approach 1 envelope, Approach 2 isoFLOP parabolas, Approach 3 parametric Huber fit), with a
// bootstrap, reviewer warnings and a held-out check. Thin: CSV (Catalog's CSVTable) → Fitting →
// table or JSON. `--sweep` fits a stored sweep (FitSweep.swift); `--save-as` stores the
// Approach-3 law in the run database for `plan --law NAME`.

import ArgumentParser
import Catalog
import Fitting
import UseCases
import Foundation
import Planner

/// `scaleplan fit`.
public struct FitCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "fit",
    abstract: "Fit L(N, D) = E + A/N^α + B/D^β and the allocation exponents to your runs.",
    discussion: """
      Reads one row per run from a CSV. Examples:
        scaleplan fit --csv runs.csv --columns params=N,tokens=D,loss=final_loss
        scaleplan fit --csv runs.csv --columns params=N,loss=L --flops-column C --approach all
        scaleplan fit --csv r.csv --columns params=N,tokens=D,loss=L --bootstrap 1000 --budget 1e21
      Approach 3 minimises the summed Huber loss (δ = 1e-3) of log-sum-exp predictions against log \
      losses with L-BFGS from Hoffmann's 4,500-start grid. Approach 2 groups runs by compute \
      (within 5 %) and fits a parabola per budget. Approach 1 takes the lowest loss per log-spaced \
      FLOP bin. With only a FLOP column, D = C/(6N).
      Stored sweeps and saved laws:
        scaleplan fit --sweep latest --approach all --bootstrap 1000 --save-as tiny-synthetic
        scaleplan fit --sweep 3 --fixed-e entropy      # E at the synthetic corpus's exact entropy
        scaleplan plan --compute 1e21 --law tiny-synthetic
      """)

  @OptionGroup public var output: OutputOptions

  @Option(help: "CSV file with one row per run.")
  public var csv: String?
  @Option(
    help:
      "Column mapping, e.g. params=N,tokens=D,loss=final_loss (keys: params, tokens, loss, flops).")
  public var columns: String?
  @Option(help: "Column with training FLOP C (D = C/(6N) when no tokens column is given).")
  public var flopsColumn: String?
  @Option(help: "Approach: 1, 2, 3 or all.")
  public var approach: String = "3"
  @Option(help: "Bootstrap resamples for Approach 3 (0 = none; 1000 is typical).")
  public var bootstrap: Int = 0
  @Option(help: "Random seed for the bootstrap (same seed, same output).")
  public var seed: UInt64 = 0
  @Option(
    parsing: .unconditional,
    help: "Hold E fixed at this value, or 'entropy' for a synthetic sweep's exact entropy.")
  public var fixedE: String?
  @Option(help: "Held-out check: fit without the K runs of largest compute and predict them.")
  public var holdoutTop: Int?
  @Option(
    parsing: .unconditional,
    help: "Held-out check: fit on runs below this compute (FLOP) and predict the rest.")
  public var holdoutBelow: String?
  @Option(
    parsing: .unconditional,
    help: "Compute budget C (FLOP) for N*(C), D*(C) and the extrapolation warning.")
  public var budget: String?
  @Option(help: "Bootstrap interval percentiles, e.g. 2.5,97.5 or 10,90.")
  public var percentiles: String = "2.5,97.5"
  @Option(help: "Initialisation grid: hoffmann (4,500 starts), peer (7,776) or coarse (243).")
  public var grid: String = "hoffmann"
  @Option(help: "Worker threads (the result does not depend on it).")
  public var threads: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
  @Option(help: "Fit the finished runs of a stored sweep: an id, a name, or 'latest'.")
  public var sweep: String?
  @Option(help: "Save the Approach-3 law in the run database under this name (for --law NAME).")
  public var saveAs: String?
  @Flag(help: "With --save-as, overwrite a saved law of the same name.")
  public var replace = false
  @OptionGroup public var database: DatabaseOptions

  public init() {}

  public func validate() throws {
    if sweep != nil && csv != nil {
      throw ValidationError("Give either --csv FILE or --sweep ID, not both.")
    }
    guard csv != nil || sweep != nil else {
      throw ValidationError(
        "Give the runs with --csv FILE or a stored sweep with --sweep ID|latest.")
    }
    if csv != nil && columns == nil {
      throw ValidationError("Give the column mapping with --columns params=N,tokens=D,loss=L.")
    }
    if sweep != nil && (columns != nil || flopsColumn != nil) {
      throw ValidationError("--columns and --flops-column apply to --csv only; drop them.")
    }
    if replace && saveAs == nil {
      throw ValidationError("--replace needs --save-as NAME.")
    }
    if let name = saveAs, name.trimmingCharacters(in: .whitespaces).isEmpty {
      throw ValidationError("--save-as needs a non-empty name such as tiny-synthetic.")
    }
    if csv != nil && fixedE == "entropy" {
      throw ValidationError(
        "--fixed-e entropy needs a synthetic sweep (--sweep); give a number with --csv.")
    }
    if saveAs != nil && !["3", "all"].contains(approach) {
      throw ValidationError("--save-as stores the Approach-3 law; use --approach 3 or all.")
    }
    guard ["1", "2", "3", "all"].contains(approach) else {
      throw ValidationError("--approach must be 1, 2, 3 or all, not '\(approach)'.")
    }
    guard bootstrap == 0 || bootstrap >= 2 else {
      throw ValidationError(
        "--bootstrap must be 0 (none) or at least 2 resamples, not \(bootstrap).")
    }
    guard threads >= 1 else { throw ValidationError("--threads must be at least 1.") }
    if holdoutTop != nil && holdoutBelow != nil {
      throw ValidationError("Give --holdout-top or --holdout-below, not both.")
    }
    if let k = holdoutTop, k < 1 {
      throw ValidationError("--holdout-top must be at least 1 run, not \(k).")
    }
    guard ["hoffmann", "peer", "coarse"].contains(grid) else {
      throw ValidationError("--grid must be hoffmann, peer or coarse, not '\(grid)'.")
    }
  }

  public func run() throws {
    let options = try FitOptions(command: self)
    if sweep != nil || saveAs != nil {
      try runWithStore(options)
      return
    }
    let runs = try FitCommand.loadRuns(
      path: options.csv, columns: options.columns, flopsColumn: flopsColumn)
    let report = try FitCommand.analyse(runs, options)
    if output.json {
      try JSONOutput.print(report)
      return
    }
    print(FitCommand.render(report), terminator: "")
    if output.explain { print(FitCommand.explanation(options).render(), terminator: "") }
  }

  /// Reads runs from a CSV through Catalog's reader (errors carry file:line:column).
  public static func loadRuns(path: String, columns: String, flopsColumn: String?) throws
    -> [ImportedRun]
  {
    guard FileManager.default.fileExists(atPath: path) else {
      throw FitInputError("The runs file '\(path)' does not exist; check the --csv path.")
    }
    let table = try CSVTable(contentsOf: URL(fileURLWithPath: path))
    let mapping = try ColumnMapping.parse(columns, flopsColumn: flopsColumn)
    let rows = table.rows.map { TableRow(line: $0.line, cells: $0.cells, columns: $0.columns) }
    return try RunImport.runs(file: table.file, header: table.header, rows: rows, mapping: mapping)
  }

  /// Runs the requested approaches; approaches 1 and 2 report a refusal instead of failing when
  /// `all` was asked for.
  public static func analyse(_ runs: [ImportedRun], _ o: FitOptions) throws -> FitReport {
    let obs = runs.map(\.observation)
    let compute = runs.map(\.compute)
    var report = FitReport(nPoints: obs.count)
    let want = { (a: String) in o.approach == a || o.approach == "all" }
    if want("1") {
      do {
        let curves = runs.map {
          TrainingCurve(params: $0.observation.params, points: [($0.compute, $0.observation.loss)])
        }
        let r = try EnvelopeFit.fit(curves)
        report.approach1 = ExponentsJSON(
          a: r.a, b: r.b, points: r.points.count, computeRange: r.computeRange)
      } catch let e as FitError where o.approach == "all" {
        report.approach1 = ExponentsJSON(refused: e.description)
      }
    }
    if want("2") {
      do {
        let profiles = IsoFLOPFit.profiles(
          params: obs.map(\.params), compute: compute, losses: obs.map(\.loss))
        let r = try IsoFLOPFit.fit(profiles)
        report.approach2 = ExponentsJSON(
          a: r.a, b: r.b, points: r.vertices.count, computeRange: r.computeRange)
      } catch let e as FitError where o.approach == "all" {
        report.approach2 = ExponentsJSON(refused: e.description)
      }
    }
    try approach3Part(
      observations: obs, compute: compute, labels: runs.map(\.line), o, into: &report)
    report.addAllocationWarnings()
    return report
  }

  /// Approach 3 (with bootstrap), the held-out check and the reviewer warnings, added to
  /// `report`. `labels` name the runs in the held-out table (CSV line numbers or run ids).
  /// Returns the fit and its bootstrap, when made.
  @discardableResult
  public static func approach3Part(
    observations obs: [Observation], compute: [Double], labels: [Int], _ o: FitOptions,
    into report: inout FitReport
  ) throws -> (fit: Approach3Fit?, bootstrap: BootstrapResult?) {
    var fit3: Approach3Fit?
    var boot: BootstrapResult?
    if o.approach == "3" || o.approach == "all" {
      let fit = try Approach3.fit(obs, grid: o.grid, fixedE: o.fixedE, threads: o.threads)
      fit3 = fit
      var j = Approach3JSON(fit)
      if let c = o.budget {
        let opt = fit.parameters.optimalAllocation(compute: c)
        j.optimal = OptimalJSON(compute: c, params: opt.params, tokens: opt.tokens)
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
        j.bootstrap = BootstrapJSON(
          resamples: b.requested, failed: b.failed, seed: o.seed,
          percentiles: [b.percentiles.lower, b.percentiles.upper],
          alphaBetaCorrelation: b.alphaBetaCorrelation)
      }
      report.approach3 = j
    }
    if let split = o.holdoutTop.map(HoldOutSplit.topCompute)
      ?? o.holdoutBelow.map(HoldOutSplit.computeBelow)
    {
      let h = try HoldOut.check(
        obs, split: split, compute: compute, grid: o.grid, fixedE: o.fixedE,
        threads: o.threads)
      report.holdoutRelativeErrors = h.relativeErrors
      report.holdout = h.predictions.map {
        HoldOutJSON(
          line: labels[$0.index], params: $0.observation.params, tokens: $0.observation.tokens,
          compute: $0.compute, observed: $0.observation.loss, predicted: $0.predicted,
          relativeError: $0.relativeError)
      }
    }
    report.warnings = FitReview.warnings(
      observations: obs, fit: fit3, bootstrap: boot, budget: o.budget, compute: compute
    ).map { WarningJSON(code: $0.code, message: $0.description) }
    report.approach3Fit = fit3
    report.approach3Bootstrap = boot
    return (fit3, boot)
  }

  /// The text rendering of a report.
  public static func render(_ r: FitReport) -> String {
    var out = r.sweep.map(sweepHeader) ?? "\(r.nPoints) runs\n\n"
    if let p = r.approach3 {
      out += "Approach 3: L(N, D) = E + A/N^α + B/D^β (summed Huber δ = 1e-3, \(p.starts) starts)\n"
      var t = TextTable(header: ["parameter", "estimate", "std. error", "interval"])
      let rows: [(String, String, Double)] = [
        ("E", "E", p.E), ("A", "A", p.A), ("B", "B", p.B), ("α", "alpha", p.alpha),
        ("β", "beta", p.beta), ("a = β/(α+β)", "a", p.a), ("b = α/(α+β)", "b", p.b),
      ]
      for (label, key, value) in rows {
        let isFixed = key == "E" && p.fixedE != nil
        let se =
          isFixed ? "-" : p.standardErrors?[key].map { Format.significant($0, digits: 3) } ?? "-"
        let iv =
          p.intervals?[key].map {
            "[\(Format.significant($0[0], digits: 4)), \(Format.significant($0[1], digits: 4))]"
          } ?? "-"
        let fixedNote = isFixed ? " (fixed)" : ""
        t.add([label, Format.significant(value, digits: 5) + fixedNote, se, iv])
      }
      out += t.render()
      out +=
        "objective \(Format.scientific(p.objective, digits: 6)); rms relative error "
        + "\(Format.significant(100 * p.rmsRelativeError, digits: 3)) %; "
        + "\(p.startsAtOptimum) of \(p.starts) starts reached the optimum\n"
      if let b = p.bootstrap {
        out +=
          "bootstrap: \(b.resamples) resamples (seed \(b.seed)), \(b.failed) failed, "
          + "percentiles \(Format.significant(b.percentiles[0], digits: 3))–"
          + "\(Format.significant(b.percentiles[1], digits: 3)), corr(α, β) = "
          + "\(Format.significant(b.alphaBetaCorrelation, digits: 3))\n"
      }
      if let o = p.optimal {
        var line =
          "at C = \(Format.scientific(o.compute)) FLOP: N* = \(Format.si(o.params)), "
          + "D* = \(Format.si(o.tokens))"
        if let n = p.intervals?["N_opt"], let d = p.intervals?["D_opt"] {
          line +=
            " (N* \(Format.si(n[0]))–\(Format.si(n[1])), D* \(Format.si(d[0]))–"
            + "\(Format.si(d[1])))"
        }
        out += line + "\n"
      }
      out += "\n"
    }
    for (name, e) in [
      ("Approach 1 (envelope)", r.approach1), ("Approach 2 (isoFLOP)", r.approach2),
    ] {
      guard let e else { continue }
      if let reason = e.refused {
        out += "\(name): refused — \(reason)\n"
      } else if let a = e.a, let b = e.b {
        out +=
          "\(name): N_opt ∝ C^\(Format.significant(a, digits: 3)), "
          + "D_opt ∝ C^\(Format.significant(b, digits: 3)) (\(e.points ?? 0) points)\n"
      }
    }
    if let s = r.sweep { out += sweepNotes(s) }
    if let h = r.holdout {
      out += "\nHeld-out check (\(h.count) runs predicted by a fit on the others):\n"
      var t = TextTable(header: [
        r.sweep == nil ? "line" : "run", "N", "D", "observed", "predicted", "error",
      ])
      for p in h {
        t.add([
          "\(p.line)", Format.si(p.params), Format.si(p.tokens),
          Format.significant(p.observed, digits: 4), Format.significant(p.predicted, digits: 4),
          Format.significant(100 * p.relativeError, digits: 3) + " %",
        ])
      }
      out += t.render()
    }
    if !r.warnings.isEmpty {
      out += "\nWarnings:\n" + r.warnings.map { "- \($0.message)\n" }.joined()
    }
    return out
  }

  /// What `--explain` prints: formulas, inputs and sources.
  public static func explanation(_ o: FitOptions) -> Explanation {
    var e = Explanation()
    e.add(
      ExplainedStep(
        quantity: "Approach 3 objective",
        formula:
          "Σ_i Huber_δ(LSE(a − α log N_i, b − β log D_i, e) − log L_i), A = e^a, B = e^b, E = e^e",
        inputs: [
          ExplainedInput("δ", "1e-3", source: "Hoffmann et al. 2022, App. D.2"),
          ExplainedInput("starts", "\(o.grid.count(fixedE: o.fixedE != nil))", source: "grid"),
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

/// Parsed and checked options of `scaleplan fit`.
public struct FitOptions: Sendable {
  public var csv: String
  public var columns: String
  public var approach: String
  public var bootstrap: Int
  public var seed: UInt64
  public var fixedE: Double?
  public var holdoutTop: Int?
  public var holdoutBelow: Double?
  public var budget: Double?
  public var percentiles: (lower: Double, upper: Double)
  public var grid: InitGrid
  public var threads: Int
  /// `--fixed-e entropy`: hold E at the sweep corpus's exact entropy (resolved when loading).
  public var fixedEFromEntropy = false

  /// Options for library callers (tests, notebooks).
  public init(
    csv: String = "", columns: String = "", approach: String = "3", bootstrap: Int = 0,
    seed: UInt64 = 0, fixedE: Double? = nil, holdoutTop: Int? = nil, holdoutBelow: Double? = nil,
    budget: Double? = nil,
    percentiles: (lower: Double, upper: Double) = (2.5, 97.5), grid: InitGrid = .hoffmann,
    threads: Int = 2
  ) {
    self.csv = csv
    self.columns = columns
    self.approach = approach
    self.bootstrap = bootstrap
    self.seed = seed
    self.fixedE = fixedE
    self.holdoutTop = holdoutTop
    self.holdoutBelow = holdoutBelow
    self.budget = budget
    self.percentiles = percentiles
    self.grid = grid
    self.threads = threads
  }

  init(command c: FitCommand) throws {
    let parts = c.percentiles.split(separator: ",").map {
      Double($0.trimmingCharacters(in: .whitespaces))
    }
    guard parts.count == 2, let lo = parts[0], let hi = parts[1], lo > 0, lo < hi, hi < 100 else {
      throw ValidationError(
        "--percentiles must be two numbers 0 < lower < upper < 100 such as 2.5,97.5, not "
          + "'\(c.percentiles)'.")
    }
    let grids: [String: InitGrid] = ["hoffmann": .hoffmann, "peer": .scipyPeer, "coarse": .coarse]
    self.init(
      csv: c.csv ?? "", columns: c.columns ?? "", approach: c.approach, bootstrap: c.bootstrap,
      seed: c.seed,
      fixedE: try c.fixedE.flatMap {
        $0 == "entropy" ? nil : try Quantity.parsePositive($0, name: "--fixed-e")
      },
      holdoutTop: c.holdoutTop,
      holdoutBelow: try c.holdoutBelow.map {
        try Quantity.parsePositive($0, name: "--holdout-below")
      },
      budget: try c.budget.map { try Quantity.parsePositive($0, name: "--budget") },
      percentiles: (lo, hi), grid: grids[c.grid] ?? .hoffmann, threads: c.threads)
    fixedEFromEntropy = c.fixedE == "entropy"
  }
}

/// JSON of `scaleplan fit` (keys are part of the interface: scripts read them).
public struct FitReport: Encodable, Sendable {
  public var nPoints: Int
  public var approach1: ExponentsJSON?
  public var approach2: ExponentsJSON?
  public var approach3: Approach3JSON?
  public var holdoutRelativeErrors: [Double]?
  public var holdout: [HoldOutJSON]?
  public var warnings: [WarningJSON] = []
  /// The stored sweep the runs came from (`--sweep`).
  public var sweep: SweepFitJSON?
  /// The name the Approach-3 law was saved under (`--save-as`).
  public var savedLaw: String?
  /// The Approach-3 fit itself (not encoded), for saving and notebooks.
  public var approach3Fit: Approach3Fit?
  /// Its bootstrap (not encoded).
  public var approach3Bootstrap: BootstrapResult?

  enum CodingKeys: String, CodingKey {
    case sweep
    case savedLaw = "saved_law"
    case nPoints = "n_points"
    case approach1 = "approach_1"
    case approach2 = "approach_2"
    case approach3 = "approach_3"
    case holdoutRelativeErrors = "holdout_relative_errors"
    case holdout, warnings
  }
}

/// Exponents of N_opt ∝ C^a and D_opt ∝ C^b (Approaches 1 and 2), or why they were refused.
public struct ExponentsJSON: Encodable, Sendable {
  public var a: Double?
  public var b: Double?
  public var points: Int?
  public var refused: String?
  /// Largest over smallest compute of the points the exponents were fitted to.
  public var computeRange: Double? = nil

  enum CodingKeys: String, CodingKey {
    case a, b, points, refused
    case computeRange = "compute_range"
  }

  /// The exponents of a fit, with the compute range of its points.
  init(a: Double, b: Double, points: Int, computeRange: Double) {
    self.a = a
    self.b = b
    self.points = points
    self.computeRange = computeRange
  }

  /// A refusal.
  init(refused: String) { self.refused = refused }
}

extension FitReport {
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
      .map { WarningJSON(code: $0.code, message: $0.description) }
  }
}

/// Approach 3 parameters with optional bootstrap.
public struct Approach3JSON: Encodable, Sendable {
  public var E: Double
  public var A: Double
  public var B: Double
  public var alpha: Double
  public var beta: Double
  public var a: Double
  public var b: Double
  public var objective: Double
  public var nPoints: Int
  public var fixedE: Double?
  public var starts: Int
  public var startsAtOptimum: Int
  public var rmsRelativeError: Double
  public var residuals: [Double]
  public var intervals: [String: [Double]]?
  public var standardErrors: [String: Double]?
  public var bootstrap: BootstrapJSON?
  public var optimal: OptimalJSON?

  enum CodingKeys: String, CodingKey {
    case E, A, B, alpha, beta, a, b, objective, starts, residuals, intervals, bootstrap, optimal
    case nPoints = "n_points"
    case fixedE = "fixed_e"
    case startsAtOptimum = "starts_at_optimum"
    case rmsRelativeError = "rms_relative_error"
    case standardErrors = "standard_errors"
  }

  init(_ f: Approach3Fit) {
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
}

/// Bootstrap settings and diagnostics.
public struct BootstrapJSON: Encodable, Sendable {
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

/// N*(C), D*(C) at the requested budget.
public struct OptimalJSON: Encodable, Sendable {
  public var compute: Double
  public var params: Double
  public var tokens: Double
}

/// One held-out run.
public struct HoldOutJSON: Encodable, Sendable {
  public var line: Int
  public var params: Double
  public var tokens: Double
  public var compute: Double
  public var observed: Double
  public var predicted: Double
  public var relativeError: Double

  enum CodingKeys: String, CodingKey {
    case line, params, tokens, compute, observed, predicted
    case relativeError = "relative_error"
  }
}

/// A reviewer warning.
public struct WarningJSON: Encodable, Sendable {
  public var code: String
  public var message: String
}

/// A bad input file for `scaleplan fit`; one sentence.
struct FitInputError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
