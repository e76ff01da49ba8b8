// `bench fit`: checks the Approach-3 grid fit (Hoffmann et al. 2022, §D.2) on Epoch AI's 240
// digitised Chinchilla points against the published grid optimum (Besiroglu et al. 2024, Table 1;
// data/reference/README.md), then times the full-grid fit (Hoffmann's 4,500 starts and the scipy
// peer's 7,776) and warm-started bootstrap refits, and compares with scipy's L-BFGS-B on the same
// points (data/peer-benchmarks.csv). Medians of the repeats; timing is never a test's assertion.

import Catalog
import Fitting
import Foundation
import Lab
import Planner

/// A fit benchmark.
public struct BenchFitRequest: Codable, Sendable, Equatable {
  /// A CSV of Epoch's digitised Chinchilla points (default: the built-in data/reference copy).
  public var data: String?
  /// 4500 (Hoffmann's grid) or 7776 (the scipy peer's grid); default 4500.
  public var starts: Int?
  /// Warm-started bootstrap refits to time; 0 skips (default 1,000).
  public var bootstrap: Int?
  /// Timed repeats; the median is reported (default 3).
  public var repeats: Int?
  /// Worker threads (default: every core).
  public var threads: Int?
  /// Seconds to wait before each repeat for the machine to be under 15 % busy (default 0).
  public var waitQuiet: Double?
  /// Skip the like-for-like run of the peer's 7,776-start grid.
  public var skipPeerGrid: Bool?

  enum CodingKeys: String, CodingKey {
    case data, starts, bootstrap, repeats, threads
    case waitQuiet = "wait_quiet"
    case skipPeerGrid = "skip_peer_grid"
  }

  /// Creates a request; every value left out takes the default.
  public init(
    data: String? = nil, starts: Int? = nil, bootstrap: Int? = nil, repeats: Int? = nil,
    threads: Int? = nil, waitQuiet: Double? = nil, skipPeerGrid: Bool? = nil
  ) {
    self.data = data
    self.starts = starts
    self.bootstrap = bootstrap
    self.repeats = repeats
    self.threads = threads
    self.waitQuiet = waitQuiet
    self.skipPeerGrid = skipPeerGrid
  }

  /// The defaults.
  public enum Defaults {
    public static let referenceFile = "reference/epoch_chinchilla_svg_extracted_data.csv"
    public static let starts = 4_500
    public static let bootstrap = 1_000
    public static let repeats = 3
    public static var threads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
    public static let waitQuiet = 0.0
  }

  /// Checks every field.
  /// - Throws: `RequestError.invalid` naming the flag.
  public func validate() throws {
    let d = Defaults.self
    let starts = self.starts ?? d.starts
    guard starts == 4_500 || starts == 7_776 else {
      throw RequestError.invalid(
        "--starts must be 4500 (Hoffmann's grid) or 7776 (the peer's grid), not \(starts).")
    }
    let repeats = self.repeats ?? d.repeats
    guard (1...100).contains(repeats) else {
      throw RequestError.invalid("--repeats must be from 1 to 100, not \(repeats).")
    }
    let bootstrap = self.bootstrap ?? d.bootstrap
    guard bootstrap == 0 || (2...100_000).contains(bootstrap) else {
      throw RequestError.invalid(
        "--bootstrap must be 0 or from 2 to 100,000 resamples, not \(bootstrap).")
    }
    let threads = self.threads ?? d.threads
    guard (1...64).contains(threads) else {
      throw RequestError.invalid("--threads must be from 1 to 64, not \(threads).")
    }
    let wait = waitQuiet ?? d.waitQuiet
    guard wait.isFinite, (0...3_600).contains(wait) else {
      throw RequestError.invalid("--wait-quiet must be from 0 to 3600 seconds, not \(wait).")
    }
  }
}

/// What `bench fit` measured. The JSON keys are the benchmark's record format
/// (data/measured-benchmarks.json's `fit`).
public struct BenchFitResult: Codable, Sendable, Explained {
  /// One timed grid.
  public struct Timing: Codable, Sendable, Equatable {
    public var name: String
    public var starts: Int
    public var secondsMedian: Double
    public var secondsAll: [Double]
    /// Process CPU seconds ÷ (wall seconds × threads), median.
    public var cpuShare: Double
    /// Process CPU seconds (all threads), median: robust to other load on the machine.
    public var cpuSeconds: Double
    public var evaluations: Int
    public var msPerStart: Double
    public var usPerEvaluation: Double
    /// (scipy seconds per start) ÷ (ours).
    public var speedupPerStartVsScipy: Double
    enum CodingKeys: String, CodingKey {
      case name, starts, evaluations
      case secondsMedian = "seconds_median"
      case secondsAll = "seconds_all"
      case cpuShare = "cpu_share"
      case cpuSeconds = "cpu_seconds"
      case msPerStart = "ms_per_start"
      case usPerEvaluation = "us_per_evaluation"
      case speedupPerStartVsScipy = "speedup_per_start_vs_scipy"
    }
  }

  /// The timed bootstrap.
  public struct BootTiming: Codable, Sendable, Equatable {
    public var resamples: Int
    public var secondsMedian: Double
    public var secondsAll: [Double]
    public var cpuShare: Double
    public var failed: Int
    /// scipy's seconds for as many refits ÷ ours.
    public var speedupVsScipy: Double
    /// 95 % percentile intervals of E, A, B, alpha, beta from the last repeat.
    public var intervals: [String: [Double]]
    enum CodingKeys: String, CodingKey {
      case resamples, failed, intervals
      case secondsMedian = "seconds_median"
      case secondsAll = "seconds_all"
      case cpuShare = "cpu_share"
      case speedupVsScipy = "speedup_vs_scipy"
    }
  }

  /// Points fitted (240).
  public var points: Int
  public var threads: Int
  /// The verified fit: E, A, B, alpha, beta.
  public var fitted: [String: Double]
  /// Its Huber objective.
  public var objective: Double
  public var grids: [Timing]
  public var bootstrap: BootTiming?
  /// scipy's figures used for the ratios, from data/peer-benchmarks.csv.
  public var scipyGridSeconds: Double
  public var scipyGridStarts: Int
  /// scipy's milliseconds per start (1 thread).
  public var scipyMsPerStart: Double
  public var scipyBootstrapSecondsPer100: Double
  public var warnings: [String]
  public var explanation: Explanation?

  enum CodingKeys: String, CodingKey {
    case points, threads, fitted, objective, grids, bootstrap, warnings, explanation
    case scipyGridSeconds = "scipy_grid_seconds"
    case scipyGridStarts = "scipy_grid_starts"
    case scipyMsPerStart = "scipy_ms_per_start"
    case scipyBootstrapSecondsPer100 = "scipy_bootstrap_seconds_per_100"
  }
}

/// Epoch AI's published plain-Huber grid optimum on the 240 points (Besiroglu et al. 2024;
/// data/reference/README.md): the fit must land here before it is timed.
public enum EpochGridOptimum {
  /// (name, published value, relative tolerance).
  public static let checks: [(name: String, value: Double, tolerance: Double)] = [
    ("E", 1.8172, 1e-4), ("alpha", 0.34731, 1e-4), ("beta", 0.36718, 1e-4),
    ("A", 477.84, 1e-3), ("B", 2143.86, 1e-3), ("objective", 1.01827e-3, 1e-5),
  ]

  /// Throws unless `fit` is within every tolerance.
  /// - Throws: `BenchError` naming the first value that differs.
  public static func verify(_ fit: Approach3Fit) throws {
    let p = fit.parameters
    let got: [String: Double] = [
      "E": p.E, "alpha": p.alpha, "beta": p.beta, "A": p.A, "B": p.B, "objective": fit.objective,
    ]
    for c in checks {
      let g = got[c.name] ?? .nan
      guard abs(g / c.value - 1) <= c.tolerance else {
        throw BenchError(
          "Verification failed: \(c.name) = \(g) but Epoch's grid optimum is \(c.value); not timing.")
      }
    }
  }
}

extension Engine {
  /// Epoch's points as the benchmark (and its published optimum) uses them: N = Model Size,
  /// D = Training FLOP / (6N), the 5 highest losses dropped → 240 (Besiroglu et al. 2024, §2).
  /// - Throws: `RequestError.invalid` for a missing file; import errors for a malformed one.
  public static func epochBenchmarkPoints(path: String) throws -> [Observation] {
    guard FileManager.default.fileExists(atPath: path) else {
      throw RequestError.invalid(
        "The benchmark data '\(path)' does not exist; check the --data path (without it the "
          + "built-in copy of epoch_chinchilla_svg_extracted_data.csv is used).")
    }
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw RequestError.invalid("The benchmark data '\(path)' is not UTF-8 text.")
    }
    return try epochBenchmarkPoints(text: text, file: (path as NSString).lastPathComponent)
  }

  /// The same selection from a file's text (e.g. the built-in copy of data/reference).
  /// - Throws: import errors for a malformed file, `RequestError.invalid` for too few rows.
  public static func epochBenchmarkPoints(text: String, file: String) throws -> [Observation] {
    let mapping = try fitMapping(
      columns: "params=Model Size,loss=loss", flopsColumn: "Training FLOP")
    let obs = try RunImport.fitRuns(text: text, file: file, mapping: mapping).runs.map(\.observation)
    guard obs.count > 5 else {
      throw RequestError.invalid("'\(file)' has too few rows for the benchmark.")
    }
    let cut = obs.map(\.loss).sorted()[obs.count - 5]
    return obs.filter { $0.loss < cut }
  }

  /// Verifies, then times the grid fits and the bootstrap.
  /// - Throws: `RequestError` for a bad request or missing data, `BenchError` when the fit misses
  ///   the published optimum or a peer figure is missing, `FitError` from the fitter.
  public func benchFit(_ request: BenchFitRequest) throws -> BenchFitResult {
    try request.validate()
    let d = BenchFitRequest.Defaults.self
    let threads = request.threads ?? d.threads
    let repeats = request.repeats ?? d.repeats
    let wait = request.waitQuiet ?? d.waitQuiet
    let starts = request.starts ?? d.starts
    let resamples = request.bootstrap ?? d.bootstrap
    let peers = try peerBenchmarks()
    guard let grid = peers.figure("fit", "grid7776", threads: 1, metric: "seconds"),
      let boot100 = peers.figure("fit", "bootstrap100", threads: 1, metric: "seconds")
    else {
      throw BenchError(
        "data/peer-benchmarks.csv lacks the scipy fit figures (fit,grid7776 and fit,bootstrap100).")
    }
    let scipyStarts = InitGrid.scipyPeer.count(fixedE: false)
    let obs = try request.data.map(Self.epochBenchmarkPoints(path:))
      ?? Self.epochBenchmarkPoints(
        text: catalogFiles().text(for: d.referenceFile),
        file: (d.referenceFile as NSString).lastPathComponent)
    // Correctness before speed: the grid must land on the published optimum.
    let check = try Approach3.fit(obs, grid: .hoffmann, threads: threads)
    try EpochGridOptimum.verify(check)

    func time(_ name: String, _ g: InitGrid) throws -> BenchFitResult.Timing {
      var seconds: [Double] = []
      var shares: [Double] = []
      var cpus: [Double] = []
      var evaluations = 0
      for _ in 0..<repeats {
        BenchClock.waitUntilQuiet(maxSeconds: wait)
        let (fit, wall, cpu) = try BenchClock.measure {
          try Approach3.fit(obs, grid: g, threads: threads)
        }
        try EpochGridOptimum.verify(fit)
        seconds.append(wall)
        shares.append(cpu / wall / Double(threads))
        cpus.append(cpu)
        evaluations = fit.evaluations
      }
      let median = BenchClock.median(seconds)
      let n = g.count(fixedE: false)
      let scipyPerStart = grid.value / Double(scipyStarts)
      return BenchFitResult.Timing(
        name: name, starts: n, secondsMedian: median, secondsAll: seconds,
        cpuShare: BenchClock.median(shares), cpuSeconds: BenchClock.median(cpus),
        evaluations: evaluations, msPerStart: 1e3 * median / Double(n),
        usPerEvaluation: 1e6 * median / Double(max(evaluations, 1)),
        speedupPerStartVsScipy: scipyPerStart / (median / Double(n)))
    }

    var grids = [try time(starts == 4_500 ? "hoffmann" : "scipy-peer", starts == 4_500 ? .hoffmann : .scipyPeer)]
    if !(request.skipPeerGrid ?? false) && starts != 7_776 {
      grids.append(try time("scipy-peer", .scipyPeer))
    }
    var bootTiming: BenchFitResult.BootTiming?
    if resamples > 0 {
      var seconds: [Double] = []
      var shares: [Double] = []
      var last: BootstrapResult?
      for _ in 0..<repeats {
        BenchClock.waitUntilQuiet(maxSeconds: wait)
        let (r, wall, cpu) = try BenchClock.measure {
          try Bootstrap.run(obs, fit: check, resamples: resamples, seed: 123, threads: threads)
        }
        seconds.append(wall)
        shares.append(cpu / wall / Double(threads))
        last = r
      }
      let median = BenchClock.median(seconds)
      var intervals: [String: [Double]] = [:]
      for (k, s) in last?.summaries ?? [:] { intervals[k] = [s.lower, s.upper] }
      bootTiming = BenchFitResult.BootTiming(
        resamples: resamples, secondsMedian: median, secondsAll: seconds,
        cpuShare: BenchClock.median(shares), failed: last?.failed ?? 0,
        speedupVsScipy: boot100.value * Double(resamples) / 100 / median, intervals: intervals)
    }
    let p = check.parameters
    var result = BenchFitResult(
      points: obs.count, threads: threads,
      fitted: ["E": p.E, "A": p.A, "B": p.B, "alpha": p.alpha, "beta": p.beta],
      objective: check.objective, grids: grids, bootstrap: bootTiming,
      scipyGridSeconds: grid.value, scipyGridStarts: scipyStarts,
      scipyMsPerStart: 1e3 * grid.value / Double(max(scipyStarts, 1)),
      scipyBootstrapSecondsPer100: boot100.value, warnings: [], explanation: nil)
    result.explanation = Self.benchFitExplanation(result, grid: grid, boot100: boot100)
    return result
  }

  static func benchFitExplanation(
    _ r: BenchFitResult, grid: PeerFigure, boot100: PeerFigure
  ) -> Explanation {
    var e = Explanation()
    let f = { (x: Double) in String(format: "%.4g", x) }
    e.add(
      ExplainedStep(
        quantity: "verified fit",
        formula: "Approach 3: minimise Σ Huber_δ(log L̂ − log L) over Hoffmann's grid of starts; "
          + "each timed fit must match the published optimum within 1e-4 (E, α, β), 1e-3 (A, B)",
        inputs: [
          ExplainedInput(
            "published optimum", "E 1.8172, α 0.34731, β 0.36718, A 477.84, B 2143.86",
            source: "Besiroglu et al. 2024, Table 1 (data/reference/README.md)")
        ],
        result: "E \(f(r.fitted["E"] ?? .nan)), α \(f(r.fitted["alpha"] ?? .nan)), "
          + "β \(f(r.fitted["beta"] ?? .nan))",
        source: "Hoffmann et al. 2022, §3.3 and §D.2"))
    for g in r.grids {
      e.add(
        ExplainedStep(
          quantity: "× scipy/start (\(g.name))",
          formula: "(scipy s / scipy starts) / (median s / starts); median s = median wall time "
            + "of the repeats of one full fit",
          inputs: [
            ExplainedInput("scipy s", Format.number(grid.value), source: grid.source),
            ExplainedInput("scipy starts", "\(r.scipyGridStarts)", source: "the scipy peer's grid"),
            ExplainedInput("median s", f(g.secondsMedian), source: "measured here"),
            ExplainedInput("starts", "\(g.starts)", source: "the grid"),
          ],
          result: String(format: "%.1f", g.speedupPerStartVsScipy), source: "data/peer-benchmarks.csv"))
    }
    if let b = r.bootstrap {
      e.add(
        ExplainedStep(
          quantity: "bootstrap × scipy",
          formula: "scipy s per 100 refits × resamples / 100 / median s; each resample draws the "
            + "runs with replacement and refits from the full-data optimum",
          inputs: [
            ExplainedInput("scipy s / 100", Format.number(boot100.value), source: boot100.source),
            ExplainedInput("resamples", "\(b.resamples)", source: "--bootstrap"),
            ExplainedInput("median s", f(b.secondsMedian), source: "measured here"),
          ],
          result: String(format: "%.1f", b.speedupVsScipy), source: "Efron & Tibshirani 1993, ch. 6"))
    }
    return e
  }
}
