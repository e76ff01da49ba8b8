// Scaling laws the planner can use, behind one enum:
//  • parametric — L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, eq. 2), closed-form optimum.
//  • kaplan — L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D (Kaplan et al. 2020, eq. 1.5; N counts
//    non-embedding parameters) with its compute-optimal allocation N ∝ C^0.73 (§6.1).
//  • allocation — only N*(C) = N₀·(C/C₀)^a (Hoffmann approaches 1 and 2, Llama 3); no loss.
// Every allocation keeps C = 6·N·D (Kaplan Table 1; Hoffmann §2), so D* = C/(6·N*).

import Fitting
import Foundation

/// A compute-optimal allocation N* ∝ C^a anchored at one published point (N₀ at C₀).
public struct AllocationLaw: Sendable, Codable, Equatable {
  /// Exponent a of N* ∝ C^a; tokens then scale as C^(1−a).
  public var paramsExponent: Double
  /// Compute (FLOPs) of the anchor point.
  public var anchorFLOPs: Double
  /// Optimal parameters at the anchor compute.
  public var anchorParams: Double

  /// Creates an allocation from its exponent and an anchor point (N₀ parameters at C₀ FLOPs).
  public init(paramsExponent: Double, anchorFLOPs: Double, anchorParams: Double) {
    self.paramsExponent = paramsExponent
    self.anchorFLOPs = anchorFLOPs
    self.anchorParams = anchorParams
  }

  /// Creates an allocation from a token-count fit D* = k·C^b (Llama 3 style), using N = C/(6D).
  public init(tokensCoefficient k: Double, tokensExponent b: Double) {
    // At C = 1 FLOP, D = k and N = 1/(6k); N* ∝ C^(1−b).
    self.init(paramsExponent: 1 - b, anchorFLOPs: 1, anchorParams: 1 / (6 * k))
  }

  /// Exponent b of D* ∝ C^b (= 1 − a under C = 6ND).
  public var tokensExponent: Double { 1 - paramsExponent }

  /// Compute-optimal parameters and tokens for `flops`.
  public func computeOptimal(flops: Double) -> (params: Double, tokens: Double) {
    let n = anchorParams * pow(flops / anchorFLOPs, paramsExponent)
    return (n, flops / (6 * n))
  }

  /// The compute whose optimal model has `params` parameters.
  public func flops(forOptimalParams params: Double) -> Double {
    anchorFLOPs * pow(params / anchorParams, 1 / paramsExponent)
  }

  /// The compute whose optimal token count is `tokens`:
  /// D = C/(6·N₀·(C/C₀)^a) ⇒ C^(1−a) = 6·D·N₀·C₀^(−a).
  public func flops(forOptimalTokens tokens: Double) -> Double {
    let a = paramsExponent
    return exp((log(6 * tokens * anchorParams) - a * log(anchorFLOPs)) / (1 - a))
  }
}

/// Kaplan et al 2020's joint law L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D (eq 1.5) and its
/// compute-optimal allocation.
///
/// N is non-embedding parameters; loss is nats/token on WebText2.
public struct KaplanLaw: Sendable, Codable, Equatable {
  public var alphaN: Double
  public var Nc: Double
  public var alphaD: Double
  public var Dc: Double
  /// N ∝ C^0.73 anchored at a published point (§6.1; anchor documented in data/laws.csv).
  public var allocation: AllocationLaw

  /// Creates the law from its four constants and an allocation.
  public init(alphaN: Double, Nc: Double, alphaD: Double, Dc: Double, allocation: AllocationLaw) {
    self.alphaN = alphaN
    self.Nc = Nc
    self.alphaD = alphaD
    self.Dc = Dc
    self.allocation = allocation
  }

  /// Predicted loss; `tokens: .infinity` gives L(N) = (N_c/N)^α_N (eq 1.1).
  public func loss(params: Double, tokens: Double) -> Double {
    pow(pow(Nc / params, alphaN / alphaD) + Dc / tokens, alphaD)
  }
}

/// One of the supported law shapes.
public enum ScalingLaw: Sendable, Codable, Equatable {
  case parametric(ParametricLaw)
  case kaplan(KaplanLaw)
  case allocation(AllocationLaw)

  /// Predicted loss in nats/token, or nil for allocation-only laws.
  public func loss(params: Double, tokens: Double) -> Double? {
    switch self {
    case .parametric(let law): return law.loss(params: params, tokens: tokens)
    case .kaplan(let law): return law.loss(params: params, tokens: tokens)
    case .allocation: return nil
    }
  }

  /// True when the law predicts a loss (not an allocation-only fit).
  public var predictsLoss: Bool {
    if case .allocation = self { return false }
    return true
  }

  /// Exponent a of N* ∝ C^a.
  public var paramsExponent: Double {
    switch self {
    case .parametric(let law): return law.paramsExponent
    case .kaplan(let law): return law.allocation.paramsExponent
    case .allocation(let law): return law.paramsExponent
    }
  }

  /// Compute-optimal (N*, D*) for a compute budget in FLOPs.
  public func computeOptimal(flops: Double) -> (params: Double, tokens: Double) {
    switch self {
    case .parametric(let law): return law.computeOptimal(flops: flops)
    case .kaplan(let law): return law.allocation.computeOptimal(flops: flops)
    case .allocation(let law): return law.computeOptimal(flops: flops)
    }
  }

  /// The compute budget whose optimal model has `params` parameters.
  public func flops(forOptimalParams params: Double) -> Double {
    switch self {
    case .parametric(let law): return law.flops(forOptimalParams: params)
    case .kaplan(let law): return law.allocation.flops(forOptimalParams: params)
    case .allocation(let law): return law.flops(forOptimalParams: params)
    }
  }

  /// The compute budget whose optimal token count is `tokens`.
  public func flops(forOptimalTokens tokens: Double) -> Double {
    switch self {
    case .parametric(let law): return law.flops(forOptimalTokens: tokens)
    case .kaplan(let law): return law.allocation.flops(forOptimalTokens: tokens)
    case .allocation(let law): return law.flops(forOptimalTokens: tokens)
    }
  }

  /// Least compute whose compute-optimal model reaches `targetLoss`.
  ///
  /// Parametric: closed form. Kaplan: bisection on log C along its allocation (loss falls
  /// monotonically with C there). Returns nil when the law has no loss or cannot reach the target.
  public func minimumFLOPs(forLoss targetLoss: Double) -> Double? {
    switch self {
    case .parametric(let law): return law.minimumFLOPs(forLoss: targetLoss)
    case .allocation: return nil
    case .kaplan(let law):
      guard targetLoss > 0, targetLoss.isFinite else { return nil }
      func lossAt(_ logC: Double) -> Double {
        let (n, d) = law.allocation.computeOptimal(flops: exp(logC))
        return law.loss(params: n, tokens: d)
      }
      var lo = log(1e10), hi = log(1e40)
      guard lossAt(lo) > targetLoss, lossAt(hi) < targetLoss else { return nil }
      for _ in 0..<200 {
        let mid = (lo + hi) / 2
        if lossAt(mid) > targetLoss { lo = mid } else { hi = mid }
      }
      return exp((lo + hi) / 2)
    }
  }
}

/// Where a published law comes from.
public struct LawProvenance: Sendable, Codable, Equatable {
  /// Paper (authors, title, arXiv id).
  public var paper: String
  /// Table, equation or section inside the paper.
  public var location: String
  /// Publication date (YYYY-MM or YYYY-MM-DD).
  public var date: String
  /// Where the numbers were taken from (paper and section, repository, or a data/ file).
  public var source: String
  /// Caveats: units, what N counts, how an anchor was chosen.
  public var notes: String

  public init(paper: String, location: String, date: String, source: String, notes: String) {
    self.paper = paper
    self.location = location
    self.date = date
    self.source = source
    self.notes = notes
  }
}

/// A named law with aliases, provenance and optional uncertainty.
public struct LawPreset: Sendable, Codable, Equatable {
  /// Name typed on the command line, for example `hoffmann2022`.
  public var id: String
  /// Other accepted names, for example `chinchilla`.
  public var aliases: [String]
  public var law: ScalingLaw
  public var provenance: LawProvenance
  public var uncertainty: ParametricUncertainty?

  public init(
    id: String, aliases: [String] = [], law: ScalingLaw, provenance: LawProvenance,
    uncertainty: ParametricUncertainty? = nil
  ) {
    self.id = id
    self.aliases = aliases
    self.law = law
    self.provenance = provenance
    self.uncertainty = uncertainty
  }

  /// A one-line citation: paper, location, date.
  public var citation: String {
    "\(provenance.paper), \(provenance.location) (\(provenance.date))"
  }
}

/// Errors from law lookup and law-based planning; each reads as one sentence.
public enum LawError: Error, CustomStringConvertible, Equatable {
  case unknownLaw(String, known: [String])
  case noLossPrediction(law: String)
  case unreachableLoss(law: String, target: Double, floor: Double?)
  case duplicateLaw(String)

  public var description: String {
    switch self {
    case .unknownLaw(let name, let known):
      return "Unknown law '\(name)'; try one of: \(known.joined(separator: ", "))."
    case .noLossPrediction(let law):
      return
        "Law '\(law)' is an allocation-only fit (exponents of N* and D*) and predicts no loss; "
        + "choose a law with a loss such as hoffmann2022, epoch2024 or kaplan2020."
    case .unreachableLoss(let law, let target, let floor):
      if let floor {
        return "Target loss \(Format.number(target)) is not above the irreducible loss "
          + "E = \(Format.number(floor)) of law '\(law)'; choose a target above E."
      }
      return "Target loss \(Format.number(target)) cannot be reached under law '\(law)' for any "
        + "compute between 1e10 and 1e40 FLOPs; choose a different target."
    case .duplicateLaw(let name):
      return "Law name '\(name)' is defined twice; give each law a distinct id and aliases."
    }
  }
}

/// Looks laws up by name: published presets first, then an extra source (for example fitted laws
/// saved by `scaleplan fit`).
///
/// Names and aliases are matched case-insensitively; an extra law whose name collides with a preset
/// is rejected so that a preset name always means one thing.
public struct LawRegistry: Sendable {
  /// Published presets, in catalog order.
  public let presets: [LawPreset]
  /// Laws from another source (fitted laws), in the order given.
  public let extra: [LawPreset]

  /// Creates a registry.
  /// - Throws: `LawError.duplicateLaw` if two laws share a name or alias.
  public init(presets: [LawPreset], extra: [LawPreset] = []) throws {
    var seen = Set<String>()
    for p in presets + extra {
      for name in [p.id] + p.aliases {
        let key = name.lowercased()
        guard !seen.contains(key) else { throw LawError.duplicateLaw(name) }
        seen.insert(key)
      }
    }
    self.presets = presets
    self.extra = extra
  }

  /// Every law, presets first.
  public var all: [LawPreset] { presets + extra }

  /// Laws that predict a loss (for `--all-laws` loss comparisons).
  public var withLoss: [LawPreset] { all.filter { $0.law.predictsLoss } }

  /// Known names (ids, with aliases in parentheses) for error messages.
  public var knownNames: [String] {
    all.map { $0.aliases.isEmpty ? $0.id : "\($0.id) (\($0.aliases.joined(separator: ", ")))" }
  }

  /// The law with this id or alias.
  /// - Throws: `LawError.unknownLaw` listing the known laws.
  public func law(named name: String) throws -> LawPreset {
    let key = name.trimmingCharacters(in: .whitespaces).lowercased()
    if let p = all.first(where: {
      $0.id.lowercased() == key || $0.aliases.contains { $0.lowercased() == key }
    }) {
      return p
    }
    throw LawError.unknownLaw(name, known: knownNames)
  }
}
