// Warnings a careful reviewer gives about a parametric fit, returned as values. Thresholds:
// fewer than 10 runs for 5 parameters; |corr(α, β)| > 0.9 across bootstrap refits (the exponents
// trade off and neither is identified alone); fitted E above the lowest observed loss (the
// "irreducible" loss is then not a floor); a budget more than 100× beyond the largest run's
// compute (Besiroglu et al. 2024 discuss how wide Chinchilla's intervals become off the data).

/// A reviewer's warning about a fit.
public enum FitWarning: Sendable, Equatable, CustomStringConvertible {
  /// Fewer runs than recommended for the number of free parameters.
  case fewRuns(count: Int, recommended: Int, parameters: Int)
  /// α and β strongly correlated across bootstrap refits.
  case correlatedExponents(correlation: Double, limit: Double)
  /// The fitted irreducible loss is above the lowest loss actually observed.
  case irreducibleAboveObserved(fittedE: Double, lowestLoss: Double)
  /// A budget far beyond the largest run's compute.
  case extrapolation(budget: Double, largestRunCompute: Double, factor: Double)

  /// A stable machine-readable code.
  public var code: String {
    switch self {
    case .fewRuns: "few_runs"
    case .correlatedExponents: "correlated_exponents"
    case .irreducibleAboveObserved: "irreducible_above_observed"
    case .extrapolation: "extrapolation"
    }
  }

  public var description: String {
    switch self {
    case .fewRuns(let count, let recommended, let parameters):
      return "Only \(count) runs for \(parameters) free parameters; use at least \(recommended) "
        + "runs before trusting the fitted law."
    case .correlatedExponents(let r, let limit):
      return "α and β are strongly correlated across bootstrap refits (r = \(fixed(r, 3)), |r| > "
        + "\(fixed(limit, 2))); only their combination is well determined, so widen the range of N "
        + "and D."
    case .irreducibleAboveObserved(let e, let lowest):
      return "The fitted irreducible loss E = \(fixed(e, 4)) is above the lowest observed loss "
        + "\(fixed(lowest, 4)); E is not a floor here, so fix E or add larger runs."
    case .extrapolation(let budget, let largest, let factor):
      return "The budget \(sci(budget)) FLOP is \(sci(factor))× the largest run's "
        + "\(sci(largest)) FLOP; predictions that far out rest on the functional form alone."
    }
  }
}

/// Reviewer checks for a fit.
public enum FitReview {
  /// Returns the warnings that apply.
  ///
  /// - Parameters:
  ///   - observations: the runs fitted.
  ///   - fit: the Approach-3 fit, if made.
  ///   - bootstrap: its bootstrap, if run (for the α–β correlation).
  ///   - budget: the compute (FLOP) a user plans for, if any.
  ///   - compute: per-run compute (FLOP) when known; defaults to 6·N·D.
  public static func warnings(
    observations: [Observation], fit: Approach3Fit? = nil, bootstrap: BootstrapResult? = nil,
    budget: Double? = nil, compute: [Double]? = nil, recommendedRuns: Int = 10,
    correlationLimit: Double = 0.9, extrapolationLimit: Double = 100
  ) -> [FitWarning] {
    var out: [FitWarning] = []
    let parameters = fit?.fixedE == nil ? 5 : 4
    if observations.count < recommendedRuns {
      out.append(
        .fewRuns(count: observations.count, recommended: recommendedRuns, parameters: parameters))
    }
    if let r = bootstrap?.alphaBetaCorrelation, r.isFinite, abs(r) > correlationLimit {
      out.append(.correlatedExponents(correlation: r, limit: correlationLimit))
    }
    if let f = fit, f.fixedE == nil, let lowest = observations.map(\.loss).min(),
      f.parameters.E > lowest
    {
      out.append(.irreducibleAboveObserved(fittedE: f.parameters.E, lowestLoss: lowest))
    }
    let c = compute ?? observations.map(\.compute)
    if let budget, let largest = c.max(), largest > 0, budget > extrapolationLimit * largest {
      out.append(
        .extrapolation(budget: budget, largestRunCompute: largest, factor: budget / largest))
    }
    return out
  }
}

/// Fixed-point text with `digits` decimals (no Foundation formatting, deterministic).
func fixed(_ x: Double, _ digits: Int) -> String {
  guard x.isFinite else { return "\(x)" }
  var scale = 1.0
  for _ in 0..<digits { scale *= 10 }
  let r = (abs(x) * scale).rounded()
  let whole = Int(r / scale)
  var frac = String(Int(r - Double(whole) * scale))
  while frac.count < digits { frac = "0" + frac }
  return (x < 0 && r != 0 ? "-" : "") + "\(whole)" + (digits > 0 ? "." + frac : "")
}
