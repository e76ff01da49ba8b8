// Plans from two fixed quantities of a run instead of one: any two of compute C, parameters N,
// tokens D and a target loss L fix the rest.
//   C + N → D = C/(6N);  C + D → N = C/(6D);  N + D → C = 6·N·D   (C ≈ 6ND: Kaplan et al. 2020
//   Table 1; Hoffmann et al. 2022 §2);
//   N + L → D = (B / (L − E − A/N^α))^(1/β);  D + L → N = (A / (L − E − B/D^β))^(1/α)
//   (the parametric law L = E + A/N^α + B/D^β, Hoffmann et al. 2022 §3.3 eq. 2, solved for the
//   missing term; finite only when L is above E + A/N^α, resp. E + B/D^β).
// Every answer carries the loss under the law and, at the same compute, the compute-optimal split
// (Hoffmann eq. 4, as `planComputeOptimal` computes it) with the loss penalty of the chosen split:
// ΔL = L(N, D) − L(N*(C), D*(C)) ≥ 0.

import Fitting
import Foundation

/// Two quantities the user fixed; the planner derives the others.
public enum PlanPair: Sendable, Equatable {
  /// Compute and model size: D = C/(6N).
  case computeParams(compute: Double, params: Double)
  /// Compute and token count: N = C/(6D).
  case computeTokens(compute: Double, tokens: Double)
  /// Model size and token count: C = 6·N·D.
  case paramsTokens(params: Double, tokens: Double)
  /// Model size and target loss: D from the law.
  case paramsLoss(params: Double, loss: Double)
  /// Token count and target loss: N from the law.
  case tokensLoss(tokens: Double, loss: Double)

  /// The fixed quantities' names, in the order `compute`, `params`, `tokens`, `loss`.
  public var fixed: [String] {
    switch self {
    case .computeParams: return ["compute", "params"]
    case .computeTokens: return ["compute", "tokens"]
    case .paramsTokens: return ["params", "tokens"]
    case .paramsLoss: return ["params", "loss"]
    case .tokensLoss: return ["tokens", "loss"]
    }
  }
}

/// The compute-optimal split at a pair plan's compute, and what the chosen split costs in loss.
public struct PairComparison: Sendable, Codable, Equatable {
  /// N*(C) at the pair's compute.
  public var params: Double
  /// D*(C) at the pair's compute.
  public var tokens: Double
  /// L(N*, D*), nil for allocation-only laws.
  public var loss: Double?
  /// L(N, D) − L(N*, D*), nil for allocation-only laws.
  public var lossPenalty: Double?

  /// Creates a comparison.
  public init(params: Double, tokens: Double, loss: Double?, lossPenalty: Double?) {
    self.params = params
    self.tokens = tokens
    self.loss = loss
    self.lossPenalty = lossPenalty
  }

  enum CodingKeys: String, CodingKey {
    case params, tokens, loss
    case lossPenalty = "loss_penalty"
  }
}

/// Why a pair cannot be planned under a law; each is one sentence.
public enum PairError: Error, CustomStringConvertible, Equatable, Sendable {
  /// A target loss at or below what the fixed size (or token count) can reach with unlimited
  /// data (or parameters): `floor` = E + A/N^α (or E + B/D^β).
  case unreachable(
    law: String, target: Double, fixed: String, unlimited: String, floorFormula: String,
    floor: Double)
  /// A pair with a target loss under a law that is not parametric.
  case needsParametric(law: String)

  /// One sentence.
  public var description: String {
    switch self {
    case .unreachable(let law, let target, let fixed, let unlimited, let formula, let floor):
      return "--target-loss \(Format.number(target)) is out of reach with \(fixed) under law "
        + "'\(law)': even with unlimited \(unlimited) the loss stays above \(formula) = "
        + "\(Format.fixed(floor, decimals: 4)); choose a target above it."
    case .needsParametric(let law):
      return "A target loss with --params or --tokens needs a parametric law "
        + "L = E + A/N^α + B/D^β to solve; '\(law)' is not one (try --law hoffmann2022)."
    }
  }
}

extension IsoLoss {
  /// Parameters a run on `tokens` tokens needs to reach `loss`:
  /// N = (A / (L − E − B/D^β))^(1/α); nil when L ≤ E + B/D^β (Hoffmann et al. 2022 eq. 2).
  public static func params(law: ParametricLaw, loss: Double, tokens: Double) -> Double? {
    let gap = loss - law.E - law.B / pow(tokens, law.beta)
    guard gap > 0 else { return nil }
    return pow(law.A / gap, 1 / law.alpha)
  }
}

/// Plans the run that `pair` fixes under `preset`: the derived quantities, the loss, and the
/// compute-optimal split at the same compute with the loss penalty (`comparison`).
///
/// - Parameters:
///   - pair: the two fixed quantities.
///   - preset: the law.
///   - computeSource: where the compute came from (`--compute`, the budget, the cluster window),
///     for the explanation.
/// - Throws: `QuantityError` for a non-positive input or a derived value that is not a finite
///   positive number; `PairError` for a loss pair the law cannot solve or reach.
public func planPair(
  _ pair: PlanPair, preset: LawPreset, computeSource: String = "--compute"
) throws -> ComputeOptimalPlan {
  let law = preset.law
  let lawSource = preset.citation
  let sixND = "C ≈ 6·N·D (Kaplan et al. 2020 Table 1; Hoffmann et al. 2022 §2)"
  var explanation = Explanation()
  let n: Double
  let d: Double
  let c: Double
  switch pair {
  case .computeParams(let compute, let params):
    try requirePositive(compute, computeSource)
    try requirePositive(params, "--params")
    (n, c) = (params, compute)
    d = compute / (6 * params)
    explanation.add(
      ExplainedStep(
        quantity: "tokens D for the compute and size", formula: "D = C / (6·N)",
        inputs: [
          ExplainedInput("C", Format.scientific(c) + " FLOPs", source: computeSource),
          ExplainedInput("N", Format.si(n), source: "--params"),
        ], result: Format.si(d), source: sixND))
  case .computeTokens(let compute, let tokens):
    try requirePositive(compute, computeSource)
    try requirePositive(tokens, "--tokens")
    (d, c) = (tokens, compute)
    n = compute / (6 * tokens)
    explanation.add(
      ExplainedStep(
        quantity: "parameters N for the compute and tokens", formula: "N = C / (6·D)",
        inputs: [
          ExplainedInput("C", Format.scientific(c) + " FLOPs", source: computeSource),
          ExplainedInput("D", Format.si(d), source: "--tokens"),
        ], result: Format.si(n), source: sixND))
  case .paramsTokens(let params, let tokens):
    try requirePositive(params, "--params")
    try requirePositive(tokens, "--tokens")
    (n, d) = (params, tokens)
    c = 6 * params * tokens
    explanation.add(computeStep(n: n, d: d, c: c, nSource: "--params", dSource: "--tokens"))
  case .paramsLoss(let params, let target):
    try requirePositive(params, "--params")
    try requirePositive(target, "--target-loss")
    guard case .parametric(let p) = law else { throw PairError.needsParametric(law: preset.id) }
    let floor = p.E + p.A / pow(params, p.alpha)
    guard target - floor > reachableMargin * target,
      let tokens = IsoLoss.tokens(law: p, loss: target, params: params)
    else {
      throw PairError.unreachable(
        law: preset.id, target: target, fixed: "N = \(Format.si(params))", unlimited: "tokens",
        floorFormula: "E + A/N^α", floor: floor)
    }
    (n, d) = (params, tokens)
    c = 6 * n * d
    explanation.add(
      ExplainedStep(
        quantity: "tokens D reaching the target loss",
        formula: "D = (B / (L − E − A/N^α))^(1/β) (Hoffmann eq. 2 solved for D)",
        inputs: [
          ExplainedInput("L", Format.number(target), source: "--target-loss"),
          ExplainedInput("N", Format.si(n), source: "--params"),
        ] + lawInputs(preset), result: Format.si(d),
        source: "Hoffmann et al. 2022 §3.3 eq. 2; constants: \(lawSource)"))
    explanation.add(computeStep(n: n, d: d, c: c, nSource: "--params", dSource: "step above"))
  case .tokensLoss(let tokens, let target):
    try requirePositive(tokens, "--tokens")
    try requirePositive(target, "--target-loss")
    guard case .parametric(let p) = law else { throw PairError.needsParametric(law: preset.id) }
    let floor = p.E + p.B / pow(tokens, p.beta)
    guard target - floor > reachableMargin * target,
      let params = IsoLoss.params(law: p, loss: target, tokens: tokens)
    else {
      throw PairError.unreachable(
        law: preset.id, target: target, fixed: "D = \(Format.si(tokens))",
        unlimited: "parameters", floorFormula: "E + B/D^β", floor: floor)
    }
    (n, d) = (params, tokens)
    c = 6 * n * d
    explanation.add(
      ExplainedStep(
        quantity: "parameters N reaching the target loss",
        formula: "N = (A / (L − E − B/D^β))^(1/α) (Hoffmann eq. 2 solved for N)",
        inputs: [
          ExplainedInput("L", Format.number(target), source: "--target-loss"),
          ExplainedInput("D", Format.si(d), source: "--tokens"),
        ] + lawInputs(preset), result: Format.si(n),
        source: "Hoffmann et al. 2022 §3.3 eq. 2; constants: \(lawSource)"))
    explanation.add(computeStep(n: n, d: d, c: c, nSource: "step above", dSource: "--tokens"))
  }
  for (value, name) in [(n, "derived parameters N"), (d, "derived tokens D"), (c, "implied compute")] {
    guard value.isFinite, value > 0 else {
      throw QuantityError.outOfRange(
        name: name, value: value, range: "a finite positive number")
    }
  }
  let loss = law.loss(params: n, tokens: d)
  if let loss {
    explanation.add(
      ExplainedStep(
        quantity: "predicted loss", formula: lossFormula(law),
        inputs: [
          ExplainedInput("N", Format.si(n), source: pair.fixed.contains("params") ? "--params" : "step above"),
          ExplainedInput("D", Format.si(d), source: pair.fixed.contains("tokens") ? "--tokens" : "step above"),
        ] + lawInputs(preset), result: Format.fixed(loss, decimals: 3) + " nats/token",
        source: lawSource))
  }
  let (nOpt, dOpt) = law.computeOptimal(flops: c)
  explanation.add(allocationStep(preset, flops: c, params: nOpt, tokens: dOpt))
  let optimalLoss = law.loss(params: nOpt, tokens: dOpt)
  var penalty: Double?
  if let loss, let optimalLoss {
    penalty = loss - optimalLoss
    explanation.add(
      ExplainedStep(
        quantity: "loss penalty against the compute-optimal split",
        formula: "ΔL = L(N, D) − L(N*(C), D*(C))",
        inputs: [
          ExplainedInput("L(N, D)", Format.fixed(loss, decimals: 4), source: "predicted loss"),
          ExplainedInput(
            "L(N*, D*)", Format.fixed(optimalLoss, decimals: 4), source: "the law at N*, D*"),
        ], result: Format.fixed(loss - optimalLoss, decimals: 4) + " nats/token",
        source: "\(lossFormula(law)) at both splits of the same C; \(lawSource)"))
  }
  let rule = twentyTokensPerParam(flops: c)
  return ComputeOptimalPlan(
    law: preset.id, computeFLOPs: c, params: n, tokens: d, tokensPerParam: d / n, loss: loss,
    paramsInterval: nil, tokensInterval: nil, rule20Params: rule.params,
    rule20Tokens: rule.tokens, explanation: explanation,
    comparison: PairComparison(
      params: nOpt, tokens: dOpt, loss: optimalLoss, lossPenalty: penalty))
}

/// A target within this fraction of its floor is taken as at the floor: the gap is then rounding
/// error, and solving with it would give a meaningless, astronomically large N or D.
let reachableMargin = 1e-12

/// The explained C = 6·N·D step.
private func computeStep(n: Double, d: Double, c: Double, nSource: String, dSource: String)
  -> ExplainedStep
{
  ExplainedStep(
    quantity: "training compute", formula: "C = 6·N·D",
    inputs: [
      ExplainedInput("N", Format.si(n), source: nSource),
      ExplainedInput("D", Format.si(d), source: dSource),
    ], result: Format.scientific(c) + " FLOPs",
    source: "Kaplan et al. 2020 Table 1; Hoffmann et al. 2022 §2")
}
