// Approach 3 of Hoffmann et al. 2022 (§3.3, App. D.2): fit L(N, D) = E + A/N^α + B/D^β by
// minimising the summed Huber loss (δ = 1e-3) of log-sum-exp predictions against log-losses with
// L-BFGS from every point of an initialisation grid, keeping the best. Epoch AI's replication
// (Besiroglu et al. 2024, arXiv:2404.10102 §2) uses the same grid and objective.
// Starts run on `threads` workers (interleaved by index); each start's result depends only on the
// start, and the best is chosen by (objective, start index), so the answer never depends on the
// thread count.

import Dispatch
import Foundation

/// An initialisation grid over θ = (a, b, e, α, β); starts are enumerated as
/// product(α, β, e, a, b) with b varying fastest (the order of scipy's `itertools.product`).
public struct InitGrid: Sendable, Equatable {
  /// Values of α.
  public var alpha: [Double]
  /// Values of β.
  public var beta: [Double]
  /// Values of e = log E (ignored when E is fixed).
  public var e: [Double]
  /// Values of a = log A.
  public var a: [Double]
  /// Values of b = log B.
  public var b: [Double]

  /// Creates a grid from its axes.
  public init(alpha: [Double], beta: [Double], e: [Double], a: [Double], b: [Double]) {
    self.alpha = alpha
    self.beta = beta
    self.e = e
    self.a = a
    self.b = b
  }

  /// Hoffmann et al. 2022, App. D.2: α, β ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1},
  /// a, b ∈ {0, 5, …, 25}: 5·5·5·6·6 = 4,500 starts.
  public static let hoffmann = InitGrid(
    alpha: stride(0, 2, 0.5), beta: stride(0, 2, 0.5), e: stride(-1, 1, 0.5),
    a: stride(0, 25, 5), b: stride(0, 25, 5))

  /// The grid of the scipy L-BFGS-B peer timed in data/peer-benchmarks.csv (`fit` rows): α, β ∈ {0, …, 2.5}, e ∈ {−1, …, 1.5},
  /// a, b ∈ {0, 5, …, 25}: 6⁵ = 7,776 starts.
  public static let scipyPeer = InitGrid(
    alpha: stride(0, 2.5, 0.5), beta: stride(0, 2.5, 0.5), e: stride(-1, 1.5, 0.5),
    a: stride(0, 25, 5), b: stride(0, 25, 5))

  /// A 3⁵ = 243-start grid (α, β ∈ {0, 1, 2}, e ∈ {−1, 0, 1}, a, b ∈ {0, 10, 20}) for quick fits.
  public static let coarse = InitGrid(
    alpha: [0, 1, 2], beta: [0, 1, 2], e: [-1, 0, 1], a: [0, 10, 20], b: [0, 10, 20])

  /// Number of starts (the e axis drops out when E is fixed).
  public func count(fixedE: Bool) -> Int {
    alpha.count * beta.count * (fixedE ? 1 : e.count) * a.count * b.count
  }

  /// Start number `index` as θ: (a, b, e, α, β), or (a, b, α, β) when E is fixed.
  public func start(_ index: Int, fixedE: Bool) -> [Double] {
    var i = index
    let ib = i % b.count
    i /= b.count
    let ia = i % a.count
    i /= a.count
    var ie = 0
    if !fixedE {
      ie = i % e.count
      i /= e.count
    }
    let iBeta = i % beta.count
    i /= beta.count
    let iAlpha = i
    if fixedE { return [a[ia], b[ib], alpha[iAlpha], beta[iBeta]] }
    return [a[ia], b[ib], e[ie], alpha[iAlpha], beta[iBeta]]
  }

  private static func stride(_ from: Double, _ to: Double, _ by: Double) -> [Double] {
    let n = Int(((to - from) / by).rounded()) + 1
    return (0..<n).map { from + Double($0) * by }
  }
}

/// The result of an Approach-3 fit.
public struct Approach3Fit: Sendable {
  /// Fitted law.
  public var parameters: ParametricLaw
  /// θ = (a, b, e, α, β) at the optimum (e is the fixed value when E was fixed).
  public var theta: [Double]
  /// Minimum summed Huber objective.
  public var objective: Double
  /// Log residuals log L̂_i − log L_i, in input order.
  public var residuals: [Double]
  /// Number of observations fitted.
  public var pointCount: Int
  /// The fixed E, when E was not fitted.
  public var fixedE: Double?
  /// Starts tried.
  public var starts: Int
  /// Index of the start that won.
  public var bestStart: Int
  /// Starts whose objective came within 1e-9 (relative) of the best.
  public var startsAtOptimum: Int
  /// Starts that stopped on a convergence test (not a limit).
  public var convergedStarts: Int
  /// Objective+gradient evaluations over all starts.
  public var evaluations: Int
  /// Why the winning start stopped.
  public var status: LBFGSStatus
  /// ‖∇f‖∞ at the optimum.
  public var gradientNorm: Double

  /// Allocation exponent a = β/(α+β) of N* ∝ C^a.
  public var paramsExponent: Double { parameters.paramsExponent }
  /// Allocation exponent b = α/(α+β) of D* ∝ C^b.
  public var tokensExponent: Double { parameters.tokensExponent }
  /// Root-mean-square relative error of the fitted losses, exp(r) − 1.
  public var rmsRelativeError: Double {
    guard !residuals.isEmpty else { return 0 }
    let s = residuals.reduce(0) {
      $0 + ($1.isFinite ? Foundation.expm1($1) * Foundation.expm1($1) : 0)
    }
    return (s / Double(residuals.count)).squareRoot()
  }
}

/// Approach 3: the parametric fit of L(N, D) = E + A/N^α + B/D^β.
public enum Approach3 {
  /// Fits the law to observations from every start of `grid`, keeping the best.
  ///
  /// - Parameters:
  ///   - observations: runs with positive, finite N, D and L.
  ///   - grid: initialisation grid (Hoffmann's 4,500 starts by default).
  ///   - fixedE: hold E at this value (e.g. the known entropy of a synthetic corpus) and fit
  ///     (A, B, α, β) only.
  ///   - threads: worker count (the result does not depend on it).
  ///   - options: L-BFGS tolerances (tight by default).
  ///   - delta: Huber threshold (1e-3).
  /// - Throws: `FitError.tooFewObservations` (fewer runs than free parameters),
  ///   `.invalidValue` (non-positive or non-finite input), `.noFiniteStart`.
  public static func fit(
    _ observations: [Observation], grid: InitGrid = .hoffmann, fixedE: Double? = nil,
    threads: Int = 2, options: LBFGSOptions = .tight,
    delta: Double = HuberLSEProblem.defaultDelta
  ) throws -> Approach3Fit {
    try validate(observations, fixedE: fixedE)
    let problem = HuberLSEProblem(observations: observations, delta: delta, fixedE: fixedE)
    let isFixed = fixedE != nil
    let total = grid.count(fixedE: isFixed)
    guard total > 0 else { throw FitError.invalidOption("The initialisation grid is empty.") }
    let dim = problem.dimension
    let workers = max(1, min(threads, total))
    // Per-start outcomes; each slot is written by exactly one worker.
    let values = UnsafeMutableBufferPointer<Double>.allocate(capacity: total)
    let thetas = UnsafeMutableBufferPointer<Double>.allocate(capacity: total * dim)
    let evals = UnsafeMutableBufferPointer<Int>.allocate(capacity: total)
    let converged = UnsafeMutableBufferPointer<Bool>.allocate(capacity: total)
    defer {
      values.deallocate()
      thetas.deallocate()
      evals.deallocate()
      converged.deallocate()
    }
    nonisolated(unsafe) let outValues = values
    nonisolated(unsafe) let outThetas = thetas
    nonisolated(unsafe) let outEvals = evals
    nonisolated(unsafe) let outConverged = converged
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      let solver = LBFGS(dimension: dim, options: options)
      var index = worker
      while index < total {
        let r = solver.minimize(
          from: grid.start(index, fixedE: isFixed), objective: problem.evaluate)
        outValues[index] = r.value.isFinite ? r.value : .infinity
        for k in 0..<dim { outThetas[index * dim + k] = r.x[k] }
        outEvals[index] = r.evaluations
        outConverged[index] = r.status.converged
        index += workers
      }
    }
    var best = -1
    var bestValue = Double.infinity
    for i in 0..<total where values[i] < bestValue {
      best = i
      bestValue = values[i]
    }
    guard best >= 0 else { throw FitError.noFiniteStart }
    let x = Array(thetas[(best * dim)..<((best + 1) * dim)])
    // Polish the winner once more so the reported status/gradient belong to the returned point.
    let solver = LBFGS(dimension: dim, options: options)
    var polished = solver.minimize(from: x, objective: problem.evaluate)
    if !(polished.value <= bestValue) {
      polished.x = x
      polished.value = bestValue
    }
    let atOptimum = (0..<total).reduce(0) {
      $0 + (values[$1] <= bestValue + 1e-9 * max(abs(bestValue), 1e-300) ? 1 : 0)
    }
    return makeFit(
      problem: problem, result: polished, pointCount: observations.count, fixedE: fixedE,
      starts: total, bestStart: best, startsAtOptimum: atOptimum,
      convergedStarts: converged.reduce(0) { $0 + ($1 ? 1 : 0) },
      evaluations: evals.reduce(0, +) + polished.evaluations)
  }

  /// Refits from a single start θ₀ (e.g. a warm start from a full fit), with no grid.
  /// - Throws: `FitError.tooFewObservations`, `.invalidValue`, `.noFiniteStart`.
  public static func fit(
    _ observations: [Observation], from start: ParametricLaw, fixedE: Double? = nil,
    options: LBFGSOptions = .tight, delta: Double = HuberLSEProblem.defaultDelta
  ) throws -> Approach3Fit {
    try validate(observations, fixedE: fixedE)
    let problem = HuberLSEProblem(observations: observations, delta: delta, fixedE: fixedE)
    let solver = LBFGS(dimension: problem.dimension, options: options)
    let r = solver.minimize(from: thetaStart(start, fixedE: fixedE), objective: problem.evaluate)
    guard r.value.isFinite else { throw FitError.noFiniteStart }
    return makeFit(
      problem: problem, result: r, pointCount: observations.count, fixedE: fixedE, starts: 1,
      bestStart: 0, startsAtOptimum: 1, convergedStarts: r.status.converged ? 1 : 0,
      evaluations: r.evaluations)
  }

  /// θ for a start law: (a, b, e, α, β), or (a, b, α, β) when E is fixed.
  static func thetaStart(_ law: ParametricLaw, fixedE: Double?) -> [Double] {
    let v = law.logVector
    return fixedE == nil ? v : [v[0], v[1], v[3], v[4]]
  }

  /// Expands a solver vector to the full θ = (a, b, e, α, β).
  static func fullTheta(_ x: [Double], problem: HuberLSEProblem) -> [Double] {
    let p = problem.full(x)
    return [p.a, p.b, p.e, p.alpha, p.beta]
  }

  static func validate(_ observations: [Observation], fixedE: Double?) throws {
    let minimum = fixedE == nil ? 5 : 4
    guard observations.count >= minimum else {
      throw FitError.tooFewObservations(
        count: observations.count, minimum: minimum, method: "The parametric fit (Approach 3)")
    }
    for (i, o) in observations.enumerated() {
      if !(o.params > 0 && o.params.isFinite) {
        throw FitError.invalidValue(name: "parameter count N", value: o.params, index: i)
      }
      if !(o.tokens > 0 && o.tokens.isFinite) {
        throw FitError.invalidValue(name: "token count D", value: o.tokens, index: i)
      }
      if !(o.loss > 0 && o.loss.isFinite) {
        throw FitError.invalidValue(name: "loss", value: o.loss, index: i)
      }
    }
    if let e = fixedE, !(e > 0 && e.isFinite) {
      throw FitError.invalidOption("The fixed irreducible loss E = \(e) must be a positive number.")
    }
    // E is the floor every loss approaches from above (L − E = A/N^α + B/D^β > 0), so a fixed E
    // at or above the lowest loss leaves no positive power law to fit.
    if let e = fixedE, let lowest = observations.map(\.loss).min(), e >= lowest {
      throw FitError.invalidOption(
        "The fixed irreducible loss E = \(e) is not below the lowest loss in the data "
          + "(\(lowest)); E is the floor the losses approach, so give a smaller --fixed-e.")
    }
  }

  private static func makeFit(
    problem: HuberLSEProblem, result: LBFGSResult, pointCount: Int, fixedE: Double?, starts: Int,
    bestStart: Int, startsAtOptimum: Int, convergedStarts: Int, evaluations: Int
  ) -> Approach3Fit {
    let theta = fullTheta(result.x, problem: problem)
    var law = ParametricLaw(logVector: theta)
    if let e = fixedE { law.E = e }  // exactly the value given, not exp(log(E))
    return Approach3Fit(
      parameters: law, theta: theta, objective: result.value,
      residuals: problem.residuals(result.x), pointCount: pointCount, fixedE: fixedE,
      starts: starts, bestStart: bestStart, startsAtOptimum: startsAtOptimum,
      convergedStarts: convergedStarts, evaluations: evaluations, status: result.status,
      gradientNorm: result.gradientNorm)
  }
}
