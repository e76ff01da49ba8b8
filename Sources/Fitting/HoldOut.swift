// Held-out check: fit Approach 3 on the runs below a compute threshold (or all but the k largest
// by compute) and predict the final loss of the rest; report predicted/observed − 1. This is the
// check Hoffmann et al. 2022 make informally by extrapolating to Chinchilla (§4), run here on the synthetic corpus (see
// notebooks-export/tiny-scaling.md).

/// Which runs to hold out.
public enum HoldOutSplit: Sendable, Equatable {
  /// Fit on runs with compute strictly below this many FLOP; predict the rest.
  case computeBelow(Double)
  /// Hold out the k runs with the largest compute (ties broken by input order).
  case topCompute(Int)
}

/// One held-out run and its prediction.
public struct HoldOutPrediction: Sendable, Equatable {
  /// Index of the run in the input.
  public var index: Int
  /// The run.
  public var observation: Observation
  /// Its compute (FLOP).
  public var compute: Double
  /// Predicted final loss.
  public var predicted: Double
  /// predicted / observed − 1.
  public var relativeError: Double
}

/// The result of a held-out check.
public struct HoldOutResult: Sendable {
  /// The fit on the retained runs.
  public var fit: Approach3Fit
  /// Number of runs fitted.
  public var fittedCount: Int
  /// Predictions for the held-out runs, by increasing compute.
  public var predictions: [HoldOutPrediction]
  /// Relative errors in the same order.
  public var relativeErrors: [Double] { predictions.map(\.relativeError) }
}

/// Held-out validation of Approach 3.
public enum HoldOut {
  /// Fits on one side of `split` and predicts the other.
  ///
  /// - Parameters:
  ///   - compute: per-run compute (FLOP); defaults to 6·N·D.
  /// - Throws: `FitError.emptySplit` when either side is empty, plus the errors of
  ///   `Approach3.fit`.
  public static func check(
    _ observations: [Observation], split: HoldOutSplit, compute: [Double]? = nil,
    grid: InitGrid = .hoffmann, fixedE: Double? = nil, threads: Int = 2,
    options: LBFGSOptions = .tight
  ) throws -> HoldOutResult {
    let c = compute ?? observations.map(\.compute)
    precondition(c.count == observations.count)
    var held = Set<Int>()
    switch split {
    case .computeBelow(let threshold):
      for i in observations.indices where !(c[i] < threshold) { held.insert(i) }
    case .topCompute(let k):
      guard k > 0 else { throw FitError.emptySplit("holds out no runs (k = \(k))") }
      let order = observations.indices.sorted { (c[$0], -$0) > (c[$1], -$1) }
      held = Set(order.prefix(k))
    }
    guard !held.isEmpty else { throw FitError.emptySplit("holds out no runs") }
    guard held.count < observations.count else {
      throw FitError.emptySplit("holds out every run, leaving nothing to fit")
    }
    let train = observations.indices.filter { !held.contains($0) }.map { observations[$0] }
    let fit = try Approach3.fit(
      train, grid: grid, fixedE: fixedE, threads: threads, options: options)
    let predictions = held.sorted { (c[$0], $0) < (c[$1], $1) }.map { i -> HoldOutPrediction in
      let o = observations[i]
      let p = fit.parameters.loss(params: o.params, tokens: o.tokens)
      return HoldOutPrediction(
        index: i, observation: o, compute: c[i], predicted: p, relativeError: p / o.loss - 1)
    }
    return HoldOutResult(fit: fit, fittedCount: train.count, predictions: predictions)
  }
}
