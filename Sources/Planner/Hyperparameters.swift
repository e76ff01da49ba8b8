// The run's peak learning rate and batch size from its compute budget, by the power laws of
// DeepSeek LLM (DeepSeek-AI, Bi et al. 2024, arXiv 2401.02954, §3.1, formula 1):
//   η_opt = 0.3118 · C^−0.1250,   B_opt = 0.2920 · C^0.3271   (B in tokens, C in FLOPs).
// The fits were made on compute budgets from 1e17 to 2e19 FLOPs (§3.1: "compute budgets ranging
// from 1e17 to 2e19") and checked at 1e20 (§3.1, Figure 2(b)); outside 1e17–2e19 the answer is an
// extrapolation and says so. DeepSeek counts compute as C = M·D with M the non-embedding FLOPs
// per token (§3.2); the planner's C = 6·N·D is fed in as it is, which at large scale differs from
// M·D by the attention term (§3.2, Table 3: 6N₁/M = 0.85–0.92 from 6.4B non-embedding parameters).

import Foundation

/// DeepSeek LLM's hyperparameter power laws and the compute range they were fitted on.
public enum DeepSeekHyperparameters {
  /// Coefficient of η_opt = 0.3118 · C^−0.1250 (DeepSeek-AI 2024 §3.1, formula 1).
  public static let learningRateCoefficient = 0.3118
  /// Exponent of C in η_opt (DeepSeek-AI 2024 §3.1, formula 1).
  public static let learningRateExponent = -0.1250
  /// Coefficient of B_opt = 0.2920 · C^0.3271, B in tokens (DeepSeek-AI 2024 §3.1, formula 1).
  public static let batchCoefficient = 0.2920
  /// Exponent of C in B_opt (DeepSeek-AI 2024 §3.1, formula 1).
  public static let batchExponent = 0.3271
  /// The compute budgets the fits were made on: 1e17 to 2e19 FLOPs (DeepSeek-AI 2024 §3.1).
  public static let fittedRange: ClosedRange<Double> = 1e17...2e19
  /// Where the formulas and the range come from, for explanations and notes.
  public static let source =
    "DeepSeek-AI (Bi et al.) 2024, DeepSeek LLM (arXiv 2401.02954) §3.1, formula 1; fitted on "
    + "compute budgets from 1e17 to 2e19 FLOPs, checked at 1e20 (Figure 2(b))"
  /// The same, short enough for a table note.
  public static let shortSource = "DeepSeek LLM, Bi et al. 2024 §3.1"

  /// η_opt = 0.3118 · C^−0.1250 for `flops` FLOPs.
  public static func learningRate(flops: Double) -> Double {
    learningRateCoefficient * pow(flops, learningRateExponent)
  }

  /// B_opt = 0.2920 · C^0.3271 tokens for `flops` FLOPs.
  public static func batchTokens(flops: Double) -> Double {
    batchCoefficient * pow(flops, batchExponent)
  }
}

/// A run's peak learning rate and batch size for its compute, with where they come from.
public struct RunHyperparameters: Sendable, Codable, Equatable {
  /// The compute they were computed for, in FLOPs.
  public var computeFLOPs: Double
  /// Peak learning rate η_opt.
  public var learningRate: Double
  /// Batch size in tokens B_opt.
  public var batchTokens: Double
  /// The compute range the formulas were fitted on, [low, high] FLOPs.
  public var fittedRange: [Double]
  /// True when `computeFLOPs` lies inside `fittedRange`.
  public var withinFittedRange: Bool
  /// The formulas' source.
  public var source: String
  /// The two explained steps (η_opt, B_opt).
  public var steps: [ExplainedStep]

  enum CodingKeys: String, CodingKey {
    case source
    case computeFLOPs = "compute_flops"
    case learningRate = "learning_rate"
    case batchTokens = "batch_tokens"
    case fittedRange = "fitted_range"
    case withinFittedRange = "within_fitted_range"
  }

  /// Decodes what `encode(to:)` wrote (the steps travel in the row's explanation, not here).
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    computeFLOPs = try c.decode(Double.self, forKey: .computeFLOPs)
    learningRate = try c.decode(Double.self, forKey: .learningRate)
    batchTokens = try c.decode(Double.self, forKey: .batchTokens)
    fittedRange = try c.decode([Double].self, forKey: .fittedRange)
    withinFittedRange = try c.decode(Bool.self, forKey: .withinFittedRange)
    source = try c.decode(String.self, forKey: .source)
    steps = []
  }

  /// Encodes the figures and the source; the steps are in the explanation.
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(computeFLOPs, forKey: .computeFLOPs)
    try c.encode(learningRate, forKey: .learningRate)
    try c.encode(batchTokens, forKey: .batchTokens)
    try c.encode(fittedRange, forKey: .fittedRange)
    try c.encode(withinFittedRange, forKey: .withinFittedRange)
    try c.encode(source, forKey: .source)
  }

  /// The hyperparameters for `flops` (DeepSeek-AI 2024 §3.1, formula 1).
  public init(flops: Double) {
    let range = DeepSeekHyperparameters.fittedRange
    computeFLOPs = flops
    learningRate = DeepSeekHyperparameters.learningRate(flops: flops)
    batchTokens = DeepSeekHyperparameters.batchTokens(flops: flops)
    fittedRange = [range.lowerBound, range.upperBound]
    withinFittedRange = range.contains(flops)
    source = DeepSeekHyperparameters.source
    let c = ExplainedInput("C", Format.scientific(flops) + " FLOPs", source: "planned compute")
    steps = [
      ExplainedStep(
        quantity: "peak learning rate η_opt", formula: "η_opt = 0.3118 · C^−0.1250",
        inputs: [c], result: Format.significant(learningRate, digits: 3),
        source: DeepSeekHyperparameters.source),
      ExplainedStep(
        quantity: "batch size B_opt", formula: "B_opt = 0.2920 · C^0.3271 (tokens)",
        inputs: [c], result: Format.si(batchTokens) + " tokens",
        source: DeepSeekHyperparameters.source),
    ]
  }

  /// The warning for a compute outside the fitted range, or nil inside it.
  public var rangeWarning: String? {
    guard !withinFittedRange else { return nil }
    return "The learning rate and batch size extrapolate DeepSeek LLM's fits (Bi et al. 2024 "
      + "§3.1), made on compute budgets from \(Format.scientific(fittedRange[0])) to "
      + "\(Format.scientific(fittedRange[1])) FLOPs, to \(Format.scientific(computeFLOPs)) FLOPs; "
      + "treat them as a starting point for a sweep."
  }
}
