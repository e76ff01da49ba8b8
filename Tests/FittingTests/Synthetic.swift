// Synthetic runs from a known law, for recovery tests.

import Fitting
import Foundation
import Randomness

/// Chinchilla's rounded Approach-3 law (Hoffmann et al. 2022 App. D.2).
let chinchillaRounded = ParametricLaw(E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28)

/// `count` runs with log-uniform N and D in the given ranges and multiplicative noise
/// L·exp(noise·ε), ε ~ N(0, 1).
func syntheticRuns(
  _ law: ParametricLaw, count: Int, seed: UInt64, noise: Double,
  params: ClosedRange<Double> = 1e7...1e10, tokens: ClosedRange<Double> = 1e8...1e12
) -> [Observation] {
  var rng = Xoshiro256StarStar(seed: seed, xoringStream: 0)
  func logUniform(_ r: ClosedRange<Double>) -> Double {
    let u = Double(rng.next() >> 11) / 9_007_199_254_740_992.0
    return exp(log(r.lowerBound) + u * (log(r.upperBound) - log(r.lowerBound)))
  }
  return (0..<count).map { _ in
    let n = logUniform(params)
    let d = logUniform(tokens)
    let l = law.loss(params: n, tokens: d) * exp(noise * rng.nextNormalMidpoint())
    return Observation(params: n, tokens: d, loss: l)
  }
}
