// The Chinchilla parametric loss L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, §3.3, eq. 2)
// and its closed-form compute-optimal split under C = 6ND (eq. 4):
//   N*(C) = G·(C/6)^a, D*(C) = G⁻¹·(C/6)^b, G = (αA/(βB))^(1/(α+β)), a = β/(α+β), b = α/(α+β).

import Foundation

/// Parameters of L(N, D) = E + A/N^α + B/D^β (loss in nats per token).
public struct ParametricLaw: Sendable, Codable, Equatable {
  public var E: Double
  public var A: Double
  public var B: Double
  public var alpha: Double
  public var beta: Double

  /// Creates a law from its five parameters.
  public init(E: Double, A: Double, B: Double, alpha: Double, beta: Double) {
    self.E = E
    self.A = A
    self.B = B
    self.alpha = alpha
    self.beta = beta
  }

  /// Predicted loss for `params` parameters trained on `tokens` tokens.
  public func loss(params: Double, tokens: Double) -> Double {
    E + A / pow(params, alpha) + B / pow(tokens, beta)
  }

  /// Exponent a of N* ∝ C^a.
  public var paramsExponent: Double { beta / (alpha + beta) }
  /// Exponent b of D* ∝ C^b.
  public var tokensExponent: Double { alpha / (alpha + beta) }
  /// G = (αA/(βB))^(1/(α+β)) of Hoffmann et al. eq. 4.
  public var G: Double { pow(alpha * A / (beta * B), 1 / (alpha + beta)) }

  /// Compute-optimal parameters and tokens for `flops` under C = 6ND (Hoffmann eq. 4).
  public func computeOptimal(flops: Double) -> (params: Double, tokens: Double) {
    let x = flops / 6
    return (G * pow(x, paramsExponent), pow(x, tokensExponent) / G)
  }
}
