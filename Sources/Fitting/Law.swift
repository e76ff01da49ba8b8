// The parametric loss law L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, §3.3, eq. 2) and its
// compute-optimal allocation under C = 6·N·D (eq. 4 and App. D.2):
//   N*(C) = G·(C/6)^a,  D*(C) = G⁻¹·(C/6)^b,  G = (αA / βB)^{1/(α+β)},  a = β/(α+β), b = α/(α+β).

import Foundation

/// One training run: parameters, training tokens and final loss (nats/token).
public struct Observation: Sendable, Equatable, Codable {
  /// N, model parameters.
  public var params: Double
  /// D, training tokens.
  public var tokens: Double
  /// Final loss L (nats per token).
  public var loss: Double

  /// Creates an observation.
  public init(params: Double, tokens: Double, loss: Double) {
    self.params = params
    self.tokens = tokens
    self.loss = loss
  }

  /// Training compute C = 6·N·D in FLOP (Kaplan et al. 2020 §2.1; Hoffmann et al. 2022 §3).
  public var compute: Double { 6 * params * tokens }
}

/// Parameters of L(N, D) = E + A/N^α + B/D^β.
public struct LawParameters: Sendable, Equatable, Codable {
  /// Irreducible loss E (nats/token).
  public var E: Double
  /// Parameter-term coefficient A.
  public var A: Double
  /// Data-term coefficient B.
  public var B: Double
  /// Parameter exponent α.
  public var alpha: Double
  /// Data exponent β.
  public var beta: Double

  /// Creates a law from its five parameters.
  public init(E: Double, A: Double, B: Double, alpha: Double, beta: Double) {
    self.E = E
    self.A = A
    self.B = B
    self.alpha = alpha
    self.beta = beta
  }

  /// Predicted loss at N parameters and D tokens.
  public func loss(params: Double, tokens: Double) -> Double {
    E + A / Foundation.pow(params, alpha) + B / Foundation.pow(tokens, beta)
  }

  /// Allocation exponent of N*: a = β/(α+β) (Hoffmann et al. 2022, eq. 4).
  public var paramsExponent: Double { beta / (alpha + beta) }
  /// Allocation exponent of D*: b = α/(α+β) (Hoffmann et al. 2022, eq. 4).
  public var tokensExponent: Double { alpha / (alpha + beta) }

  /// G = (αA / βB)^{1/(α+β)} (Hoffmann et al. 2022, eq. 4).
  public var allocationScale: Double {
    Foundation.pow(alpha * A / (beta * B), 1 / (alpha + beta))
  }

  /// Compute-optimal (N*, D*) for `compute` FLOP under C = 6ND (Hoffmann et al. 2022, eq. 4).
  public func optimalAllocation(compute: Double) -> (params: Double, tokens: Double) {
    let g = allocationScale
    let c6 = compute / 6
    return (g * Foundation.pow(c6, paramsExponent), Foundation.pow(c6, tokensExponent) / g)
  }

  /// The log-space vector θ = (a, b, e, α, β) = (log A, log B, log E, α, β).
  public var logVector: [Double] {
    [Foundation.log(A), Foundation.log(B), Foundation.log(E), alpha, beta]
  }

  /// Builds parameters from θ = (a, b, e, α, β).
  public init(logVector x: [Double]) {
    precondition(x.count == 5)
    self.init(
      E: Foundation.exp(x[2]), A: Foundation.exp(x[0]), B: Foundation.exp(x[1]), alpha: x[3],
      beta: x[4])
  }
}
