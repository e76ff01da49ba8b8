// Errors from the fitting library: each reads as one sentence naming the value and the fix.

/// A fit that cannot be made from the given data.
public enum FitError: Error, CustomStringConvertible, Equatable {
  /// Fewer observations than the method needs.
  case tooFewObservations(count: Int, minimum: Int, method: String)
  /// A value that must be positive and finite is not.
  case invalidValue(name: String, value: Double, index: Int)
  /// An isoFLOP budget with fewer than three points.
  case isoFLOPTooFewPoints(compute: Double, count: Int)
  /// An isoFLOP parabola with no minimum inside the sampled sizes.
  case isoFLOPNoInteriorMinimum(compute: Double, reason: String)
  /// Fewer distinct budgets (or FLOP bins) than a power-law fit in C needs.
  case tooFewBudgets(count: Int, method: String)
  /// No start of the grid reached a finite objective.
  case noFiniteStart
  /// A held-out split that leaves nothing to fit or nothing to predict.
  case emptySplit(String)
  /// A bad option value (grid, resample count, percentile).
  case invalidOption(String)

  public var description: String {
    switch self {
    case .tooFewObservations(let count, let minimum, let method):
      return "\(method) needs at least \(minimum) runs but got \(count); add runs."
    case .invalidValue(let name, let value, let index):
      return
        "Run \(index + 1) has \(name) = \(value); every \(name) must be a positive finite number."
    case .isoFLOPTooFewPoints(let compute, let count):
      return
        "The isoFLOP budget \(sci(compute)) FLOP has \(count) run(s); a parabola needs at least 3 "
        + "sizes per budget."
    case .isoFLOPNoInteriorMinimum(let compute, let reason):
      return
        "The isoFLOP budget \(sci(compute)) FLOP has no interior minimum (\(reason)); add sizes "
        + "on both sides of the best one."
    case .tooFewBudgets(let count, let method):
      return
        "\(method) found \(count) usable compute level(s); fitting N_opt ∝ C^a needs at least 2."
    case .noFiniteStart:
      return "No start of the initialisation grid gave a finite objective; check the data for "
        + "zeros or extreme values."
    case .emptySplit(let what):
      return "The held-out split \(what); choose a threshold that leaves runs on both sides."
    case .invalidOption(let what):
      return what
    }
  }
}

/// Scientific notation with 3 significant digits for messages (e.g. 1.23e+18).
func sci(_ x: Double) -> String {
  guard x.isFinite, x != 0 else { return "\(x)" }
  var exponent = 0
  var m = abs(x)
  while m >= 10 {
    m /= 10
    exponent += 1
  }
  while m < 1 {
    m *= 10
    exponent -= 1
  }
  var rounded = (m * 100).rounded() / 100
  if rounded >= 10 {
    rounded /= 10
    exponent += 1
  }
  let sign = x < 0 ? "-" : ""
  let es = exponent < 0 ? "-\(-exponent)" : "+\(exponent)"
  return "\(sign)\(rounded)e\(es)"
}
