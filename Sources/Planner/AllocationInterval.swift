// Intervals on N*(C) and D*(C) from a parametric law's published standard errors, by seeded
// Monte Carlo. Distribution: (A, B, α, β) independent normals with the published means and SEs
// (Besiroglu et al. 2024 publish SEs but no covariance); a draw with any non-positive value is
// redrawn. Independence ignores the strong A–α and B–β correlation a bootstrap shows, so these
// intervals are wider than the paper's own bootstrap intervals: read them as conservative.
// E does not enter N* or D*. Deterministic: SplitMix64 with a fixed seed, Box–Muller normals.

import Foundation

/// How intervals are drawn (fixed so output is byte-stable).
public enum AllocationIntervalMethod {
  /// Number of Monte Carlo draws (Epoch's bootstrap also used 4,000 samples).
  public static let draws = 4000
  /// Seed of the SplitMix64 generator.
  public static let seed: UInt64 = 20_240_415
  /// Lower and upper percentiles of the reported interval.
  public static let percentiles = (low: 0.10, high: 0.90)
  /// The caveat printed with every interval.
  public static let caveat =
    "independent normals over published SEs (no covariance published); ignoring the A–α, B–β "
    + "correlation makes the interval wider than a bootstrap's — conservative"
}

extension SplitMix64 {
  /// A standard normal deviate (Box–Muller; one of the pair is discarded for simplicity).
  /// The generator itself lives in MonteCarlo.swift.
  public mutating func normal() -> Double {
    let u1 = (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992.0
    let u2 = Double(next() >> 11) / 9_007_199_254_740_992.0
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
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
  var rng = SplitMix64(seed: seed)
  var ns: [Double] = []
  var ds: [Double] = []
  ns.reserveCapacity(draws)
  ds.reserveCapacity(draws)
  while ns.count < draws {
    let a = law.A + se.seA * rng.normal()
    let b = law.B + se.seB * rng.normal()
    let al = law.alpha + se.seAlpha * rng.normal()
    let be = law.beta + se.seBeta * rng.normal()
    guard a > 0, b > 0, al > 0, be > 0 else { continue }
    let drawn = ParametricLaw(E: law.E, A: a, B: b, alpha: al, beta: be)
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
    guard n.isFinite, d.isFinite else { continue }
    ns.append(n)
    ds.append(d)
  }
  ns.sort()
  ds.sort()
  let (lo, hi) = AllocationIntervalMethod.percentiles
  return (
    quantile(sorted: ns, lo)...quantile(sorted: ns, hi),
    quantile(sorted: ds, lo)...quantile(sorted: ds, hi)
  )
}
