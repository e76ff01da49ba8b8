// `plan --target-loss L --inference-tokens T`: inference-aware allocation (Sardana, Portes,
// Doubov & Frankle 2024, "Beyond Chinchilla-Optimal", arXiv 2401.00448, §2–3; formulas in
// Planner/InferenceAware.swift). It takes the same `PlanRequest` as the compute-optimal
// question, so one `validate()` sees every contradiction between `plan`'s inputs, and gives its
// own result: the answer is one model beside the Chinchilla-optimal model of the same loss, not
// one row per law, and its JSON has its own keys.

import Catalog
import Foundation
import Planner

/// Defaults of the inference-aware cost objective, with their sources.
public enum InferenceAwareDefaults {
  /// Objective when the request gives none.
  public static let objective = "flops"
  /// Training precision for the cost objective.
  public static let trainPrecision = "bf16"
  /// The method sentence of the FLOPs objective.
  public static let method =
    "objective flops — Sardana et al. 2024 (arXiv 2401.00448) §2: minimise lifetime FLOPs "
    + "6·N·D + 2·N·T on L(N, D) = loss."
  /// The method sentence of the cost objective.
  public static let costMethod =
    "objective cost — Sardana et al. 2024 (arXiv 2401.00448) §3: minimise lifetime dollars "
    + "6·N·D·c_tr/U_tr + 2·N·c_inf·(T_in/U_prefill + T_out/U_decode) on L(N, D) = loss "
    + "(c = $ per FLOP at peak, U = MFU)."

  /// The method sentence for `objective` (`flops` or `cost`).
  public static func method(objective: String) -> String {
    objective == "cost" ? costMethod : method
  }
}

/// One model choice with its lifetime FLOPs and, under the cost objective, dollars.
public struct InferenceAwarePoint: Codable, Sendable, Equatable {
  /// Parameters N.
  public var params: Double
  /// Training tokens D.
  public var tokens: Double
  /// D/N.
  public var tokensPerParam: Double
  /// Predicted loss L(N, D).
  public var loss: Double
  /// Training FLOPs 6·N·D.
  public var computeFLOPs: Double
  /// Inference FLOPs 2·N·T.
  public var inferenceFLOPs: Double
  /// Their sum.
  public var totalFLOPs: Double
  /// Training US$ (cost objective only).
  public var trainingCostUSD: Double?
  /// Inference US$ (cost objective only).
  public var inferenceCostUSD: Double?
  /// Their sum.
  public var totalCostUSD: Double?

  /// The point of a Planner `LifetimePoint`.
  public init(_ p: LifetimePoint) {
    params = p.params
    tokens = p.tokens
    tokensPerParam = p.tokens / p.params
    loss = p.loss
    computeFLOPs = p.trainingFLOPs
    inferenceFLOPs = p.inferenceFLOPs
    totalFLOPs = p.totalFLOPs
    trainingCostUSD = p.trainingCostUSD
    inferenceCostUSD = p.inferenceCostUSD
    totalCostUSD = p.totalCostUSD
  }

  enum CodingKeys: String, CodingKey {
    case params, tokens, loss
    case tokensPerParam = "tokens_per_param"
    case computeFLOPs = "compute_flops"
    case inferenceFLOPs = "inference_flops"
    case totalFLOPs = "total_flops"
    case trainingCostUSD = "training_cost_usd"
    case inferenceCostUSD = "inference_cost_usd"
    case totalCostUSD = "total_cost_usd"
  }

  /// Encodes the dollar figures as null when there is no cost model (never missing).
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try encodeFields(into: &c)
  }

  func encodeFields<K: CodingKey>(into c: inout KeyedEncodingContainer<K>) throws {
    func key(_ k: CodingKeys) -> K? { K(stringValue: k.stringValue) }
    let numbers: [(CodingKeys, Double?)] = [
      (.params, params), (.tokens, tokens), (.tokensPerParam, tokensPerParam), (.loss, loss),
      (.computeFLOPs, computeFLOPs), (.inferenceFLOPs, inferenceFLOPs),
      (.totalFLOPs, totalFLOPs), (.trainingCostUSD, trainingCostUSD),
      (.inferenceCostUSD, inferenceCostUSD), (.totalCostUSD, totalCostUSD),
    ]
    for (k, v) in numbers {
      guard let key = key(k) else { continue }
      try c.encode(v, forKey: key)
    }
  }
}

/// The answer to a `PlanRequest` with `inferenceTokens`: the lifetime-optimal model beside the
/// Chinchilla-optimal model of the same loss.
///
/// JSON (the `--json` of `plan --inference-tokens`): the optimal point's keys at the top level,
/// `chinchilla_optimal` as an object, and the plan's figures beside them.
public struct InferenceAwarePlanResult: Codable, Sendable, Explained {
  /// The model minimising lifetime FLOPs (or dollars).
  public var optimal: InferenceAwarePoint
  /// The training-compute-optimal model of the same loss (T = 0).
  public var chinchillaOptimal: InferenceAwarePoint
  /// The loss both models reach.
  public var targetLoss: Double
  /// Lifetime inference tokens T.
  public var inferenceTokens: Double
  /// `flops` or `cost`.
  public var objective: String
  /// The law as shown: id and citation.
  public var law: String
  /// The law's id.
  public var lawID: String
  /// Chinchilla total FLOPs − optimal total FLOPs.
  public var savingFLOPs: Double
  /// `savingFLOPs` over the Chinchilla total.
  public var savingFLOPsFraction: Double
  /// The same in percent.
  public var savingFLOPsPercent: Double
  /// Chinchilla total dollars − optimal total dollars (cost objective).
  public var savingCostUSD: Double?
  /// `savingCostUSD` over the Chinchilla total.
  public var savingCostFraction: Double?
  /// The same in percent.
  public var savingCostPercent: Double?
  /// The hardware, prices and utilisations of the cost objective.
  public var costAssumptions: String?
  /// The method, with its source.
  public var method: String
  /// Anything the user should know about the answer.
  public var warnings: [String]
  /// The Chinchilla-optimal and lifetime-optimal steps.
  public var explanation: Explanation?

  enum CodingKeys: String, CodingKey {
    case objective, law, method, warnings, explanation
    case chinchillaOptimal = "chinchilla_optimal"
    case targetLoss = "target_loss"
    case inferenceTokens = "inference_tokens"
    case lawID = "law_id"
    case savingFLOPs = "saving_flops"
    case savingFLOPsFraction = "saving_flops_fraction"
    case savingFLOPsPercent = "saving_flops_percent"
    case savingCostUSD = "saving_cost_usd"
    case savingCostFraction = "saving_cost_fraction"
    case savingCostPercent = "saving_cost_percent"
    case costAssumptions = "cost_assumptions"
  }

  private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// Encodes the optimal point flat, the dollar figures as null without a cost model.
  public func encode(to encoder: Encoder) throws {
    var flat = encoder.container(keyedBy: AnyKey.self)
    try optimal.encodeFields(into: &flat)
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(chinchillaOptimal, forKey: .chinchillaOptimal)
    try c.encode(targetLoss, forKey: .targetLoss)
    try c.encode(inferenceTokens, forKey: .inferenceTokens)
    try c.encode(objective, forKey: .objective)
    try c.encode(law, forKey: .law)
    try c.encode(lawID, forKey: .lawID)
    try c.encode(savingFLOPs, forKey: .savingFLOPs)
    try c.encode(savingFLOPsFraction, forKey: .savingFLOPsFraction)
    try c.encode(savingFLOPsPercent, forKey: .savingFLOPsPercent)
    try c.encode(savingCostUSD, forKey: .savingCostUSD)
    try c.encode(savingCostFraction, forKey: .savingCostFraction)
    try c.encode(savingCostPercent, forKey: .savingCostPercent)
    try c.encode(costAssumptions, forKey: .costAssumptions)
    try c.encode(method, forKey: .method)
    try c.encode(warnings, forKey: .warnings)
    try c.encodeIfPresent(explanation, forKey: .explanation)
  }

  /// Decodes what `encode(to:)` wrote.
  public init(from decoder: Decoder) throws {
    optimal = try InferenceAwarePoint(from: decoder)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    chinchillaOptimal = try c.decode(InferenceAwarePoint.self, forKey: .chinchillaOptimal)
    targetLoss = try c.decode(Double.self, forKey: .targetLoss)
    inferenceTokens = try c.decode(Double.self, forKey: .inferenceTokens)
    objective = try c.decode(String.self, forKey: .objective)
    law = try c.decode(String.self, forKey: .law)
    lawID = try c.decode(String.self, forKey: .lawID)
    savingFLOPs = try c.decode(Double.self, forKey: .savingFLOPs)
    savingFLOPsFraction = try c.decode(Double.self, forKey: .savingFLOPsFraction)
    savingFLOPsPercent = try c.decode(Double.self, forKey: .savingFLOPsPercent)
    savingCostUSD = try c.decodeIfPresent(Double.self, forKey: .savingCostUSD)
    savingCostFraction = try c.decodeIfPresent(Double.self, forKey: .savingCostFraction)
    savingCostPercent = try c.decodeIfPresent(Double.self, forKey: .savingCostPercent)
    costAssumptions = try c.decodeIfPresent(String.self, forKey: .costAssumptions)
    method = try c.decode(String.self, forKey: .method)
    warnings = try c.decodeIfPresent([String].self, forKey: .warnings) ?? []
    explanation = try c.decodeIfPresent(Explanation.self, forKey: .explanation)
  }

  /// The result of a Planner `LifetimePlan` under `preset`.
  public init(_ plan: LifetimePlan, preset: LawPreset) {
    optimal = InferenceAwarePoint(plan.optimal)
    chinchillaOptimal = InferenceAwarePoint(plan.chinchillaOptimal)
    targetLoss = plan.targetLoss
    inferenceTokens = plan.inferenceTokens
    objective = plan.objective
    law = "\(preset.id) — \(preset.citation)"
    lawID = preset.id
    savingFLOPs = plan.savingFLOPs
    savingFLOPsFraction = plan.savingFLOPsFraction
    savingFLOPsPercent = plan.savingFLOPsFraction * 100
    savingCostUSD = plan.savingCostUSD
    savingCostFraction = plan.savingCostFraction
    savingCostPercent = plan.savingCostFraction.map { $0 * 100 }
    costAssumptions = plan.costNote
    method = InferenceAwareDefaults.method(objective: plan.objective)
    warnings = []
    explanation = plan.explanation
  }
}

extension Engine {
  /// Answers the inference-aware question of `request` (it must give `inferenceTokens` and
  /// `targetLoss`): N and D reaching the loss with the least lifetime FLOPs, or dollars under
  /// `objective` `cost`, beside the Chinchilla-optimal model of that loss.
  ///
  /// - Throws: `RequestError` for an invalid request, an unknown law or accelerator, or a law
  ///   that is not parametric; `InferenceError` for an unreachable loss or a missing price/peak.
  public func inferenceAwarePlan(_ request: PlanRequest) throws -> InferenceAwarePlanResult {
    try requireFinite(
      inferenceAwarePlanUnchecked(request),
      inputs: "--target-loss, --inference-tokens or the prices")
  }

  func inferenceAwarePlanUnchecked(_ request: PlanRequest) throws -> InferenceAwarePlanResult {
    try request.validate()
    guard let tokens = request.inferenceTokens, let loss = request.targetLoss else {
      throw RequestError.invalid("--inference-tokens needs --target-loss (the quality to reach).")
    }
    let preset = try law(named: request.law)
    guard case .parametric(let law) = preset.law else {
      throw RequestError.invalid(
        "--inference-tokens needs a parametric law L = E + A/N^α + B/D^β; '\(preset.id)' is not "
          + "one (try --law hoffmann2022).")
    }
    let objective = (request.objective ?? InferenceAwareDefaults.objective).lowercased()
    let cost = objective == "cost" ? try lifetimeCostModel(request) : nil
    let plan = try Planner.inferenceAwarePlan(
      targetLoss: loss, inferenceTokens: tokens, law: law, cost: cost)
    return InferenceAwarePlanResult(plan, preset: preset)
  }

  /// The dollar weights of the cost objective from the catalog and the request's overrides.
  func lifetimeCostModel(_ r: PlanRequest) throws -> LifetimeCostModel {
    guard let inferID = r.inferenceGpu ?? r.gpu, let trainID = r.trainGpu ?? r.gpu else {
      throw RequestError.invalid(
        "--objective cost needs --gpu ID (or --train-gpu and --inference-gpu).")
    }
    let c = try catalog()
    let trainAcc = try c.accelerator(trainID)
    let inferAcc = try c.accelerator(inferID)
    let trainFormat = try WeightFormat.parse(r.trainPrecision ?? InferenceAwareDefaults.trainPrecision)
    let inferFormat =
      try r.inferencePrecision.map { try WeightFormat.parse($0) }
      ?? WeightFormat(inferAcc.peakFLOPS(.fp8) != nil ? .fp8 : .bf16)
    guard let trainPrice = r.trainPrice ?? r.price ?? trainAcc.priceUSDPerHour else {
      throw InferenceError.noPrice(accelerator: trainAcc.id)
    }
    guard let inferPrice = r.inferencePrice ?? r.price ?? inferAcc.priceUSDPerHour else {
      throw InferenceError.noPrice(accelerator: inferAcc.id)
    }
    return try LifetimeCostModel(
      trainAccelerator: trainAcc, trainPrecision: trainFormat.computePrecision(on: trainAcc),
      trainUSDPerHour: trainPrice,
      trainMFU: r.trainMfu ?? r.mfu ?? LifetimeCostModel.defaultTrainMFU,
      inferenceAccelerator: inferAcc,
      inferencePrecision: inferFormat.computePrecision(on: inferAcc),
      inferenceUSDPerHour: inferPrice,
      prefillMFU: r.prefillMfu ?? LifetimeCostModel.defaultPrefillMFU,
      decodeMFU: r.decodeMfu ?? LifetimeCostModel.defaultDecodeMFU,
      inputFraction: r.inputFraction ?? LifetimeCostModel.defaultInputFraction)
  }
}
