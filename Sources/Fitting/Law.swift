// The parametric loss law L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, §3.3, eq. 2) and its
// compute-optimal allocation under C = 6·N·D (eq. 4 and App. D.2):
//   N*(C) = G·(C/6)^a,  D*(C) = G⁻¹·(C/6)^b,  G = (αA / βB)^{1/(α+β)},  a = β/(α+β), b = α/(α+β).
// Inverses (derived here from eq. 4): C(N*) = 6·(N/G)^(1/a); C(D*) = 6·(D·G)^(1/b). The law's
// uncertainty (standard errors, correlation, bootstrap refits) is `ParametricUncertainty`.

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

/// The parametric loss law L(N, D) = E + A/N^α + B/D^β (loss in nats per token): the one law
/// type the fitter produces, the planner plans with and the run store saves.
public struct ParametricLaw: Sendable, Equatable, Codable {
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

  /// Predicted loss for `params` parameters trained on `tokens` tokens (infinite values allowed:
  /// `tokens: .infinity` gives the data-unlimited loss).
  public func loss(params: Double, tokens: Double) -> Double {
    E + A / Foundation.pow(params, alpha) + B / Foundation.pow(tokens, beta)
  }

  /// Allocation exponent of N* ∝ C^a: a = β/(α+β) (Hoffmann et al. 2022, eq. 4).
  public var paramsExponent: Double { beta / (alpha + beta) }
  /// Allocation exponent of D* ∝ C^b: b = α/(α+β) (Hoffmann et al. 2022, eq. 4).
  public var tokensExponent: Double { alpha / (alpha + beta) }

  /// G = (αA / βB)^{1/(α+β)} (Hoffmann et al. 2022, eq. 4).
  public var G: Double { Foundation.pow(alpha * A / (beta * B), 1 / (alpha + beta)) }

  /// Compute-optimal (N*, D*) for `flops` under C = 6ND (Hoffmann et al. 2022, eq. 4).
  public func computeOptimal(flops: Double) -> (params: Double, tokens: Double) {
    let x = flops / 6
    return (G * Foundation.pow(x, paramsExponent), Foundation.pow(x, tokensExponent) / G)
  }

  /// The compute budget whose optimal model has `params` parameters: C = 6·(N/G)^(1/a)
  /// (eq. 4 inverted).
  public func flops(forOptimalParams params: Double) -> Double {
    6 * Foundation.pow(params / G, 1 / paramsExponent)
  }

  /// The compute budget whose optimal token count is `tokens`: C = 6·(D·G)^(1/b)
  /// (eq. 4 inverted).
  public func flops(forOptimalTokens tokens: Double) -> Double {
    6 * Foundation.pow(tokens * G, 1 / tokensExponent)
  }

  /// The compute-optimal token count for a model of `params` parameters, D*(N) = C(N)/(6N).
  ///
  /// For the rounded Hoffmann constants this is 0.519·N^1.214 (the exponent is α/β).
  public func optimalTokens(forParams params: Double) -> Double {
    flops(forOptimalParams: params) / (6 * params)
  }

  /// Least compute whose compute-optimal model reaches `targetLoss`, or nil when the target is at
  /// or below the irreducible loss E (no finite compute reaches it). From the optimality
  /// condition αA/N^α = βB/D^β, L − E = (1 + α/β)·A/N^α at the optimum, so
  /// N = ((1 + α/β)·A/(L − E))^(1/α).
  public func minimumFLOPs(forLoss targetLoss: Double) -> Double? {
    guard targetLoss > E, targetLoss.isFinite else { return nil }
    let n = Foundation.pow((1 + alpha / beta) * A / (targetLoss - E), 1 / alpha)
    return flops(forOptimalParams: n)
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
