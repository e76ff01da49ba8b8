// Compute-optimal planning under a named law: N*, D* for a compute budget, the compute-optimal
// partner of a given N or D, and the least compute for a target loss. C = 6·N·D throughout
// (Kaplan et al. 2020 Table 1; Hoffmann et al. 2022 §2). The "20 tokens per parameter" rule
// (Hoffmann et al. 2022 Table 3: 20.0–21.6 tokens/param) is shown beside every answer:
// at compute C it gives N = √(C/120), D = 20·N.

import Foundation

/// What the user fixed; the planner finds the rest on the compute-optimal frontier.
public enum PlanTarget: Sendable, Equatable {
  /// A compute budget in FLOPs.
  case compute(Double)
  /// A model size: find the compute (and tokens) for which it is optimal.
  case params(Double)
  /// A token count: find the compute (and model size) for which it is optimal.
  case tokens(Double)
  /// A target loss: find the least compute whose optimal model reaches it.
  case loss(Double)
}

/// One compute-optimal answer under one law.
public struct ComputeOptimalPlan: Sendable, Codable, Equatable {
  /// Law id, for example `hoffmann2022`.
  public var law: String
  /// Training compute in FLOPs.
  public var computeFLOPs: Double
  /// Compute-optimal parameters N*.
  public var params: Double
  /// Compute-optimal training tokens D*.
  public var tokens: Double
  /// D*/N*.
  public var tokensPerParam: Double
  /// Predicted loss at (N*, D*) in nats/token, nil for allocation-only laws.
  public var loss: Double?
  /// 80% interval (10th–90th percentile) on N: over the law's bootstrap refits when it carries
  /// them, else from its standard errors ([N, N] when N was given: the interval is then on D).
  public var paramsInterval: [Double]?
  /// 80% interval on D*.
  public var tokensInterval: [Double]?
  /// 80% interval on D/N (each draw's or refit's own ratio).
  public var tokensPerParamInterval: [Double]? = nil
  /// 80% interval on the loss of the planned (N, D) across the law's draws or refits.
  public var lossInterval: [Double]? = nil
  /// The 20-tokens-per-parameter rule at the same compute: N = √(C/120).
  public var rule20Params: Double
  /// D = 20·N under the same rule.
  public var rule20Tokens: Double
  /// Formulas, inputs and sources.
  public var explanation: Explanation
  /// For a plan from two fixed quantities (`planPair`): the compute-optimal split at the same
  /// compute and the loss penalty; nil for a compute-optimal plan.
  public var comparison: PairComparison? = nil
}

/// The 20-tokens-per-parameter split of `flops` under C = 6ND: N = √(C/120), D = 20N.
public func twentyTokensPerParam(flops: Double) -> (params: Double, tokens: Double) {
  let n = (flops / 120).squareRoot()
  return (n, 20 * n)
}

/// Plans a compute-optimal run under `preset`.
/// - Parameter intervals: compute Monte Carlo intervals when the preset has standard errors.
/// - Throws: `QuantityError.notPositive` for a zero, negative, NaN or infinite target;
///   `LawError.noLossPrediction` / `.unreachableLoss` for a `.loss` target the law cannot meet.
public func planComputeOptimal(
  _ target: PlanTarget, preset: LawPreset, intervals: Bool = true
) throws -> ComputeOptimalPlan {
  let law = preset.law
  var explanation = Explanation()
  let lawSource = preset.citation
  let flops: Double
  switch target {
  case .compute(let c):
    try requirePositive(c, "--compute")
    flops = c
  case .params(let n):
    try requirePositive(n, "--params")
    flops = law.flops(forOptimalParams: n)
    explanation.add(
      ExplainedStep(
        quantity: "compute for which N is optimal", formula: inverseFormula(law, of: "N"),
        inputs: [ExplainedInput("N", Format.si(n), source: "--params")],
        result: Format.scientific(flops) + " FLOPs", source: lawSource))
  case .tokens(let d):
    try requirePositive(d, "--tokens")
    flops = law.flops(forOptimalTokens: d)
    explanation.add(
      ExplainedStep(
        quantity: "compute for which D is optimal", formula: inverseFormula(law, of: "D"),
        inputs: [ExplainedInput("D", Format.si(d), source: "--tokens")],
        result: Format.scientific(flops) + " FLOPs", source: lawSource))
  case .loss(let target):
    try requirePositive(target, "--target-loss")
    guard law.predictsLoss else { throw LawError.noLossPrediction(law: preset.id) }
    guard let c = law.minimumFLOPs(forLoss: target) else {
      var floor: Double? = nil
      if case .parametric(let p) = law { floor = p.E }
      throw LawError.unreachableLoss(law: preset.id, target: target, floor: floor)
    }
    flops = c
    explanation.add(
      ExplainedStep(
        quantity: "least compute reaching the target loss",
        formula: {
          if case .parametric = law {
            return "N = ((1 + α/β)·A/(L − E))^(1/α) (optimality αA/N^α = βB/D^β), C = 6·(N/G)^(1/a)"
          }
          return "bisection on log C of L(N*(C), D*(C)) = target"
        }(),
        inputs: [ExplainedInput("L", Format.number(target), source: "--target-loss")],
        result: Format.scientific(flops) + " FLOPs", source: lawSource))
  }
  guard flops.isFinite, flops > 0 else {
    throw QuantityError.outOfRange(
      name: "implied compute", value: flops, range: "a finite positive number of FLOPs")
  }
  let (n, d) = law.computeOptimal(flops: flops)
  explanation.add(allocationStep(preset, flops: flops, params: n, tokens: d))
  let loss = law.loss(params: n, tokens: d)
  if let loss {
    explanation.add(
      ExplainedStep(
        quantity: "predicted loss", formula: lossFormula(law),
        inputs: [
          ExplainedInput("N", Format.si(n), source: "step above"),
          ExplainedInput("D", Format.si(d), source: "step above"),
        ] + lawInputs(preset), result: Format.fixed(loss, decimals: 3) + " nats/token",
        source: lawSource))
  }
  let rule = twentyTokensPerParam(flops: flops)
  explanation.add(
    ExplainedStep(
      quantity: "20 tokens/parameter rule (comparison)", formula: "N = √(C/120), D = 20·N",
      inputs: [ExplainedInput("C", Format.scientific(flops), source: "above")],
      result: "N = \(Format.si(rule.params)), D = \(Format.si(rule.tokens))",
      source: "Hoffmann et al. 2022 Table 3 (approach 1: 20.0–21.6 tokens per parameter)"))
  var plan = ComputeOptimalPlan(
    law: preset.id, computeFLOPs: flops, params: n, tokens: d, tokensPerParam: d / n, loss: loss,
    paramsInterval: nil, tokensInterval: nil, rule20Params: rule.params,
    rule20Tokens: rule.tokens, explanation: explanation)
  if intervals, let se = preset.uncertainty, case .parametric(let p) = law {
    let band = planIntervals(
      law: p, uncertainty: se, target: target, plannedFLOPs: flops, run: (n, d))
    plan.paramsInterval = [band.params.lowerBound, band.params.upperBound]
    plan.tokensInterval = [band.tokens.lowerBound, band.tokens.upperBound]
    plan.tokensPerParamInterval = [band.tokensPerParam.lowerBound, band.tokensPerParam.upperBound]
    plan.lossInterval = [band.loss.lowerBound, band.loss.upperBound]
    plan.explanation.add(
      ExplainedStep(
        quantity: "80% intervals on N*, D*, D/N and loss",
        formula: "10th–90th percentiles of \(intervalSubject(target)), their ratio D/N and "
          + "L(N, D) of the planned run, over "
          + (AllocationIntervalMethod.usableSamples(se).map {
            "the law's \($0.count) saved bootstrap refits (E, A, B, α, β), each taken as a law"
          }
            ?? ("\(AllocationIntervalMethod.draws) "
              + (AllocationIntervalMethod.usesCorrelation(se)
                ? "draws of (E, A, B, α, β) ~ correlated normals (the fit's SEs and correlation), "
                : "draws of (A, B, α, β) ~ independent normals (published SEs; E from its own "
                  + "stream, for the loss), ")
              + "seed \(AllocationIntervalMethod.seed), draws with a non-positive value redrawn")),
        inputs: AllocationIntervalMethod.usableSamples(se).map { rows in
          [
            ExplainedInput(
              "refits", "\(rows.count) rows of (E, A, B, α, β)",
              source: se.samplesOrigin ?? "the fit's bootstrap")
          ]
        } ?? [
          ExplainedInput("SE(E)", Format.number(se.seE), source: lawSource),
          ExplainedInput("SE(A)", Format.number(se.seA), source: lawSource),
          ExplainedInput("SE(B)", Format.number(se.seB), source: lawSource),
          ExplainedInput("SE(α)", Format.number(se.seAlpha), source: lawSource),
          ExplainedInput("SE(β)", Format.number(se.seBeta), source: lawSource),
        ]
          + (AllocationIntervalMethod.usesCorrelation(se)
            ? [
              ExplainedInput(
                "corr(A, α), corr(B, β), corr(α, β)",
                [(1, 3), (2, 4), (3, 4)].map { Format.significant(se.correlation?[$0.0][$0.1] ?? 0, digits: 3) }
                  .joined(separator: ", "), source: lawSource)
            ] : []),
        result: "N* \(Format.si(band.params.lowerBound))–\(Format.si(band.params.upperBound)), "
          + "D* \(Format.si(band.tokens.lowerBound))–\(Format.si(band.tokens.upperBound)), "
          + "D/N \(Format.fixed(band.tokensPerParam.lowerBound, decimals: 1))–"
          + "\(Format.fixed(band.tokensPerParam.upperBound, decimals: 1)), loss "
          + "\(Format.fixed(band.loss.lowerBound, decimals: 3))–"
          + "\(Format.fixed(band.loss.upperBound, decimals: 3)) nats/token",
        source: AllocationIntervalMethod.caveat(for: se)))
  }
  return plan
}

/// What an interval is taken over, for the explanation.
func intervalSubject(_ target: PlanTarget) -> String {
  switch target {
  case .compute, .loss: return "N*(C), D*(C) at the planned compute"
  case .params: return "D*(N) for the given N"
  case .tokens: return "N*(D) for the given D"
  }
}

/// Plans under every law in `presets` (for `--all-laws`); laws that cannot answer (for example an
/// allocation-only law asked for a loss) are skipped.
public func planAllLaws(_ target: PlanTarget, presets: [LawPreset]) throws -> [ComputeOptimalPlan] {
  switch target {
  case .compute(let v): try requirePositive(v, "--compute")
  case .params(let v): try requirePositive(v, "--params")
  case .tokens(let v): try requirePositive(v, "--tokens")
  case .loss(let v): try requirePositive(v, "--target-loss")
  }
  var out: [ComputeOptimalPlan] = []
  for p in presets {
    do {
      out.append(try planComputeOptimal(target, preset: p))
    } catch is LawError {
      continue
    }
  }
  return out
}

/// One sentence on why presets disagree, for `--all-laws`.
public let whyLawsDisagree =
  "they were fit to different runs and data (MassiveText, WebText2, MPT runs at extreme token "
  + "ratios, Chinchilla's runs re-read from a figure), count parameters differently (Kaplan: "
  + "non-embedding), trained with different schedules (Kaplan's fixed schedule under-trained "
  + "small runs) and round their constants (hoffmann2022 vs -tex); small changes in α and β "
  + "move N* a lot when extrapolated over many orders of magnitude."

/// The spread of N* across plans, for example "N* spans 32.2B–485B (15x)".
public func parameterSpread(_ plans: [ComputeOptimalPlan]) -> String? {
  let ns = plans.map(\.params)
  guard let lo = ns.min(), let hi = ns.max(), lo > 0 else { return nil }
  return "N* spans \(Format.si(lo))–\(Format.si(hi)) (\(Format.significant(hi / lo, digits: 2))x)"
}

// MARK: - Explanation helpers

/// The inverse-allocation formula for `--params` (`of: "N"`) or `--tokens` (`of: "D"`).
public func inverseFormula(_ law: ScalingLaw, of what: String) -> String {
  switch law {
  case .parametric:
    return what == "N"
      ? "C = 6·(N/G)^(1/a) (inverse of Hoffmann eq. 4)"
      : "C = 6·(D·G)^(1/b) (inverse of Hoffmann eq. 4)"
  case .kaplan, .allocation:
    return what == "N" ? "C = C₀·(N/N₀)^(1/a)" : "C^(1−a) = 6·D·N₀·C₀^(−a)"
  }
}

/// The loss formula of a law, with its equation number.
public func lossFormula(_ law: ScalingLaw) -> String {
  switch law {
  case .parametric: return "L = E + A/N^α + B/D^β (Hoffmann eq. 2)"
  case .kaplan: return "L = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D (Kaplan eq. 1.5)"
  case .allocation: return "no loss prediction"
  }
}

/// A law's constants as explanation inputs.
public func lawInputs(_ preset: LawPreset) -> [ExplainedInput] {
  let s = preset.id
  switch preset.law {
  case .parametric(let p):
    return [
      ExplainedInput("E", Format.number(p.E), source: s),
      ExplainedInput("A", Format.number(p.A), source: s),
      ExplainedInput("B", Format.number(p.B), source: s),
      ExplainedInput("α", Format.number(p.alpha), source: s),
      ExplainedInput("β", Format.number(p.beta), source: s),
    ]
  case .kaplan(let k):
    return [
      ExplainedInput("α_N", Format.number(k.alphaN), source: s),
      ExplainedInput("N_c", Format.scientific(k.Nc), source: s),
      ExplainedInput("α_D", Format.number(k.alphaD), source: s),
      ExplainedInput("D_c", Format.scientific(k.Dc), source: s),
    ]
  case .allocation(let a):
    return [
      ExplainedInput("a", Format.number(a.paramsExponent), source: s),
      ExplainedInput("N₀", Format.si(a.anchorParams), source: s),
      ExplainedInput("C₀", Format.scientific(a.anchorFLOPs), source: s),
    ]
  }
}

/// The explained N*, D* step for a plan.
public func allocationStep(
  _ preset: LawPreset, flops: Double, params: Double, tokens: Double
) -> ExplainedStep {
  let c = ExplainedInput("C", Format.scientific(flops), source: "compute budget")
  switch preset.law {
  case .parametric(let p):
    return ExplainedStep(
      quantity: "compute-optimal N*, D*",
      formula: "N* = G·(C/6)^a, D* = (C/6)^b/G, G = (αA/βB)^(1/(α+β)), a = β/(α+β), b = α/(α+β)",
      inputs: [c] + lawInputs(preset) + [
        ExplainedInput("G", Format.number(p.G), source: "derived"),
        ExplainedInput("a", Format.number(p.paramsExponent), source: "derived"),
      ],
      result: "N* = \(Format.si(params)), D* = \(Format.si(tokens))",
      source: "Hoffmann et al. 2022 §3.3 eq. 4; constants: \(preset.citation)")
  case .kaplan(let k):
    let a = k.allocation
    return ExplainedStep(
      quantity: "compute-optimal N*, D*", formula: "N* = N₀·(C/C₀)^a, D* = C/(6·N*)",
      inputs: [
        c, ExplainedInput("a", Format.number(a.paramsExponent), source: preset.id),
        ExplainedInput("N₀", Format.si(a.anchorParams), source: preset.provenance.notes),
        ExplainedInput("C₀", Format.scientific(a.anchorFLOPs), source: preset.id),
      ],
      result: "N* = \(Format.si(params)), D* = \(Format.si(tokens))", source: preset.citation)
  case .allocation(let a):
    return ExplainedStep(
      quantity: "compute-optimal N*, D*", formula: "N* = N₀·(C/C₀)^a, D* = C/(6·N*)",
      inputs: [
        c, ExplainedInput("a", Format.number(a.paramsExponent), source: preset.id),
        ExplainedInput("N₀", Format.si(a.anchorParams), source: preset.provenance.notes),
        ExplainedInput("C₀", Format.scientific(a.anchorFLOPs), source: preset.id),
      ],
      result: "N* = \(Format.si(params)), D* = \(Format.si(tokens))", source: preset.citation)
  }
}
