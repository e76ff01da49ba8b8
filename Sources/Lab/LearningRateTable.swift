// Peak learning rate per model size, as data. Source: a learning-rate scan with this project's
// own trainer (data/learning-rate-scan.csv: 10 ladder sizes, 6.1K–150K, 4–8 rates each around
// data/synthetic-corpus.md's PyTorch-tuned values, 3–8M tokens, batch 32 × ctx 64, the default
// synthetic corpus). One law fits the scan: lr*(N) = c · (N / 30,000)^(−p), fitted jointly with a
// parabola in log(lr) per size (`LearningRateTable.scanFit`). The study's own values (12K 4e-2,
// 40K 1.5e-2, 150K 1e-2) were tuned at 1M tokens with 2–3 rates per size; at the presets' 3–8M
// tokens this trainer does 0.4–1.3 % better at about half those rates, and the 100K and 150K
// models (4 heads of 16) want rates 2.5–3× lower. Other sizes: log-log interpolation between the
// two table points, i.e. the law itself; below the smallest scanned size the rate is held, above
// the largest the law is extrapolated.

import Foundation

/// One measured (or guessed) learning rate for a model size.
public struct LearningRatePoint: Sendable, Equatable, Codable {
  /// Non-embedding parameters N.
  public var params: Double
  /// Peak learning rate.
  public var learningRate: Double
  /// Where the value comes from.
  public var source: String

  /// Creates a point.
  public init(params: Double, learningRate: Double, source: String) {
    self.params = params
    self.learningRate = learningRate
    self.source = source
  }
}

/// A learning-rate table indexed by non-embedding parameter count.
public struct LearningRateTable: Sendable, Equatable {
  /// Points sorted by `params`.
  public let points: [LearningRatePoint]

  /// Creates a table; points are sorted by size (at least one is required).
  public init(points: [LearningRatePoint]) {
    precondition(!points.isEmpty, "a learning-rate table needs at least one point")
    self.points = points.sorted { $0.params < $1.params }
  }

  /// The learning-rate law fitted to the scan: lr*(N) = coefficient · (N / referenceParams)^−exponent.
  public static let scanFit = (coefficient: 0.011856, exponent: 0.7006, referenceParams: 30_000.0)

  /// The source recorded for a rate given on the command line.
  public static let givenSource = "--lr"

  /// The smallest and largest sizes of the scan (non-embedding N): 1×22 and 3×64.
  public static let scanRange = (smallest: 6_138.0, largest: 150_080.0)

  /// The law's rate at `params`, unclamped.
  public static func scanLaw(params: Double) -> Double {
    scanFit.coefficient * pow(params / scanFit.referenceParams, -scanFit.exponent)
  }

  /// The table for the synthetic Zipf corpus at batch 32 × ctx 64: the scan law at the scan's two
  /// end sizes, so log-log interpolation between them is the law.
  public static let syntheticCorpus = LearningRateTable(points: [
    LearningRatePoint(
      params: scanRange.smallest, learningRate: scanLaw(params: scanRange.smallest),
      source: "learning-rate law fitted to data/learning-rate-scan.csv (smallest scanned size)"),
    LearningRatePoint(
      params: scanRange.largest, learningRate: scanLaw(params: scanRange.largest),
      source: "learning-rate law fitted to data/learning-rate-scan.csv (largest scanned size)"),
  ])

  /// The peak learning rate for a model of `params` non-embedding parameters.
  public func learningRate(params: Double) -> Double {
    let p = points
    if let exact = exactPoint(params: params) { return exact.learningRate }
    guard p.count > 1, params > p[0].params else { return p[0].learningRate }
    var i = 0
    while i < p.count - 2 && params > p[i + 1].params { i += 1 }
    let (a, b) = (p[i], p[i + 1])
    let slope = log(b.learningRate / a.learningRate) / log(b.params / a.params)
    return a.learningRate * exp(slope * log(params / a.params))
  }

  /// The peak learning rate for `params` with where it comes from, as `sweep plan` and
  /// `--explain` print it.
  public func rateWithSource(params: Double) -> (rate: Double, source: String) {
    if let exact = exactPoint(params: params) { return (exact.learningRate, exact.source) }
    let rate = learningRate(params: params)
    if let first = points.first, params < first.params {
      return (rate, "below the scanned sizes: the smallest's rate")
    }
    if let last = points.last, params > 10 * last.params {
      return (
        rate,
        "beyond 10× the scanned sizes: the law extrapolated, untested; give --lr or tune it on "
          + "your trainer"
      )
    }
    if let last = points.last, params > last.params {
      return (rate, "above the scanned sizes: the law extrapolated")
    }
    return (rate, "the learning-rate law fitted to data/learning-rate-scan.csv")
  }

  /// The table entry for exactly this size, if there is one.
  public func exactPoint(params: Double) -> LearningRatePoint? {
    points.first { $0.params == params }
  }
}
