// Limited-memory BFGS: Nocedal & Wright, "Numerical Optimization" (2nd ed.), Algorithm 7.4
// (two-loop recursion) and 7.5, with H₀ = γI, γ = sᵀy / yᵀy (eq. 7.20), and a strong-Wolfe line
// search (WolfeLineSearch.swift). Stopping tests follow scipy's L-BFGS-B so tolerances compare:
// (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ ftol, or ‖∇f‖∞ ≤ gtol.
// A minimiser owns its work buffers; reuse one per thread across many starts (no allocation per
// iteration).

/// Stopping rules and line-search constants for `LBFGS`.
public struct LBFGSOptions: Sendable {
  /// Number of correction pairs kept (m).
  public var memory = 10
  /// Relative reduction test, scipy's `ftol` (its `factr · eps`).
  public var functionTolerance = 1e-15
  /// Gradient test on the max-norm, scipy's `gtol`.
  public var gradientTolerance = 1e-12
  /// Iteration limit.
  public var maxIterations = 15_000
  /// Limit on objective+gradient evaluations.
  public var maxEvaluations = 15_000
  /// Sufficient-decrease constant c1 of the Wolfe conditions.
  public var c1 = 1e-4
  /// Curvature constant c2 of the Wolfe conditions (0.9 is the usual quasi-Newton choice).
  public var c2 = 0.9
  /// Evaluations allowed per line search (scipy: 20).
  public var maxLineSearchEvaluations = 20

  /// Tight tolerances as in the scipy peer (ftol 1e-15, gtol 1e-12, 15,000 iterations).
  public static let tight = LBFGSOptions()

  /// Creates options; defaults are the tight setting.
  public init(
    memory: Int = 10, functionTolerance: Double = 1e-15, gradientTolerance: Double = 1e-12,
    maxIterations: Int = 15_000, maxEvaluations: Int = 15_000
  ) {
    self.memory = memory
    self.functionTolerance = functionTolerance
    self.gradientTolerance = gradientTolerance
    self.maxIterations = maxIterations
    self.maxEvaluations = maxEvaluations
  }
}

/// Why `LBFGS.minimize` stopped.
public enum LBFGSStatus: String, Sendable, Codable {
  /// ‖∇f‖∞ ≤ gtol.
  case gradientTolerance
  /// Relative reduction of f ≤ ftol.
  case functionTolerance
  /// No step along the search direction lowers f (flat to rounding): a converged point.
  case noProgress
  /// Iteration limit reached.
  case maxIterations
  /// Evaluation limit reached.
  case maxEvaluations
  /// f or its gradient was not finite at the start.
  case nonFiniteStart

  /// True for the statuses that mean a (local) minimum was reached.
  public var converged: Bool {
    self == .gradientTolerance || self == .functionTolerance || self == .noProgress
  }
}

/// The end point of one minimisation.
public struct LBFGSResult: Sendable {
  /// Final point.
  public var x: [Double]
  /// f(x).
  public var value: Double
  /// ‖∇f(x)‖∞.
  public var gradientNorm: Double
  /// Iterations taken.
  public var iterations: Int
  /// Objective+gradient evaluations made.
  public var evaluations: Int
  /// Why it stopped.
  public var status: LBFGSStatus
}

/// An L-BFGS minimiser for smooth objectives of a fixed dimension, with reusable buffers.
///
/// Not thread-safe: use one instance per thread.
public final class LBFGS {
  /// The objective: returns f(x) and writes ∇f(x) into `grad` (already sized to x.count).
  public typealias Objective = (_ x: [Double], _ grad: inout [Double]) -> Double

  /// Dimension of x.
  public let dimension: Int
  /// Options in force.
  public let options: LBFGSOptions

  // Work buffers, allocated once. S and Y hold m pairs, row-major (m × n), used as a ring.
  // Raw buffers avoid the dynamic exclusivity checks that class-stored arrays incur per access.
  private let s: UnsafeMutablePointer<Double>
  private let y: UnsafeMutablePointer<Double>
  private let rho: UnsafeMutablePointer<Double>
  private let alphaBuf: UnsafeMutablePointer<Double>
  private let d: UnsafeMutablePointer<Double>
  // Arrays handed to the objective; moved into locals during `minimize`.
  private var arrays: [[Double]]

  /// Creates a minimiser for `dimension` variables.
  public init(dimension: Int, options: LBFGSOptions = .tight) {
    precondition(dimension > 0 && options.memory > 0)
    self.dimension = dimension
    self.options = options
    let m = options.memory
    s = .allocate(capacity: m * dimension)
    y = .allocate(capacity: m * dimension)
    rho = .allocate(capacity: m)
    alphaBuf = .allocate(capacity: m)
    d = .allocate(capacity: dimension)
    s.initialize(repeating: 0, count: m * dimension)
    y.initialize(repeating: 0, count: m * dimension)
    rho.initialize(repeating: 0, count: m)
    alphaBuf.initialize(repeating: 0, count: m)
    d.initialize(repeating: 0, count: dimension)
    arrays = Array(repeating: Array(repeating: 0, count: dimension), count: 4)
  }

  deinit {
    s.deallocate()
    y.deallocate()
    rho.deallocate()
    alphaBuf.deallocate()
    d.deallocate()
  }

  /// Minimises `objective` from `start`.
  /// - Returns: the final point, value and status (never throws; check `status.converged`).
  public func minimize(from start: [Double], objective: Objective) -> LBFGSResult {
    precondition(start.count == dimension, "start has the wrong dimension")
    let n = dimension
    let m = options.memory
    let (s, y, rho, alphaBuf, d) = (self.s, self.y, self.rho, self.alphaBuf, self.d)
    var x = arrays[0]
    var g = arrays[1]
    var xTrial = arrays[2]
    var gTrial = arrays[3]
    arrays = []
    defer { arrays = [x, g, xTrial, gTrial] }
    for i in 0..<n { x[i] = start[i] }
    var f = objective(x, &g)
    var evaluations = 1
    var gNorm = maxNorm(g)
    if !f.isFinite || !gNorm.isFinite {
      return LBFGSResult(
        x: x, value: f, gradientNorm: gNorm, iterations: 0, evaluations: 1, status: .nonFiniteStart)
    }
    if gNorm <= options.gradientTolerance {
      return LBFGSResult(
        x: x, value: f, gradientNorm: gNorm, iterations: 0, evaluations: 1,
        status: .gradientTolerance)
    }
    var stored = 0  // pairs held
    var head = 0  // ring index of the next slot
    var gamma = 1.0
    var iteration = 0
    var status = LBFGSStatus.maxIterations
    while iteration < options.maxIterations {
      iteration += 1
      // Two-loop recursion (N&W Alg. 7.4): d = −H∇f.
      for i in 0..<n { d[i] = -g[i] }
      var k = head
      for _ in 0..<stored {
        k = (k - 1 + m) % m
        var dot = 0.0
        for i in 0..<n { dot += s[k * n + i] * d[i] }
        let a = rho[k] * dot
        alphaBuf[k] = a
        for i in 0..<n { d[i] -= a * y[k * n + i] }
      }
      for i in 0..<n { d[i] *= gamma }
      for _ in 0..<stored {
        var dot = 0.0
        for i in 0..<n { dot += y[k * n + i] * d[i] }
        let b = rho[k] * dot
        let a = alphaBuf[k]
        for i in 0..<n { d[i] += (a - b) * s[k * n + i] }
        k = (k + 1) % m
      }
      var slope0 = 0.0
      for i in 0..<n { slope0 += g[i] * d[i] }
      if !(slope0 < 0) {
        // Not a descent direction (lost curvature information): restart from steepest descent.
        stored = 0
        gamma = 1
        slope0 = 0
        for i in 0..<n {
          d[i] = -g[i]
          slope0 -= g[i] * g[i]
        }
        if !(slope0 < 0) {
          status = .noProgress
          break
        }
      }
      // A quasi-Newton step predicts a decrease of about −φ'(0)/2; when even that is below the
      // ftol test the next iteration would stop anyway, and the line search would only chase
      // rounding noise.
      if stored > 0 && -slope0 <= options.functionTolerance * max(abs(f), 1) {
        status = .functionTolerance
        break
      }
      // First step of a (re)start is 1/‖d‖₂ as in scipy's L-BFGS-B; afterwards the unit step.
      var initial = 1.0
      if stored == 0 {
        var dn = 0.0
        for i in 0..<n { dn += d[i] * d[i] }
        initial = min(1.0, 1.0 / dn.squareRoot())
      }
      let budget = min(options.maxLineSearchEvaluations, options.maxEvaluations - evaluations)
      if budget <= 0 {
        status = .maxEvaluations
        break
      }
      var lastStep = -1.0
      let result = WolfeLineSearch.search(
        origin: LinePoint(step: 0, value: f, slope: slope0), initialStep: initial,
        c1: options.c1, c2: options.c2, maxEvaluations: budget
      ) { t in
        for i in 0..<n { xTrial[i] = x[i] + t * d[i] }
        let v = objective(xTrial, &gTrial)
        var sl = 0.0
        for i in 0..<n { sl += gTrial[i] * d[i] }
        lastStep = t
        return (v, sl)
      }
      evaluations += result.evaluations
      if !result.decreased {
        if stored > 0 {
          // Retry once from steepest descent before declaring convergence.
          stored = 0
          gamma = 1
          continue
        }
        status = .noProgress
        break
      }
      let t = result.point.step
      if t != lastStep {
        // The accepted point is not the last one evaluated: recompute its gradient.
        for i in 0..<n { xTrial[i] = x[i] + t * d[i] }
        _ = objective(xTrial, &gTrial)
        evaluations += 1
      }
      let fNew = result.point.value
      // Curvature pair s = Δx, y = Δ∇f, kept only when sᵀy > 0 (N&W §7.2) .
      var sy = 0.0
      var yy = 0.0
      for i in 0..<n {
        let si = xTrial[i] - x[i]
        let yi = gTrial[i] - g[i]
        s[head * n + i] = si
        y[head * n + i] = yi
        sy += si * yi
        yy += yi * yi
      }
      if sy > 2.2e-16 * yy && yy > 0 {
        rho[head] = 1 / sy
        gamma = sy / yy
        head = (head + 1) % m
        stored = min(stored + 1, m)
      }
      let fOld = f
      for i in 0..<n {
        x[i] = xTrial[i]
        g[i] = gTrial[i]
      }
      f = fNew
      gNorm = maxNorm(g)
      if gNorm <= options.gradientTolerance {
        status = .gradientTolerance
        break
      }
      if fOld - f <= options.functionTolerance * max(abs(fOld), abs(f), 1) {
        status = .functionTolerance
        break
      }
      if evaluations >= options.maxEvaluations {
        status = .maxEvaluations
        break
      }
    }
    return LBFGSResult(
      x: x, value: f, gradientNorm: gNorm, iterations: iteration, evaluations: evaluations,
      status: status)
  }

  @inline(__always)
  private func maxNorm(_ v: [Double]) -> Double {
    var r = 0.0
    for e in v {
      if !e.isFinite { return .infinity }
      r = max(r, abs(e))
    }
    return r
  }
}
