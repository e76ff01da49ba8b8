// Peak learning rate per model size, as data. Source: shared/SYNTHETIC-CORPUS.md, "Training
// setup" table (12K → 4e-2, 40K → 1.5e-2, 150K → 1e-2, 600K → 5e-3, tuned with 2–3 rates per size
// at 1M tokens) and "Recommendation" (the ~2.4M model, 6 × 176: "~3e-3 is a guess", untested).
// Other sizes: linear interpolation of log(lr) in log(N) between neighbours; below the smallest
// size the rate is held at 4e-2 (never above the largest rate tried), above the largest it follows
// the last segment's log-log slope.

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

  /// The table for the synthetic Zipf corpus at batch 32 × ctx 64 (shared/SYNTHETIC-CORPUS.md).
  public static let syntheticCorpus = LearningRateTable(points: [
    LearningRatePoint(
      params: 12_768, learningRate: 4e-2, source: "SYNTHETIC-CORPUS.md training table (12K)"),
    LearningRatePoint(
      params: 39_520, learningRate: 1.5e-2, source: "SYNTHETIC-CORPUS.md training table (40K)"),
    LearningRatePoint(
      params: 150_080, learningRate: 1e-2, source: "SYNTHETIC-CORPUS.md training table (150K)"),
    LearningRatePoint(
      params: 608_160, learningRate: 5e-3, source: "SYNTHETIC-CORPUS.md training table (600K)"),
    LearningRatePoint(
      params: 2_244_352, learningRate: 3e-3,
      source: "SYNTHETIC-CORPUS.md Recommendation, full preset 6×176: a guess, not tested"),
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

  /// The table entry for exactly this size, if there is one.
  public func exactPoint(params: Double) -> LearningRatePoint? {
    points.first { $0.params == params }
  }
}
