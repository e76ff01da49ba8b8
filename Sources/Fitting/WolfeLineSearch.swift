// Line search satisfying the strong Wolfe conditions: Nocedal & Wright, "Numerical Optimization"
// (2nd ed., 2006), Algorithm 3.5 (bracketing) and Algorithm 3.6 (zoom), with the safeguarded cubic
// interpolation of §3.5 (eq. 3.59). φ(t) = f(x + t·d) along a descent direction d.
// Conditions (N&W eq. 3.7): φ(t) ≤ φ(0) + c1·t·φ'(0) and |φ'(t)| ≤ c2·|φ'(0)|, 0 < c1 < c2 < 1.

/// A point on the line: step length, value and directional derivative there.
public struct LinePoint: Sendable, Equatable {
  /// Step length t ≥ 0.
  public var step: Double
  /// φ(t) = f(x + t·d).
  public var value: Double
  /// φ'(t) = ∇f(x + t·d)·d.
  public var slope: Double

  /// Creates a point from its step, value and slope.
  public init(step: Double, value: Double, slope: Double) {
    self.step = step
    self.value = value
    self.slope = slope
  }
}

/// Outcome of one line search.
public struct LineSearchResult: Sendable {
  /// The accepted point (step 0 with φ(0) when nothing better was found).
  public var point: LinePoint
  /// Number of φ evaluations made.
  public var evaluations: Int
  /// True when `point` satisfies both strong Wolfe conditions.
  public var satisfiesStrongWolfe: Bool
  /// True when `point` decreased φ enough (sufficient decrease) even if curvature failed; the
  /// step is then usable but the caller should not trust its curvature pair blindly.
  public var decreased: Bool
}

/// Strong-Wolfe line search (Nocedal & Wright Alg. 3.5/3.6) over a 1-D function φ.
public enum WolfeLineSearch {
  /// Finds a step t > 0 satisfying the strong Wolfe conditions for φ along a descent direction.
  ///
  /// - Parameters:
  ///   - phi: evaluates (φ(t), φ'(t)); non-finite values are treated as "too far" and shrink the
  ///     step.
  ///   - origin: φ(0) and φ'(0); φ'(0) must be negative (a descent direction).
  ///   - initialStep: the first trial step (> 0).
  ///   - maxStep: the largest step tried while expanding.
  ///   - c1, c2: sufficient-decrease and curvature constants, 0 < c1 < c2 < 1.
  ///   - maxEvaluations: evaluation budget (scipy's L-BFGS-B uses 20).
  ///   - relativeWidthTolerance: accept the best decreasing step once the bracket is this narrow
  ///     relative to the step (Moré–Thuente's xtol; 0 disables).
  /// - Returns: the accepted point; `decreased == false` means the search failed (e.g. the
  ///   function is flat to rounding along d).
  public static func search(
    origin: LinePoint, initialStep: Double, maxStep: Double = 1e20, c1: Double = 1e-4,
    c2: Double = 0.9, maxEvaluations: Int = 20, relativeWidthTolerance: Double = 0.1,
    phi: (Double) -> (value: Double, slope: Double)
  ) -> LineSearchResult {
    precondition(origin.slope < 0, "line search needs a descent direction")
    let f0 = origin.value
    let g0 = origin.slope
    var evaluations = 0
    @inline(__always) func eval(_ t: Double) -> LinePoint {
      evaluations += 1
      let (v, s) = phi(t)
      // A non-finite value means the step left the region where f is defined: treat as +∞.
      if !v.isFinite || !s.isFinite { return LinePoint(step: t, value: .infinity, slope: .nan) }
      return LinePoint(step: t, value: v, slope: s)
    }
    @inline(__always) func armijo(_ p: LinePoint) -> Bool {
      p.value <= f0 + c1 * p.step * g0
    }
    @inline(__always) func curvature(_ p: LinePoint) -> Bool { abs(p.slope) <= -c2 * g0 }

    // Algorithm 3.6 (zoom): lo always satisfies sufficient decrease and has the lowest value seen
    // among such points; the interval [lo, hi] always contains strong-Wolfe steps.
    func zoom(_ loIn: LinePoint, _ hiIn: LinePoint) -> LineSearchResult {
      var lo = loIn
      var hi = hiIn
      // Moré–Thuente's guard against slow shrinking: if two trials have not cut the interval to
      // 66 % of its width, the next trial is a bisection.
      var widthBefore = (Double.infinity, Double.infinity)
      while evaluations < maxEvaluations {
        let width = abs(hi.step - lo.step)
        let bisect = width > 0.66 * widthBefore.0
        widthBefore = (widthBefore.1, width)
        // Moré–Thuente's xtol test (as in scipy's L-BFGS-B, xtol = 0.1): once a decreasing step
        // is bracketed to within 10 % of its length, further shrinking only chases rounding noise
        // in φ' (typical near convergence), so accept lo.
        if width <= relativeWidthTolerance * max(lo.step, hi.step) && lo.step > 0 { break }
        if width <= 1e-16 * max(lo.step, hi.step) { break }
        var t = interpolate(lo, hi)
        let left = min(lo.step, hi.step)
        let right = max(lo.step, hi.step)
        // Safeguard (N&W §3.5): keep the trial at least 10 % of the width away from either end
        // (clamping rather than bisecting lets a steep wall shrink the interval 10× per step).
        if !t.isFinite || bisect {
          t = 0.5 * (lo.step + hi.step)
        } else {
          t = min(max(t, left + 0.1 * width), right - 0.1 * width)
        }
        let p = eval(t)
        if !armijo(p) || p.value >= lo.value {
          hi = p
        } else {
          if curvature(p) {
            return LineSearchResult(
              point: p, evaluations: evaluations, satisfiesStrongWolfe: true, decreased: true)
          }
          if p.slope * (hi.step - lo.step) >= 0 { hi = lo }
          lo = p
        }
      }
      let ok = lo.step > 0 && lo.value < f0
      return LineSearchResult(
        point: ok ? lo : origin, evaluations: evaluations, satisfiesStrongWolfe: false,
        decreased: ok)
    }

    // Algorithm 3.5 (bracketing).
    var previous = origin
    var t = min(initialStep, maxStep)
    while evaluations < maxEvaluations {
      let p = eval(t)
      if !armijo(p) || (evaluations > 1 && p.value >= previous.value) {
        return zoom(previous, p)
      }
      if curvature(p) {
        return LineSearchResult(
          point: p, evaluations: evaluations, satisfiesStrongWolfe: true, decreased: true)
      }
      if p.slope >= 0 { return zoom(p, previous) }
      if t >= maxStep { break }
      // Still descending: expand, using the cubic's minimiser clamped to [1.1 t, 4 t]
      // (the extrapolation bounds of Moré & Thuente 1994).
      // No finite minimiser ahead (φ concave there) → the largest expansion.
      var next = interpolate(previous, p)
      if !next.isFinite || next <= t { next = 4 * t }
      next = min(max(next, 1.1 * t), 4 * t)
      previous = p
      t = min(next, maxStep)
    }
    let ok = previous.step > 0 && previous.value < f0
    return LineSearchResult(
      point: ok ? previous : origin, evaluations: evaluations, satisfiesStrongWolfe: false,
      decreased: ok)
  }

  /// Minimiser of the cubic through two points with their slopes (N&W eq. 3.59); falls back to
  /// the quadratic through (p.value, p.slope, q.value) when a value or slope is not finite.
  static func interpolate(_ p: LinePoint, _ q: LinePoint) -> Double {
    let t0 = p.step
    let t1 = q.step
    let delta = t1 - t0
    guard delta != 0 else { return .nan }
    if !q.value.isFinite || !p.value.isFinite { return .nan }
    if !q.slope.isFinite || !p.slope.isFinite {
      // Quadratic through φ(t0), φ'(t0), φ(t1).
      let denom = 2 * (q.value - p.value - p.slope * delta)
      guard denom > 0 else { return .nan }
      return t0 - p.slope * delta * delta / denom
    }
    let d1 = p.slope + q.slope - 3 * (p.value - q.value) / (t0 - t1)
    let disc = d1 * d1 - p.slope * q.slope
    guard disc >= 0 else { return .nan }
    let d2 = (delta >= 0 ? 1.0 : -1.0) * disc.squareRoot()
    let denom = q.slope - p.slope + 2 * d2
    guard denom != 0 else { return .nan }
    return t1 - delta * (q.slope + d2 - d1) / denom
  }
}
