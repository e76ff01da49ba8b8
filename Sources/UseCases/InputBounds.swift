// Upper bounds on the numbers a request may carry, checked where a request enters the layer (its
// `validate()`), so the CLI, the notebooks and the web server refuse the same inputs with the same
// sentence. Each bound is far beyond anything built or published, so no real question is refused,
// and each keeps every derived figure a finite Double and every count a plain Int.

import Planner

/// A named upper bound on an input, with the reason it sits where it does.
public struct InputBound: Sendable, Equatable {
  /// The largest accepted value.
  public var limit: Double
  /// Why the bound is where it is (shown in the error).
  public var reason: String

  /// A bound or value as the error shows it: a whole number below 1e9 as digits, else
  /// scientific.
  static func show(_ v: Double) -> String {
    if v.isFinite, abs(v) < 1e9, v == v.rounded() { return String(Int(v)) }
    return v.isFinite ? Format.scientific(v) : Format.number(v)
  }

  /// Checks `0 < value ≤ limit` (finite), naming `flag` in the error.
  /// - Throws: `RequestError.invalid` with the allowed range and the reason.
  public func check(_ value: Double, _ flag: String) throws {
    guard value.isFinite, value > 0 else {
      throw RequestError.invalid(QuantityError.notPositive(name: flag, value: value).description)
    }
    guard value <= limit else {
      throw RequestError.invalid(
        "\(flag) must be at most \(Self.show(limit)) (\(reason)); got \(Self.show(value)).")
    }
  }

  /// Checks a whole count `1 ≤ value ≤ limit`, naming `flag` in the error.
  /// - Throws: `RequestError.invalid` with the allowed range and the reason.
  public func check(_ value: Int, _ flag: String) throws {
    guard value >= 1 else {
      throw RequestError.invalid("\(flag) must be a positive whole number, got \(value).")
    }
    guard Double(value) <= limit else {
      throw RequestError.invalid(
        "\(flag) must be at most \(Self.show(limit)) (\(reason)); got \(value).")
    }
  }
}

/// The bounds every use case shares.
public enum InputBounds {
  /// Parameters: 1e15, over 1,000× DeepSeek-V3's 671B total parameters (DeepSeek-AI 2024,
  /// data/models.csv), the largest published count in the catalog.
  public static let params = InputBound(
    limit: 1e15, reason: "over 1,000× the 671B parameters of DeepSeek-V3, DeepSeek-AI 2024")
  /// Tokens: 1e17, 100× the upper end (1,000T tokens) of the 90% interval for the stock of
  /// public human text (Villalobos et al. 2024).
  public static let tokens = InputBound(
    limit: 1e17,
    reason: "100× the 1,000T-token upper bound on all public human text, Villalobos et al. 2024")
  /// Training compute: 1e35 FLOP, about 10^9 × Llama 3.1 405B's 3.8e25 FLOP (Dubey et al. 2024),
  /// among the largest runs with a published count.
  public static let flops = InputBound(
    limit: 1e35, reason: "about 10^9 × the 3.8e25 FLOP of Llama 3.1 405B, Dubey et al. 2024")
  /// A budget in US dollars: 1e15, about ten times the world's yearly output (gross world
  /// product ≈ $105T in 2023, World Bank).
  public static let dollars = InputBound(
    limit: 1e15, reason: "about ten times the world's yearly GDP of ~$105T, World Bank 2023")
  /// A price per accelerator-hour: $10,000, over 1,000× the on-demand prices in data/prices.csv.
  public static let pricePerHour = InputBound(
    limit: 1e4, reason: "over 1,000× the on-demand prices in data/prices.csv")
  /// Power per accelerator: 1e5 W, 100× a B200's 1 kW board power (data/accelerators.csv).
  public static let watts = InputBound(
    limit: 1e5, reason: "100× the ~1 kW of a B200 in data/accelerators.csv")
  /// Accelerators in one job: 1e8, far beyond any cluster built (the largest published runs used
  /// 16,384 H100s; Dubey et al. 2024).
  public static let accelerators = InputBound(
    limit: 1e8, reason: "far beyond the 16,384 H100s of Llama 3.1 405B's run, Dubey et al. 2024")
  /// Wall-clock days of a cluster window (`plan --days`): 36,525, a century, far beyond any
  /// training run; it keeps G × peak × MFU × seconds finite for every accepted cluster.
  public static let days = InputBound(
    limit: 36_525, reason: "a century, far beyond any training run")
  /// Wall-clock hours of a cluster window (`plan --hours`): the same century in hours.
  public static let hours = InputBound(
    limit: 36_525 * 24, reason: "a century, far beyond any training run")
  /// A target or predicted loss in nats per token: 100, far above the ~11.8 nats of guessing
  /// uniformly over a 128K-token vocabulary (ln 128,000).
  public static let loss = InputBound(
    limit: 100, reason: "far above the ~11.8 nats of uniform guessing over a 128K vocabulary")
  /// Tokens served over a model's life: 1e20, 100× a billion users reading 1,000 tokens a day
  /// for 300 years (a sanity bound, not a forecast).
  public static let servedTokens = InputBound(
    limit: 1e20, reason: "a sanity bound 100× beyond a billion users for centuries")
  /// Tokens in one prompt or completion: 2^27, the longest context the architecture accepts
  /// (`TransformerArchitecture.maxContext`).
  public static let sequenceTokens = InputBound(
    limit: Double(TransformerArchitecture.maxContext),
    reason: "the longest context scaleplan models, 2^27 tokens")
  /// Sequences in one batch: 2^20.
  public static let batch = InputBound(
    limit: Double(1 << 20), reason: "2^20 sequences, far beyond any serving or training batch")
  /// Queries per year: 1e15, about 300 queries a day for every person alive (8e9).
  public static let queriesPerYear = InputBound(
    limit: 1e15, reason: "about 300 queries a day for each of 8 billion people")
  /// US dollars per query: $1,000.
  public static let usdPerQuery = InputBound(limit: 1e3, reason: "a sanity bound")
  /// LoRA rank: 2^20, the widest d_model accepted (`TransformerArchitecture.maxWidth`).
  public static let rank = InputBound(
    limit: Double(TransformerArchitecture.maxWidth), reason: "the widest d_model accepted")
}

/// Checks that every `Double` in a result is finite, before a face shows it.
///
/// Bounded inputs keep answers finite, but a combination of extreme inputs can still overflow
/// (a tiny MFU with a huge model); then the answer is refused with a sentence naming the inputs
/// to change rather than shown as inf or nan.
/// - Parameters:
///   - result: the result to check.
///   - inputs: the flags that drive its size, for the sentence.
/// - Throws: `RequestError.invalid` naming the first non-finite field and `inputs`.
public func requireFinite<T>(_ result: T, inputs: String) throws -> T {
  if let path = firstNonFinite(result, path: "") {
    throw RequestError.invalid(
      "The answer's \(path.isEmpty ? "value" : path) is not a finite number for these inputs; "
        + "use smaller values of \(inputs).")
  }
  return result
}

/// The path of the first non-finite `Double` reachable from `value`, or nil.
func firstNonFinite(_ value: Any, path: String) -> String? {
  if let d = value as? Double { return d.isFinite ? nil : path }
  if let f = value as? Float { return f.isFinite ? nil : path }
  let mirror = Mirror(reflecting: value)
  if mirror.displayStyle == .optional {
    return mirror.children.first.flatMap { firstNonFinite($0.value, path: path) }
  }
  for (i, child) in mirror.children.enumerated() {
    // Explanations hold text only; skip them (they can be large).
    if child.label == "explanation" { continue }
    let name = child.label ?? "[\(i)]"
    let next = path.isEmpty ? name : (child.label == nil ? path + name : path + "." + name)
    if let found = firstNonFinite(child.value, path: next) { return found }
  }
  return nil
}
