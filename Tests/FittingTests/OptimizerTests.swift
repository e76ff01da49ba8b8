import Foundation
import TestSupport
import Testing

@testable import Fitting

@Suite("L-BFGS and the strong-Wolfe line search")
struct OptimizerTests {
  /// Rosenbrock (1960): f = Σ 100(x_{i+1} − x_i²)² + (1 − x_i)², minimum 0 at (1, …, 1).
  static func rosenbrock(_ x: [Double], _ g: inout [Double]) -> Double {
    var f = 0.0
    for i in g.indices { g[i] = 0 }
    for i in 0..<(x.count - 1) {
      let a = x[i + 1] - x[i] * x[i]
      let b = 1 - x[i]
      f += 100 * a * a + b * b
      g[i] += -400 * x[i] * a - 2 * b
      g[i + 1] += 200 * a
    }
    return f
  }

  @Test("Rosenbrock in 2 and 5 dimensions converges to (1, …, 1)", arguments: [2, 5])
  func rosenbrockMinimum(dimension: Int) {
    let solver = LBFGS(dimension: dimension)
    let start = (0..<dimension).map { $0 % 2 == 0 ? -1.2 : 1.0 }
    let r = solver.minimize(from: start, objective: Self.rosenbrock)
    #expect(r.status.converged, "status \(r.status)")
    #expect(r.value < 1e-16, "f = \(r.value)")
    // ftol stops once f drops by < 1e-15 per step, so x is only resolved to about √1e-15.
    for v in r.x { #expect(abs(v - 1) < 1e-7, "x = \(r.x)") }
  }

  @Test("An ill-conditioned quadratic converges to its known minimiser")
  func quadratic() {
    // f = Σ c_i (x_i − m_i)², condition number 1e4, minimum 0 at m.
    let c = [1.0, 10, 100, 1_000, 10_000]
    let m = [3.0, -2, 0.5, 7, -1]
    let solver = LBFGS(dimension: 5)
    let r = solver.minimize(from: [0, 0, 0, 0, 0]) { x, g in
      var f = 0.0
      for i in 0..<5 {
        f += c[i] * (x[i] - m[i]) * (x[i] - m[i])
        g[i] = 2 * c[i] * (x[i] - m[i])
      }
      return f
    }
    #expect(r.status.converged)
    for i in 0..<5 { #expect(abs(r.x[i] - m[i]) < 1e-8, "x = \(r.x)") }
  }

  /// 1-D test functions with their derivatives (Moré & Thuente 1994, Table 1, functions 1–2, plus
  /// a steep exponential wall).
  static let lineFunctions: [(String, @Sendable (Double) -> (Double, Double))] = [
    ("MT1 −t/(t²+2)", { t in (-t / (t * t + 2), (t * t - 2) / ((t * t + 2) * (t * t + 2))) }),
    (
      "MT2 (t+0.004)^5 − 2(t+0.004)^4",
      { t in
        let u = t + 0.004
        return (pow(u, 5) - 2 * pow(u, 4), 5 * pow(u, 4) - 8 * pow(u, 3))
      }
    ),
    ("wall −t + e^(10(t−3))", { t in (-t + exp(10 * (t - 3)), -1 + 10 * exp(10 * (t - 3))) }),
    ("quadratic (t−40)²", { t in ((t - 40) * (t - 40), 2 * (t - 40)) }),
  ]

  // relativeWidthTolerance 0 turns off the xtol early exit the optimiser uses near convergence.
  @Test(
    "Line-search steps satisfy both strong Wolfe conditions", arguments: [1e-3, 1e-1, 1, 10, 1e3])
  func strongWolfe(initialStep: Double) {
    let c1 = 1e-4
    let c2 = 0.9
    for (name, phi) in Self.lineFunctions {
      let (f0, g0) = phi(0)
      let r = WolfeLineSearch.search(
        origin: LinePoint(step: 0, value: f0, slope: g0), initialStep: initialStep, c1: c1, c2: c2,
        maxEvaluations: 40, relativeWidthTolerance: 0
      ) { t in phi(t) }
      // Check the conditions independently of the search's own flag.
      let (ft, gt) = phi(r.point.step)
      #expect(r.point.step > 0, "\(name)")
      #expect(
        ft <= f0 + c1 * r.point.step * g0, "\(name): sufficient decrease fails at \(r.point.step)")
      #expect(abs(gt) <= c2 * abs(g0), "\(name): curvature fails at \(r.point.step), φ' = \(gt)")
      #expect(r.satisfiesStrongWolfe, "\(name)")
    }
  }

  @Test("Tighter c2 still yields strong-Wolfe steps (c2 = 0.1)")
  func strongWolfeTight() {
    // MT2 is left out here: its window |φ'| ≤ 0.1·|φ'(0)| = 5e-8 lies where φ is flat to within
    // rounding (differences < 1e-15), so no comparison of values can steer into it.
    for (name, phi) in Self.lineFunctions where !name.hasPrefix("MT2") {
      let (f0, g0) = phi(0)
      let r = WolfeLineSearch.search(
        origin: LinePoint(step: 0, value: f0, slope: g0), initialStep: 1, c1: 1e-4, c2: 0.1,
        maxEvaluations: 60, relativeWidthTolerance: 0
      ) { t in phi(t) }
      let (ft, gt) = phi(r.point.step)
      #expect(ft <= f0 + 1e-4 * r.point.step * g0, "\(name)")
      #expect(abs(gt) <= 0.1 * abs(g0), "\(name): φ'(\(r.point.step)) = \(gt)")
    }
  }
}

@Suite("Huber-LSE objective")
struct ObjectiveTests {
  /// Central differences of the objective (step h) at θ.
  static func finiteDifference(_ p: HuberLSEProblem, _ x: [Double], h: Double) -> [Double] {
    var g = [Double](repeating: 0, count: x.count)
    return x.indices.map { i in
      var xp = x
      var xm = x
      xp[i] += h
      xm[i] -= h
      return (p.evaluate(xp, &g) - p.evaluate(xm, &g)) / (2 * h)
    }
  }

  @Test("Analytic gradient matches central differences (free E, fixed E, and the overflow path)")
  func gradientCheck() {
    let obs = syntheticRuns(chinchillaRounded, count: 37, seed: 5, noise: 0.02)
    let weights = (0..<37).map { Double($0 % 3) }  // bootstrap-like multiplicities, some zero
    let cases: [(HuberLSEProblem, [Double])] = [
      (HuberLSEProblem(observations: obs), [6.0, 6.0, 0.5, 0.34, 0.28]),
      (HuberLSEProblem(observations: obs), [5.0, 7.0, 0.3, 0.3, 0.3]),
      (HuberLSEProblem(observations: obs, weights: weights), [6.5, 5.5, 0.6, 0.36, 0.27]),
      (HuberLSEProblem(observations: obs, fixedE: 1.69), [6.0, 6.0, 0.34, 0.28]),
      // Exponents far beyond ±700 force the shifted scalar pass.
      (HuberLSEProblem(observations: obs), [900.0, 6.0, 0.5, 0.34, 0.28]),
      (HuberLSEProblem(observations: obs), [6.0, 6.0, -800, -0.1, 0.28]),
    ]
    for (p, x) in cases {
      var g = [Double](repeating: 0, count: x.count)
      _ = p.evaluate(x, &g)
      let fd = Self.finiteDifference(p, x, h: 1e-6)
      for i in x.indices {
        let scale = max(abs(g[i]), abs(fd[i]), 1e-3)
        #expect(abs(g[i] - fd[i]) / scale < 1e-5, "θ = \(x), component \(i): \(g[i]) vs \(fd[i])")
      }
    }
  }

  @Test("Fast (vectorised) and safe (shifted scalar) passes agree")
  func fastMatchesSafe() {
    let obs = syntheticRuns(chinchillaRounded, count: 53, seed: 9, noise: 0.01)
    let p = HuberLSEProblem(observations: obs)
    let x = [6.1, 5.9, 0.52, 0.33, 0.29]
    var g = [Double](repeating: 0, count: 5)
    let f = p.evaluate(x, &g)
    // Independent scalar reference written out here.
    var ref = 0.0
    for o in obs {
      let pred = exp(x[2]) + exp(x[0]) / pow(o.params, x[3]) + exp(x[1]) / pow(o.tokens, x[4])
      let r = log(pred) - log(o.loss)
      ref += abs(r) <= 1e-3 ? 0.5 * r * r : 1e-3 * (abs(r) - 0.5e-3)
    }
    #expect(isClose(f, ref, rel: 1e-12), Comment(rawValue: closeness(f, ref, "objective")))
  }

  @Test("Vector exp, log and reciprocal agree with the C library to 4e-16")
  func vectorMath() {
    let xs = (0..<20_001).map { -700 + 1400 * Double($0) / 20_000 }
    let ys = (0..<20_001).map { exp(-690 + 1380 * Double($0) / 20_000) }
    let e = VectorMath.exp(xs)
    let l = VectorMath.log(ys)
    let (l2, inv) = VectorMath.logAndReciprocal(ys)
    for i in xs.indices {
      #expect(abs(e[i] / exp(xs[i]) - 1) <= 4e-16, "exp(\(xs[i]))")
      #expect(abs(l[i] - log(ys[i])) <= 4e-16 * max(1, abs(log(ys[i]))), "log(\(ys[i]))")
      #expect(abs(l2[i] - log(ys[i])) <= 4e-16 * max(1, abs(log(ys[i]))), "log(\(ys[i]))")
      #expect(abs(inv[i] * ys[i] - 1) <= 4e-16, "1/\(ys[i])")
    }
  }
}
