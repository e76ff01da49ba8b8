// Inference-aware allocation (Sardana, Portes, Doubov & Frankle, "Beyond Chinchilla-Optimal",
// arXiv 2401.00448, ICML 2024, §2): for a target loss ℓ and lifetime inference tokens T, choose
// N and D minimising 6·N·D + 2·N·T subject to L(N, D) = ℓ; in dollars (their §3 cost model),
// minimise 6·N·D·c_tr/U_tr + 2·N·c_inf·(T_in/U_prefill + T_out/U_decode), c = $ per FLOP at peak.
// Along the constraint D(N) = (B / (ℓ − E − A/N^α))^(1/β), which is finite only for
// N > N_min = (A/(ℓ − E))^(1/α). The objective is minimised in one dimension over log N:
// a 64-point scan brackets the minimum, golden-section search refines it (deterministic).
// The Chinchilla-optimal model of the same loss (T = 0) has the closed form
// N = (A(1 + α/β)/(ℓ − E))^(1/α), D = (B(1 + β/α)/(ℓ − E))^(1/β) (from αA/N^α = βB/D^β,
// Hoffmann et al. 2022 eq. 4; as in the authors' repository, utils.py).

import Fitting
import Foundation

extension ParametricLaw {
  /// Hoffmann's Chinchilla constants exactly as Sardana and colleagues use them (beyond-chinchilla repository,
  /// utils.py): α = 0.336, β = 0.283, A = 406.4, B = 410.7, E = 1.69.
  public static let sardanaChinchilla = ParametricLaw(
    E: 1.69, A: 406.4, B: 410.7, alpha: 0.336, beta: 0.283)
}

/// Closed forms along a curve of constant predicted loss ℓ of a parametric law.
public enum IsoLoss {
  /// Tokens a model of `params` parameters needs to reach `loss`; nil when it never can.
  public static func tokens(law: ParametricLaw, loss: Double, params: Double) -> Double? {
    let gap = loss - law.E - law.A / pow(params, law.alpha)
    guard gap > 0 else { return nil }
    return pow(law.B / gap, 1 / law.beta)
  }

  /// The smallest model that can reach `loss` with unlimited data: (A/(ℓ − E))^(1/α).
  public static func minimumParams(law: ParametricLaw, loss: Double) -> Double {
    pow(law.A / (loss - law.E), 1 / law.alpha)
  }

  /// The training-compute-optimal (Chinchilla) N and D reaching `loss`.
  public static func chinchillaOptimal(law: ParametricLaw, loss: Double)
    -> (params: Double, tokens: Double)
  {
    let gap = loss - law.E
    let (A, B, a, b) = (law.A, law.B, law.alpha, law.beta)
    return (pow(A * (1 + a / b) / gap, 1 / a), pow(B * (1 + b / a) / gap, 1 / b))
  }
}

/// Dollar weights for the cost objective (Sardana and colleagues, §3).
public struct LifetimeCostModel: Sendable, Equatable, Codable {
  /// Training US$ per FLOP at peak: price per hour / (3600 × peak FLOP/s).
  public var trainUSDPerFLOP: Double
  public var trainMFU: Double
  /// Inference US$ per FLOP at peak.
  public var inferenceUSDPerFLOP: Double
  public var prefillMFU: Double
  public var decodeMFU: Double
  /// Fraction of lifetime inference tokens that are prompt (prefill) tokens.
  public var inputFraction: Double
  /// Human-readable description of the hardware assumptions.
  public var note: String

  /// Sardana et al.'s repository defaults: MFU 0.5 training, 0.5 prefill, 0.01 decode; requests of
  /// 70 input and 215 output tokens (LMSys averages), so 70/285 of tokens are input.
  public static let defaultTrainMFU = 0.5
  public static let defaultPrefillMFU = 0.5
  public static let defaultDecodeMFU = 0.01
  public static let defaultInputFraction = 70.0 / 285.0

  /// Builds the weights from hardware, precision, price and utilisations.
  ///
  /// - Throws: `InferenceError` for a missing peak, non-positive price or an MFU outside (0, 1].
  public init(
    trainAccelerator: Accelerator, trainPrecision: Precision, trainUSDPerHour: Double,
    trainMFU: Double = defaultTrainMFU, inferenceAccelerator: Accelerator,
    inferencePrecision: Precision, inferenceUSDPerHour: Double,
    prefillMFU: Double = defaultPrefillMFU, decodeMFU: Double = defaultDecodeMFU,
    inputFraction: Double = defaultInputFraction
  ) throws {
    guard let pt = trainAccelerator.peakFLOPS(trainPrecision) else {
      throw InferenceError.noPeak(
        accelerator: trainAccelerator.id, precision: trainPrecision.rawValue)
    }
    guard let pi = inferenceAccelerator.peakFLOPS(inferencePrecision) else {
      throw InferenceError.noPeak(
        accelerator: inferenceAccelerator.id, precision: inferencePrecision.rawValue)
    }
    try requirePositiveInference(trainUSDPerHour, "--train-price")
    try requirePositiveInference(inferenceUSDPerHour, "--price")
    self.init(
      trainUSDPerFLOP: trainUSDPerHour / (3600 * pt), trainMFU: trainMFU,
      inferenceUSDPerFLOP: inferenceUSDPerHour / (3600 * pi), prefillMFU: prefillMFU,
      decodeMFU: decodeMFU, inputFraction: inputFraction,
      note:
        "train \(trainAccelerator.id) \(trainPrecision.rawValue) "
        + "$\(Format.number(trainUSDPerHour))/h MFU \(Format.number(trainMFU)); "
        + "infer \(inferenceAccelerator.id) "
        + "\(inferencePrecision.rawValue) $\(Format.number(inferenceUSDPerHour))/h prefill MFU "
        + "\(Format.number(prefillMFU)) decode MFU \(Format.number(decodeMFU))")
  }

  /// Builds the weights from US$ per FLOP directly.
  public init(
    trainUSDPerFLOP: Double, trainMFU: Double, inferenceUSDPerFLOP: Double, prefillMFU: Double,
    decodeMFU: Double, inputFraction: Double, note: String = ""
  ) {
    self.trainUSDPerFLOP = trainUSDPerFLOP
    self.trainMFU = trainMFU
    self.inferenceUSDPerFLOP = inferenceUSDPerFLOP
    self.prefillMFU = prefillMFU
    self.decodeMFU = decodeMFU
    self.inputFraction = inputFraction
    self.note = note
  }

  func validate() throws {
    try requireFraction(trainMFU, "--train-mfu")
    try requireFraction(prefillMFU, "--prefill-mfu")
    try requireFraction(decodeMFU, "--decode-mfu")
    guard inputFraction.isFinite, inputFraction >= 0, inputFraction <= 1 else {
      throw InferenceError.fractionOutOfRange(name: "--input-fraction", value: inputFraction)
    }
    try requirePositiveInference(trainUSDPerFLOP, "training $ per FLOP")
    try requirePositiveInference(inferenceUSDPerFLOP, "inference $ per FLOP")
  }

  /// Training dollars for N parameters on D tokens.
  public func trainingCost(params: Double, tokens: Double) -> Double {
    6 * params * tokens * trainUSDPerFLOP / trainMFU
  }

  /// Inference dollars for N parameters serving T lifetime tokens.
  public func inferenceCost(params: Double, inferenceTokens: Double) -> Double {
    let tIn = inferenceTokens * inputFraction
    let tOut = inferenceTokens - tIn
    return 2 * params * inferenceUSDPerFLOP * (tIn / prefillMFU + tOut / decodeMFU)
  }
}

/// One model choice with its lifetime FLOPs (and dollars under a cost model).
public struct LifetimePoint: Sendable, Equatable, Codable {
  public var params: Double
  public var tokens: Double
  public var loss: Double
  public var trainingFLOPs: Double
  public var inferenceFLOPs: Double
  public var totalFLOPs: Double
  public var trainingCostUSD: Double?
  public var inferenceCostUSD: Double?
  public var totalCostUSD: Double?

  init(
    params: Double, tokens: Double, law: ParametricLaw, inferenceTokens: Double,
    cost: LifetimeCostModel?
  ) {
    self.params = params
    self.tokens = tokens
    loss = law.loss(params: params, tokens: tokens)
    trainingFLOPs = 6 * params * tokens
    inferenceFLOPs = 2 * params * inferenceTokens
    totalFLOPs = trainingFLOPs + inferenceFLOPs
    if let cost {
      let tr = cost.trainingCost(params: params, tokens: tokens)
      let inf = cost.inferenceCost(params: params, inferenceTokens: inferenceTokens)
      trainingCostUSD = tr
      inferenceCostUSD = inf
      totalCostUSD = tr + inf
    }
  }
}

/// The lifetime-optimal model beside the Chinchilla-optimal model of the same loss.
public struct LifetimePlan: Sendable, Equatable, Codable {
  public var targetLoss: Double
  public var inferenceTokens: Double
  /// "flops" or "cost".
  public var objective: String
  public var optimal: LifetimePoint
  public var chinchillaOptimal: LifetimePoint
  /// Chinchilla total FLOPs − optimal total FLOPs.
  public var savingFLOPs: Double
  /// savingFLOPs / Chinchilla total FLOPs.
  public var savingFLOPsFraction: Double
  public var savingCostUSD: Double?
  public var savingCostFraction: Double?
  public var costNote: String?
  public var explanation: Explanation
}

/// Finds N, D reaching `targetLoss` that minimise lifetime FLOPs (or dollars with `cost`).
///
/// - Throws: `InferenceError.unreachableLoss` when the target is not above E, or bad inputs.
public func inferenceAwarePlan(
  targetLoss: Double, inferenceTokens: Double, law: ParametricLaw,
  cost: LifetimeCostModel? = nil
) throws -> LifetimePlan {
  guard targetLoss.isFinite, targetLoss > law.E else {
    throw InferenceError.unreachableLoss(target: targetLoss, floor: law.E)
  }
  guard inferenceTokens.isFinite, inferenceTokens >= 0 else {
    throw InferenceError.negative(name: "--inference-tokens", value: inferenceTokens)
  }
  try cost?.validate()

  // Objective along the constraint, as a function of x = ln N.
  let trainWeight = cost.map { $0.trainUSDPerFLOP / $0.trainMFU } ?? 1
  func objective(_ x: Double) -> Double {
    let n = exp(x)
    guard let d = IsoLoss.tokens(law: law, loss: targetLoss, params: n) else { return .infinity }
    if let cost {
      return 6 * n * d * trainWeight
        + cost.inferenceCost(params: n, inferenceTokens: inferenceTokens)
    }
    return 6 * n * d + 2 * n * inferenceTokens
  }
  let chin = IsoLoss.chinchillaOptimal(law: law, loss: targetLoss)
  // Inference cost grows with N, so the optimum lies at or below the Chinchilla N; the bracket
  // extends a little past it so that T = 0 recovers the Chinchilla point from inside.
  let lo = log(IsoLoss.minimumParams(law: law, loss: targetLoss))
  let hi = log(chin.params) + 0.5
  let steps = 64
  var best = 1
  var bestValue = Double.infinity
  for i in 1...steps {
    let v = objective(lo + (hi - lo) * Double(i) / Double(steps))
    if v < bestValue {
      bestValue = v
      best = i
    }
  }
  var a = lo + (hi - lo) * Double(best - 1) / Double(steps)
  var b = lo + (hi - lo) * Double(min(best + 1, steps)) / Double(steps)
  let g = (sqrt(5.0) - 1) / 2
  var c = b - g * (b - a)
  var d = a + g * (b - a)
  var fc = objective(c)
  var fd = objective(d)
  for _ in 0..<200 where b - a > 1e-13 {
    if fc <= fd {
      b = d
      d = c
      fd = fc
      c = b - g * (b - a)
      fc = objective(c)
    } else {
      a = c
      c = d
      fc = fd
      d = a + g * (b - a)
      fd = objective(d)
    }
  }
  let nOpt = exp((a + b) / 2)
  let dOpt = IsoLoss.tokens(law: law, loss: targetLoss, params: nOpt) ?? .infinity
  let optimal = LifetimePoint(
    params: nOpt, tokens: dOpt, law: law, inferenceTokens: inferenceTokens, cost: cost)
  let chinchilla = LifetimePoint(
    params: chin.params, tokens: chin.tokens, law: law, inferenceTokens: inferenceTokens,
    cost: cost)
  let saving = chinchilla.totalFLOPs - optimal.totalFLOPs
  var savingCost: Double?
  var savingCostFraction: Double?
  if let oc = optimal.totalCostUSD, let cc = chinchilla.totalCostUSD {
    savingCost = cc - oc
    savingCostFraction = (cc - oc) / cc
  }

  var ex = Explanation()
  let lawInputs = [
    ExplainedInput("E", Format.number(law.E), source: "law"),
    ExplainedInput("A", Format.number(law.A), source: "law"),
    ExplainedInput("B", Format.number(law.B), source: "law"),
    ExplainedInput("α", Format.number(law.alpha), source: "law"),
    ExplainedInput("β", Format.number(law.beta), source: "law"),
  ]
  ex.add(
    ExplainedStep(
      quantity: "Chinchilla-optimal model for the loss",
      formula: "N = (A(1+α/β)/(ℓ−E))^(1/α), D = (B(1+β/α)/(ℓ−E))^(1/β)",
      inputs: lawInputs + [ExplainedInput("ℓ", Format.number(targetLoss), source: "--target-loss")],
      result: "N = \(Format.si(chin.params)), D = \(Format.si(chin.tokens))",
      source: "Hoffmann et al. 2022 eq. 4 at fixed loss; Sardana et al. 2024 repository"))
  ex.add(
    ExplainedStep(
      quantity: cost == nil ? "lifetime-FLOP-optimal model" : "lifetime-cost-optimal model",
      formula: cost == nil
        ? "min over N of 6·N·D(N) + 2·N·T, D(N) = (B/(ℓ − E − A/N^α))^(1/β)"
        : "min over N of 6·N·D(N)·c_tr/U_tr + 2·N·c_inf·(T_in/U_prefill + T_out/U_decode)",
      inputs: [ExplainedInput("T", Format.si(inferenceTokens), source: "--inference-tokens")]
        + (cost.map { [ExplainedInput("hardware", $0.note, source: "cost model")] } ?? []),
      result: "N = \(Format.si(nOpt)), D = \(Format.si(dOpt))",
      source: "Sardana et al. 2024 (arXiv 2401.00448) §2–3"))
  return LifetimePlan(
    targetLoss: targetLoss, inferenceTokens: inferenceTokens,
    objective: cost == nil ? "flops" : "cost", optimal: optimal, chinchillaOptimal: chinchilla,
    savingFLOPs: saving, savingFLOPsFraction: saving / chinchilla.totalFLOPs,
    savingCostUSD: savingCost, savingCostFraction: savingCostFraction, costNote: cost?.note,
    explanation: ex)
}
