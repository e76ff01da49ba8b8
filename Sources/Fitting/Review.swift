// Warnings a careful reviewer gives about a parametric fit, returned as values. Thresholds:
// fewer than 10 runs for 5 parameters; |corr(α, β)| > 0.9 across bootstrap refits (the exponents
// trade off and neither is identified alone); fitted E above the lowest observed loss (the
// "irreducible" loss is then not a floor); a budget more than 100× beyond the largest run's
// compute (Besiroglu et al. 2024 discuss how wide Chinchilla's intervals become off the data).
// For the allocation exponent a of N_opt ∝ C^a (`allocationWarnings`): Approach 1 or 2 resting on
// less than a decade of compute (a factor-2 error in one N_opt then moves a by more than
// ln 2 / ln 10 = 0.30), Approach 2 through only two isoFLOP minima (nothing tests the power law),
// and the three approaches disagreeing by more than 0.1 (Hoffmann et al. 2022 Table 2: 0.50, 0.49,
// 0.46 — within 0.04).

import Foundation

/// A reviewer's warning about a fit.
public enum FitWarning: Sendable, Equatable, CustomStringConvertible {
  /// Fewer runs than recommended for the number of free parameters.
  case fewRuns(count: Int, recommended: Int, parameters: Int)
  /// Too few distinct N or D for the exponents to be determined at all.
  case fewDistinct(params: Int, tokens: Int, needed: Int)
  /// α and β strongly correlated across bootstrap refits.
  case correlatedExponents(correlation: Double, limit: Double)
  /// The fitted irreducible loss is above the lowest loss actually observed.
  case irreducibleAboveObserved(fittedE: Double, lowestLoss: Double)
  /// A budget far beyond the largest run's compute.
  case extrapolation(budget: Double, largestRunCompute: Double, factor: Double)
  /// Approach 1 or 2 fitted over less compute range than recommended.
  case narrowComputeRange(approach: Int, factor: Double, minimum: Double)
  /// Approach 2's exponent through only two isoFLOP minima.
  case twoBudgets
  /// Approaches 1–3 disagree on a by more than the limit.
  case approachesDisagree(lowest: Double, highest: Double, limit: Double)

  /// A stable machine-readable code.
  public var code: String {
    switch self {
    case .fewRuns: "few_runs"
    case .fewDistinct: "few_distinct_sizes"
    case .correlatedExponents: "correlated_exponents"
    case .irreducibleAboveObserved: "irreducible_above_observed"
    case .extrapolation: "extrapolation"
    case .narrowComputeRange: "narrow_compute_range"
    case .twoBudgets: "two_budgets"
    case .approachesDisagree: "approaches_disagree"
    }
  }

  public var description: String {
    switch self {
    case .fewRuns(let count, let recommended, let parameters):
      return "Only \(count) runs for \(parameters) free parameters; use at least \(recommended) "
        + "runs before trusting the fitted law."
    case .fewDistinct(let n, let d, let needed):
      return "The runs have \(n) distinct model size\(n == 1 ? "" : "s") and \(d) distinct "
        + "token count\(d == 1 ? "" : "s"); each term A/N^α and B/D^β needs at least \(needed) "
        + "distinct values to be told apart from E, so the fitted exponents are not determined by "
        + "the data: add runs at other N and D."
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
    case .narrowComputeRange(let approach, let factor, let minimum):
      return "Approach \(approach)'s exponent rests on \(fixed(factor, 1))× of compute, under "
        + "\(fixed(minimum, 0))×: a factor-2 error in one N_opt moves a by up to "
        + "ln 2 / ln \(fixed(factor, 1)) = \(fixed(log(2) / log(factor), 2)); add budgets."
    case .twoBudgets:
      return "Approach 2's exponent is a line through only 2 isoFLOP minima, so nothing tests "
        + "the power law; add a budget."
    case .approachesDisagree(let lowest, let highest, let limit):
      return "Approaches 1–3 give a from \(fixed(lowest, 3)) to \(fixed(highest, 3)), a spread of "
        + "\(fixed(highest - lowest, 3)) > \(fixed(limit, 2)); the allocation is less certain than "
        + "any one approach's interval says (Hoffmann et al. 2022 Table 2 agree within 0.04)."
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
    // A power law plus a constant along one axis has three unknowns (E's share, the coefficient
    // and the exponent), so each axis needs three distinct values.
    let distinctN = Set(observations.map(\.params)).count
    let distinctD = Set(observations.map(\.tokens)).count
    if distinctN < 3 || distinctD < 3 {
      out.append(.fewDistinct(params: distinctN, tokens: distinctD, needed: 3))
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

extension FitReview {
  /// Warnings about the allocation exponent a (N_opt ∝ C^a) from the approaches that ran.
  ///
  /// - Parameters:
  ///   - envelope: Approach 1's a and the compute range of its envelope points (max/min FLOP).
  ///   - isoFLOP: Approach 2's a, its number of budgets and their compute range.
  ///   - parametric: Approach 3's a.
  ///   - minimumRange: compute range below which Approaches 1 and 2 are flagged (10×).
  ///   - agreementLimit: largest acceptable spread of a across the three approaches (0.1).
  public static func allocationWarnings(
    envelope: (a: Double, computeRange: Double)?,
    isoFLOP: (a: Double, budgets: Int, computeRange: Double)?, parametric: Double?,
    minimumRange: Double = 10, agreementLimit: Double = 0.1
  ) -> [FitWarning] {
    var out: [FitWarning] = []
    if let e = envelope, e.computeRange > 1, e.computeRange < minimumRange {
      out.append(.narrowComputeRange(approach: 1, factor: e.computeRange, minimum: minimumRange))
    }
    if let i = isoFLOP {
      if i.budgets == 2 { out.append(.twoBudgets) }
      if i.computeRange > 1, i.computeRange < minimumRange {
        out.append(.narrowComputeRange(approach: 2, factor: i.computeRange, minimum: minimumRange))
      }
    }
    if let e = envelope, let i = isoFLOP, let p = parametric {
      let all = [e.a, i.a, p]
      if let lo = all.min(), let hi = all.max(), hi - lo > agreementLimit {
        out.append(.approachesDisagree(lowest: lo, highest: hi, limit: agreementLimit))
      }
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
