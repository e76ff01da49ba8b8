// The few distributions the projections sample, all value types. Generator, normals (Box–Muller
// 1958, the caching-pair variant) and the sample quantile come from Randomness. Inverse normal CDF: Acklam's rational
// approximation (relative error < 1.15e-9) with one Halley refinement step on erfc.
// Percentiles: Randomness.quantile (Hyndman & Fan 1996, definition 7).

import Foundation
import Randomness

/// The standard normal quantile Φ⁻¹(p) for 0 < p < 1 (Acklam's algorithm plus one Halley step).
public func normalQuantile(_ p: Double) -> Double {
  precondition(p > 0 && p < 1, "normalQuantile needs 0 < p < 1")
  let a = [
    -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
    1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00,
  ]
  let b = [
    -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
    6.680131188771972e+01, -1.328068155288572e+01,
  ]
  let c = [
    -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
    -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00,
  ]
  let d = [
    7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
    3.754408661907416e+00,
  ]
  let low = 0.02425
  var x: Double
  if p < low {
    let q = (-2 * log(p)).squareRoot()
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
      / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  } else if p <= 1 - low {
    let q = p - 0.5
    let r = q * q
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
      / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  } else {
    let q = (-2 * log(1 - p)).squareRoot()
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
      / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
  }
  // One Halley step against Φ(x) = erfc(−x/√2)/2 brings the error to ~1e-15.
  let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
  let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
  x -= u / (1 + x * u / 2)
  return x
}

/// The standard normal CDF Φ(x).
public func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

/// A positive quantity whose logarithm is a split (two-piece) normal: median `median`, with the
/// lower and upper halves scaled separately so that `low` and `high` are the two ends of a central
/// interval of probability `level` (e.g. 0.90: `low` is the 5th and `high` the 95th percentile).
/// With `low · high = median²` it is an ordinary log-normal; published intervals are often
/// asymmetric in log space (300T, 100T–1,000T), and the split form matches all three numbers.
/// With no interval it is a point mass at `median`.
public struct SplitLogNormal: Sendable, Equatable, Codable {
  public var median: Double
  /// σ of ln(x) below and above the median.
  public var sigmaLow: Double
  public var sigmaHigh: Double

  /// A split log-normal from its median and the σ of ln(x) on each side (σ ≥ 0).
  public init(median: Double, sigmaLow: Double, sigmaHigh: Double) {
    self.median = median
    self.sigmaLow = sigmaLow
    self.sigmaHigh = sigmaHigh
  }

  /// A point mass (no uncertainty).
  public init(fixed value: Double) {
    median = value
    sigmaLow = 0
    sigmaHigh = 0
  }

  /// Fits the two halves to a central interval [low, high] of probability `level`.
  /// - Throws: `QuantityError` unless 0 < low ≤ median ≤ high and 0 < level < 1.
  public init(median: Double, low: Double, high: Double, level: Double) throws {
    try requirePositive(median, "median")
    try requirePositive(low, "interval low end")
    try requirePositive(high, "interval high end")
    try requireRange(level, "interval level", 0.5, 0.999)
    guard low <= median, median <= high else {
      throw QuantityError.outOfRange(
        name: "median", value: median,
        range: "between the interval ends \(Format.number(low)) and \(Format.number(high))")
    }
    let z = normalQuantile(0.5 + level / 2)
    self.median = median
    sigmaLow = log(median / low) / z
    sigmaHigh = log(high / median) / z
  }

  /// True when the distribution is a single value.
  public var isFixed: Bool { sigmaLow == 0 && sigmaHigh == 0 }

  /// The p-quantile in closed form: median · exp(σ± · Φ⁻¹(p)).
  public func quantile(_ p: Double) -> Double {
    let z = normalQuantile(p)
    return median * exp((z < 0 ? sigmaLow : sigmaHigh) * z)
  }

  /// One draw (uses one standard normal from `rng` even when fixed, so streams stay aligned).
  public func sample(_ rng: inout Xoshiro256StarStar) -> Double {
    let z = rng.nextNormalCachingPair()
    return median * exp((z < 0 ? sigmaLow : sigmaHigh) * z)
  }

  /// The same distribution for ln(x): a split normal, draw `ln(median) + σ±·z`.
  public func sampleLog(_ rng: inout Xoshiro256StarStar) -> Double {
    let z = rng.nextNormalCachingPair()
    return log(median) + (z < 0 ? sigmaLow : sigmaHigh) * z
  }
}

/// Tenth, fiftieth and ninetieth percentiles of a sample.
public struct Percentiles: Sendable, Equatable, Codable {
  public var p10: Double
  public var median: Double
  public var p90: Double

  /// Creates from values.
  public init(p10: Double, median: Double, p90: Double) {
    self.p10 = p10
    self.median = median
    self.p90 = p90
  }

  /// All three equal (a deterministic answer).
  public init(exactly value: Double) { self.init(p10: value, median: value, p90: value) }

  /// Percentiles of `values` (sorted here; infinities sort last, NaN is not expected).
  public init(of values: [Double]) {
    self.init(sorted: values.sorted())
  }

  /// Percentiles of values already sorted ascending.
  public init(sorted: [Double]) {
    self.init(
      p10: quantile(sorted: sorted, 0.1), median: quantile(sorted: sorted, 0.5),
      p90: quantile(sorted: sorted, 0.9))
  }
}
