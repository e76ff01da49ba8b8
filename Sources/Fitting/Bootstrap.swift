// Nonparametric bootstrap for Approach 3 (Efron & Tibshirani 1993, ch. 6 and 13; as used by
// Besiroglu et al. 2024 §3 for Chinchilla's parameters): resample the runs with replacement,
// refit, and read standard errors and percentile intervals off the refits. Each refit is
// warm-started from the full-data optimum and converges with the same tight tolerances (a loose
// tolerance leaves refits near their start and makes intervals far too narrow, as scipy's
// default L-BFGS-B tolerances do on Epoch's 240 points). Resample i draws from its own PRNG stream (seed, i), so results do
// not depend on the thread count.

import Dispatch
import Foundation
import Randomness

/// Summary of one bootstrapped quantity.
public struct BootstrapSummary: Sendable, Equatable, Codable {
  /// Value on the full data.
  public var estimate: Double
  /// Mean over resamples.
  public var mean: Double
  /// Standard error: the sample standard deviation over resamples (n − 1 denominator).
  public var standardError: Double
  /// Lower percentile (e.g. 2.5 %).
  public var lower: Double
  /// Upper percentile (e.g. 97.5 %).
  public var upper: Double
}

/// The result of a bootstrap.
public struct BootstrapResult: Sendable {
  /// Quantity names in order: E, A, B, alpha, beta, a, b, then N_opt, D_opt when a budget was
  /// given.
  public var names: [String]
  /// One row per successful resample, columns as in `names`.
  public var samples: [[Double]]
  /// The resample number (0-based, its PRNG stream) of each row of `samples`: failed resamples
  /// leave gaps, so row k is resample `sampleIndices[k]`.
  public var sampleIndices: [Int] = []
  /// Summaries keyed by name.
  public var summaries: [String: BootstrapSummary]
  /// Percentiles used for the interval (e.g. 2.5 and 97.5).
  public var percentiles: (lower: Double, upper: Double)
  /// Resamples requested.
  public var requested: Int
  /// Resamples whose refit did not converge or was not finite (excluded).
  public var failed: Int
  /// Budget C (FLOP) at which N_opt and D_opt were evaluated, if any.
  public var budget: Double?
  /// Pearson correlation of α and β across resamples.
  public var alphaBetaCorrelation: Double

  /// The percentile interval of a quantity, if it was bootstrapped.
  public func interval(_ name: String) -> (lower: Double, upper: Double)? {
    summaries[name].map { ($0.lower, $0.upper) }
  }
}

/// Bootstrap intervals for Approach 3.
public enum Bootstrap {
  /// Names of the bootstrapped quantities without a budget.
  public static let parameterNames = ["E", "A", "B", "alpha", "beta", "a", "b"]

  /// Resamples `observations` with replacement `resamples` times and refits each from `fit`.
  ///
  /// - Parameters:
  ///   - observations: the data the full fit used.
  ///   - fit: the full-data fit (warm start and point estimate).
  ///   - resamples: number of resamples (≥ 2).
  ///   - seed: PRNG seed; the same seed gives identical results on any thread count.
  ///   - budget: also bootstrap N*(C), D*(C) at this compute (FLOP).
  ///   - percentiles: interval percentiles in (0, 100), default (2.5, 97.5).
  ///   - threads: worker count.
  ///   - options: L-BFGS tolerances (tight by default).
  /// - Throws: `FitError.invalidOption` for bad counts or percentiles.
  public static func run(
    _ observations: [Observation], fit: Approach3Fit, resamples: Int, seed: UInt64 = 0,
    budget: Double? = nil, percentiles: (lower: Double, upper: Double) = (2.5, 97.5),
    threads: Int = 2, options: LBFGSOptions = .tight,
    delta: Double = HuberLSEProblem.defaultDelta
  ) throws -> BootstrapResult {
    guard resamples >= 2 else {
      throw FitError.invalidOption("The bootstrap needs at least 2 resamples; got \(resamples).")
    }
    guard percentiles.lower > 0, percentiles.lower < percentiles.upper, percentiles.upper < 100
    else {
      throw FitError.invalidOption(
        "Bootstrap percentiles must satisfy 0 < lower < upper < 100; got \(percentiles).")
    }
    if let c = budget, !(c > 0 && c.isFinite) {
      throw FitError.invalidOption("The budget \(c) FLOP must be a positive number.")
    }
    try Approach3.validate(observations, fixedE: fit.fixedE)
    let full = HuberLSEProblem(observations: observations, delta: delta, fixedE: fit.fixedE)
    let start = Approach3.thetaStart(fit.parameters, fixedE: fit.fixedE)
    let dim = full.dimension
    let n = observations.count
    let names = parameterNames + (budget == nil ? [] : ["N_opt", "D_opt"])
    let width = names.count
    let out = UnsafeMutableBufferPointer<Double>.allocate(capacity: resamples * width)
    out.initialize(repeating: .nan)
    defer { out.deallocate() }
    nonisolated(unsafe) let rows = out
    let workers = max(1, min(threads, resamples))
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      let solver = LBFGS(dimension: dim, options: options)
      var counts = [Int](repeating: 0, count: n)
      var i = worker
      while i < resamples {
        var rng = Xoshiro256StarStar(seed: seed, xoringStream: UInt64(i))
        for k in 0..<n { counts[k] = 0 }
        for _ in 0..<n { counts[rng.nextInt(below: n)] += 1 }
        let problem = full.resampled(counts: counts)
        let r = solver.minimize(from: start, objective: problem.evaluate)
        if r.status.converged && r.value.isFinite {
          let theta = Approach3.fullTheta(r.x, problem: problem)
          var law = ParametricLaw(logVector: theta)
          if let e = fit.fixedE { law.E = e }
          var row = [
            law.E, law.A, law.B, law.alpha, law.beta, law.paramsExponent, law.tokensExponent,
          ]
          if let c = budget {
            let opt = law.computeOptimal(flops: c)
            row += [opt.params, opt.tokens]
          }
          if row.allSatisfy(\.isFinite) {
            for k in 0..<width { rows[i * width + k] = row[k] }
          }
        }
        i += workers
      }
    }
    var samples: [[Double]] = []
    var sampleIndices: [Int] = []
    for i in 0..<resamples {
      let row = Array(out[(i * width)..<((i + 1) * width)])
      if row.allSatisfy(\.isFinite) {
        samples.append(row)
        sampleIndices.append(i)
      }
    }
    let law = fit.parameters
    var estimates = [
      law.E, law.A, law.B, law.alpha, law.beta, law.paramsExponent, law.tokensExponent,
    ]
    if let c = budget {
      let opt = law.computeOptimal(flops: c)
      estimates += [opt.params, opt.tokens]
    }
    var summaries: [String: BootstrapSummary] = [:]
    for (k, name) in names.enumerated() {
      let column = samples.map { $0[k] }
      summaries[name] = summarize(
        column, estimate: estimates[k], percentiles: percentiles)
    }
    let correlation = pearson(samples.map { $0[3] }, samples.map { $0[4] })
    return BootstrapResult(
      names: names, samples: samples, sampleIndices: sampleIndices, summaries: summaries,
      percentiles: percentiles,
      requested: resamples, failed: resamples - samples.count, budget: budget,
      alphaBetaCorrelation: correlation)
  }

  /// Linear-interpolation percentile (numpy's default, Hyndman & Fan 1996 type 7) of sorted data.
  /// p in percent; Randomness's `quantile(sorted:_:scale: .percent)`.
  public static func percentile(sorted: [Double], _ p: Double) -> Double {
    quantile(sorted: sorted, p, scale: .percent)
  }

  static func summarize(
    _ xs: [Double], estimate: Double, percentiles: (lower: Double, upper: Double)
  ) -> BootstrapSummary {
    guard !xs.isEmpty else {
      return BootstrapSummary(
        estimate: estimate, mean: .nan, standardError: .nan, lower: .nan, upper: .nan)
    }
    let mean = xs.reduce(0, +) / Double(xs.count)
    let variance =
      xs.count > 1 ? xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1) : 0
    let sorted = xs.sorted()
    return BootstrapSummary(
      estimate: estimate, mean: mean, standardError: variance.squareRoot(),
      lower: percentile(sorted: sorted, percentiles.lower),
      upper: percentile(sorted: sorted, percentiles.upper))
  }

  /// Pearson correlation coefficient (NaN for fewer than 2 points or zero variance).
  public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
    guard x.count == y.count, x.count > 1 else { return .nan }
    let mx = x.reduce(0, +) / Double(x.count)
    let my = y.reduce(0, +) / Double(y.count)
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for i in x.indices {
      sxy += (x[i] - mx) * (y[i] - my)
      sxx += (x[i] - mx) * (x[i] - mx)
      syy += (y[i] - my) * (y[i] - my)
    }
    return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : .nan
  }
}
