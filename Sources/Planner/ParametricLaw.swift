// The Chinchilla parametric loss L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, §3.3, eq. 2)
// and its closed-form compute-optimal split under C = 6ND (eq. 4):
//   N*(C) = G·(C/6)^a, D*(C) = G⁻¹·(C/6)^b, G = (αA/(βB))^(1/(α+β)), a = β/(α+β), b = α/(α+β).
// Inverses (derived here from eq. 4): C(N*) = 6·(N/G)^(1/a); C(D*) = 6·(D·G)^(1/b).
// Least compute for a loss (derived from the optimality condition αA/N^α = βB/D^β at the optimum,
// which gives L − E = (1 + α/β)·A/N^α): N = ((1 + α/β)·A/(L − E))^(1/α).

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

  /// Predicted loss for `params` parameters trained on `tokens` tokens (infinite values allowed:
  /// `tokens: .infinity` gives the data-unlimited loss).
  public func loss(params: Double, tokens: Double) -> Double {
    E + A / pow(params, alpha) + B / pow(tokens, beta)
  }

  /// Exponent a of N* ∝ C^a.
  public var paramsExponent: Double { beta / (alpha + beta) }
  /// Exponent b of D* ∝ C^b.
  public var tokensExponent: Double { alpha / (alpha + beta) }
  /// G = (αA/(βB))^(1/(α+β)) of Hoffmann et al eq 4.
  public var G: Double { pow(alpha * A / (beta * B), 1 / (alpha + beta)) }

  /// Compute-optimal parameters and tokens for `flops` under C = 6ND (Hoffmann eq 4).
  public func computeOptimal(flops: Double) -> (params: Double, tokens: Double) {
    let x = flops / 6
    return (G * pow(x, paramsExponent), pow(x, tokensExponent) / G)
  }

  /// The compute budget whose optimal model has `params` parameters: C = 6·(N/G)^(1/a).
  public func flops(forOptimalParams params: Double) -> Double {
    6 * pow(params / G, 1 / paramsExponent)
  }

  /// The compute budget whose optimal token count is `tokens`: C = 6·(D·G)^(1/b).
  public func flops(forOptimalTokens tokens: Double) -> Double {
    6 * pow(tokens * G, 1 / tokensExponent)
  }

  /// The compute-optimal token count for a model of `params` parameters, D*(N) = C(N)/(6N).
  ///
  /// For the rounded Hoffmann constants this is 0.519·N^1.214 (the exponent is α/β).
  public func optimalTokens(forParams params: Double) -> Double {
    flops(forOptimalParams: params) / (6 * params)
  }

  /// Least compute whose compute-optimal model reaches `targetLoss`, or nil when the target is at
  /// or below the irreducible loss E (no finite compute reaches it).
  public func minimumFLOPs(forLoss targetLoss: Double) -> Double? {
    guard targetLoss > E, targetLoss.isFinite else { return nil }
    let n = pow((1 + alpha / beta) * A / (targetLoss - E), 1 / alpha)
    return flops(forOptimalParams: n)
  }
}
