// Intervals on N*(C) and D*(C). For a law fitted here with a bootstrap (saved with its refits):
// percentiles over those refits. Otherwise from the law's published standard errors, by seeded
// Monte Carlo. Distribution: (E, A, B, α, β) normals with the published means and SEs,
// independent unless the uncertainty carries a correlation matrix (then correlated through its
// Cholesky factor; Besiroglu et al. 2024 publish SEs but no covariance, so presets are
// independent); a draw with any non-positive A, B, α or β is redrawn. Independence ignores the strong A–α and B–β correlation a bootstrap shows, so these
// intervals are wider than the paper's own bootstrap intervals: read them as conservative.
// E does not enter N* or D*. Deterministic: SplitMix64 with a fixed seed, Box–Muller
// normals (Randomness: `nextNormalMidpoint`).

import Fitting
import Foundation
import Randomness

/// How intervals are drawn (fixed so output is byte-stable).
public enum AllocationIntervalMethod {
  /// Number of Monte Carlo draws (Epoch's bootstrap also used 4,000 samples).
  public static let draws = 4000
  /// Seed of the SplitMix64 generator.
  public static let seed: UInt64 = 20_240_415
  /// Lower and upper percentiles of the reported interval.
  public static let percentiles = (low: 0.10, high: 0.90)
  /// The caveat printed with every interval drawn without a correlation matrix.
  public static let caveat =
    "independent normals over published SEs (no covariance published); ignoring the A–α, B–β "
    + "correlation makes the interval wider than a bootstrap's — conservative"

  /// The caveat for intervals drawn with a correlation matrix (a fitted law's bootstrap).
  public static let correlatedCaveat =
    "correlated normals over the fit's bootstrap standard errors and correlation matrix (a "
    + "normal approximation to the bootstrap's spread)"

  /// The caveat that applies to `uncertainty`: the bootstrap's own refits when it carries them,
  /// correlated normals when it carries a valid correlation matrix, independent otherwise.
  public static func caveat(for uncertainty: ParametricUncertainty) -> String {
    if let n = usableSamples(uncertainty)?.count {
      if let origin = uncertainty.samplesOrigin {
        return "percentiles over \(n) bootstrap refits (\(origin); no normal approximation)"
      }
      return "percentiles over the fit's \(n) bootstrap refits (its own resamples, no normal "
        + "approximation)"
    }
    return usesCorrelation(uncertainty) ? correlatedCaveat : caveat
  }

  /// The bootstrap refits to take percentiles over: rows of five finite values with positive A,
  /// B, α and β; nil when there are fewer than 10.
  public static func usableSamples(_ uncertainty: ParametricUncertainty) -> [[Double]]? {
    let rows = (uncertainty.samples ?? []).filter {
      $0.count == 5 && $0.allSatisfy(\.isFinite) && $0[1] > 0 && $0[2] > 0 && $0[3] > 0
        && $0[4] > 0
    }
    return rows.count >= 10 ? rows : nil
  }

  /// True when the draws use `uncertainty`'s correlation matrix.
  public static func usesCorrelation(_ uncertainty: ParametricUncertainty) -> Bool {
    uncertainty.correlation.flatMap(cholesky) != nil
  }
}

/// 80% (10th–90th percentile) intervals on N*(C) and D*(C) for `law` with standard errors `se`.
public func allocationInterval(
  law: ParametricLaw, uncertainty se: ParametricUncertainty, flops: Double,
  draws: Int = AllocationIntervalMethod.draws, seed: UInt64 = AllocationIntervalMethod.seed
) -> (params: ClosedRange<Double>, tokens: ClosedRange<Double>) {
  allocationInterval(law: law, uncertainty: se, target: .compute(flops), draws: draws, seed: seed)
}

/// 80% intervals on the plan's N and D for a target: for `.compute(C)` and `.loss` (evaluated at
/// the planned compute `C`) N*(C), D*(C); for `.params(N)` the optimal partner D*(N) (N fixed);
/// for `.tokens(D)` the optimal partner N*(D) (D fixed).
public func allocationInterval(
  law: ParametricLaw, uncertainty se: ParametricUncertainty, target: PlanTarget,
  plannedFLOPs: Double? = nil, draws: Int = AllocationIntervalMethod.draws,
  seed: UInt64 = AllocationIntervalMethod.seed
) -> (params: ClosedRange<Double>, tokens: ClosedRange<Double>) {
  /// N and D for one drawn (or resampled) law, nil when not finite.
  func allocation(_ drawn: ParametricLaw) -> (n: Double, d: Double)? {
    let n: Double
    let d: Double
    switch target {
    case .compute(let c):
      (n, d) = drawn.computeOptimal(flops: c)
    case .loss:
      (n, d) = drawn.computeOptimal(flops: plannedFLOPs ?? .nan)
    case .params(let fixed):
      n = fixed
      d = drawn.optimalTokens(forParams: fixed)
    case .tokens(let fixed):
      d = fixed
      n = drawn.flops(forOptimalTokens: fixed) / (6 * fixed)
    }
    return n.isFinite && d.isFinite ? (n, d) : nil
  }
  let (lo, hi) = AllocationIntervalMethod.percentiles
  if let rows = AllocationIntervalMethod.usableSamples(se) {
    // The bootstrap's own refits: percentiles of N and D over them.
    let pairs = rows.compactMap {
      allocation(ParametricLaw(E: $0[0], A: $0[1], B: $0[2], alpha: $0[3], beta: $0[4]))
    }
    if !pairs.isEmpty {
      let ns = pairs.map(\.n).sorted()
      let ds = pairs.map(\.d).sorted()
      return (
        quantile(sorted: ns, lo)...quantile(sorted: ns, hi),
        quantile(sorted: ds, lo)...quantile(sorted: ds, hi)
      )
    }
  }
  return drawnIntervals(
    law: law, uncertainty: se, count: 1, draws: draws, seed: seed, allocation: { drawn, _ in
      allocation(drawn)
    })[0]
}

/// 80% intervals on N*(C) and D*(C) at each compute in `flops`, each exactly what
/// `allocationInterval(law:uncertainty:flops:)` gives for that C, from one pass over the draws
/// (the frontier charts ask for dozens of C at once).
public func allocationIntervals(
  law: ParametricLaw, uncertainty se: ParametricUncertainty, flops: [Double],
  draws: Int = AllocationIntervalMethod.draws, seed: UInt64 = AllocationIntervalMethod.seed
) -> [(params: ClosedRange<Double>, tokens: ClosedRange<Double>)] {
  if AllocationIntervalMethod.usableSamples(se) != nil {
    return flops.map { allocationInterval(law: law, uncertainty: se, flops: $0) }
  }
  return drawnIntervals(
    law: law, uncertainty: se, count: flops.count, draws: draws, seed: seed,
    allocation: { drawn, k in
      let (n, d) = drawn.computeOptimal(flops: flops[k])
      return n.isFinite && d.isFinite ? (n, d) : nil
    })
}

/// The Monte Carlo behind the intervals: draws laws from `se` in a fixed order and, for each of
/// `count` targets, keeps the first `draws` draws whose allocation is finite there. One target
/// sees the same draws, in the same order, whether it is asked alone or with others. Gives up
/// after 100 × draws attempts (a law whose every draw fails yields an infinite interval, which the
/// use-case layer refuses with a sentence, instead of looping for ever).
func drawnIntervals(
  law: ParametricLaw, uncertainty se: ParametricUncertainty, count: Int, draws: Int, seed: UInt64,
  allocation: (ParametricLaw, Int) -> (n: Double, d: Double)?
) -> [(params: ClosedRange<Double>, tokens: ClosedRange<Double>)] {
  drawnBands(
    law: law, uncertainty: se, count: count, width: 2, draws: draws, seed: seed,
    figures: { drawn, k in allocation(drawn, k).map { [$0.n, $0.d] } }
  ).map { ($0[0], $0[1]) }
}

/// 80% intervals on every figure `figures` gives for a law (N, D and more), for each of `count`
/// targets: the 10th–90th percentiles over the laws drawn from `se` (see `drawnIntervals`; the
/// same draws in the same order, so N and D are exactly `drawnIntervals`'s). With independent
/// normals E is drawn from its own stream (seed xor 0x45), so adding figures that depend on E
/// (a loss) leaves the draws of A, B, α, β, and so the N and D intervals, unchanged.
func drawnBands(
  law: ParametricLaw, uncertainty se: ParametricUncertainty, count: Int, width: Int, draws: Int,
  seed: UInt64, figures: (ParametricLaw, Int) -> [Double]?
) -> [[ClosedRange<Double>]] {
  let (lo, hi) = AllocationIntervalMethod.percentiles
  var rng = SplitMix64(seed: seed)
  var eRng = SplitMix64(seed: seed ^ 0x45)
  var values = Array(repeating: Array(repeating: [Double](), count: width), count: count)
  var kept = Array(repeating: 0, count: count)
  let factor = se.correlation.flatMap(cholesky)
  let sd = [se.seE, se.seA, se.seB, se.seAlpha, se.seBeta]
  let mean = [law.E, law.A, law.B, law.alpha, law.beta]
  var open = count
  var attempts = 0
  while open > 0 && attempts < 100 * max(draws, 1) {
    attempts += 1
    var v: [Double]
    if let factor {
      let z = (0..<5).map { _ in rng.nextNormalMidpoint() }
      v = (0..<5).map { i in mean[i] + sd[i] * (0...i).reduce(0) { $0 + factor[i][$1] * z[$1] } }
    } else {
      // Independent draws in the historical order A, B, α, β; E (which does not move N* or D*)
      // from its own stream.
      v = [law.E, 0, 0, 0, 0]
      v[1] = law.A + se.seA * rng.nextNormalMidpoint()
      v[2] = law.B + se.seB * rng.nextNormalMidpoint()
      v[3] = law.alpha + se.seAlpha * rng.nextNormalMidpoint()
      v[4] = law.beta + se.seBeta * rng.nextNormalMidpoint()
    }
    guard v[1] > 0, v[2] > 0, v[3] > 0, v[4] > 0 else { continue }
    if factor == nil { v[0] = law.E + se.seE * eRng.nextNormalMidpoint() }
    let drawn = ParametricLaw(E: v[0], A: v[1], B: v[2], alpha: v[3], beta: v[4])
    for k in 0..<count where kept[k] < draws {
      guard let f = figures(drawn, k), f.count == width, f.allSatisfy(\.isFinite) else { continue }
      for j in 0..<width { values[k][j].append(f[j]) }
      kept[k] += 1
      if kept[k] == draws { open -= 1 }
    }
  }
  return (0..<count).map { k in
    (0..<width).map { j in
      guard !values[k][j].isEmpty else { return Double.infinity...Double.infinity }
      let sorted = values[k][j].sorted()
      return quantile(sorted: sorted, lo)...quantile(sorted: sorted, hi)
    }
  }
}

/// 80% intervals on every figure of one plan.
public struct PlanIntervals: Sendable, Equatable {
  /// On N (the partner of a fixed D, or N*(C)); equal ends when N was given.
  public var params: ClosedRange<Double>
  /// On D.
  public var tokens: ClosedRange<Double>
  /// On D/N, taken per law (not the ratio of the N and D intervals' ends).
  public var tokensPerParam: ClosedRange<Double>
  /// On the loss the planned run (N, D) reaches, under each law.
  public var loss: ClosedRange<Double>
}

/// 80% intervals on a plan's N, D, D/N and loss under `law`'s uncertainty: percentiles over the
/// law's bootstrap refits when it carries at least 10 (each refit taken as a law: its own
/// allocation for `target`, its own D/N, and its loss at the planned `run`), otherwise over
/// seeded normal draws (`drawnBands`). N and D equal `allocationInterval`'s for the same target.
/// - Parameters:
///   - plannedFLOPs: the compute of a `.loss` target's plan.
///   - run: the planned (N, D) whose loss is bounded.
public func planIntervals(
  law: ParametricLaw, uncertainty se: ParametricUncertainty, target: PlanTarget,
  plannedFLOPs: Double? = nil, run: (params: Double, tokens: Double),
  draws: Int = AllocationIntervalMethod.draws, seed: UInt64 = AllocationIntervalMethod.seed
) -> PlanIntervals {
  func figures(_ drawn: ParametricLaw) -> [Double]? {
    let n: Double
    let d: Double
    switch target {
    case .compute(let c):
      (n, d) = drawn.computeOptimal(flops: c)
    case .loss:
      (n, d) = drawn.computeOptimal(flops: plannedFLOPs ?? .nan)
    case .params(let fixed):
      n = fixed
      d = drawn.optimalTokens(forParams: fixed)
    case .tokens(let fixed):
      d = fixed
      n = drawn.flops(forOptimalTokens: fixed) / (6 * fixed)
    }
    let f = [n, d, d / n, drawn.loss(params: run.params, tokens: run.tokens)]
    return f.allSatisfy(\.isFinite) ? f : nil
  }
  let bands: [ClosedRange<Double>]
  if let rows = AllocationIntervalMethod.usableSamples(se) {
    let (lo, hi) = AllocationIntervalMethod.percentiles
    let kept = rows.compactMap {
      figures(ParametricLaw(E: $0[0], A: $0[1], B: $0[2], alpha: $0[3], beta: $0[4]))
    }
    bands = (0..<4).map { j in
      guard !kept.isEmpty else { return Double.infinity...Double.infinity }
      let sorted = kept.map { $0[j] }.sorted()
      return quantile(sorted: sorted, lo)...quantile(sorted: sorted, hi)
    }
  } else {
    bands = drawnBands(
      law: law, uncertainty: se, count: 1, width: 4, draws: draws, seed: seed,
      figures: { drawn, _ in figures(drawn) })[0]
  }
  return PlanIntervals(
    params: bands[0], tokens: bands[1], tokensPerParam: bands[2], loss: bands[3])
}
