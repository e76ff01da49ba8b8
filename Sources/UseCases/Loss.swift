// `loss`: the predicted loss of (N, D) pairs and catalog models under one law or every law that
// predicts a loss (Hoffmann et al. 2022 eq. 2 for parametric laws, Kaplan et al. 2020 eq. 1.5;
// Planner/ScalingLaw.swift).

import Catalog
import Foundation
import Planner

/// A model to score given by its size: parameters N and training tokens D.
public struct LossCandidate: Codable, Sendable, Equatable {
  /// How the row names it (for `--vs`, the text as typed); nil names it `N:D` in SI units.
  public var name: String?
  /// Parameters N.
  public var params: Double
  /// Training tokens D.
  public var tokens: Double

  /// Creates a candidate.
  public init(name: String? = nil, params: Double, tokens: Double) {
    self.name = name
    self.params = params
    self.tokens = tokens
  }
}

/// The inputs of `loss`: a model by size (`params` with `tokens`), more by size (`vs`), catalog
/// models by id (`models`), and the law or all laws.
public struct LossRequest: Codable, Sendable, Equatable {
  /// Parameters of the model to score (`--params`); needs `tokens`.
  public var params: Double?
  /// Training tokens of the model to score (`--tokens`); needs `params`.
  public var tokens: Double?
  /// Other models as N:D (`--vs`).
  public var vs: [LossCandidate]
  /// Catalog model ids from data/models.csv (`--model`).
  public var models: [String]
  /// Law id or alias (`--law`); nil means `DefaultLaw.id`.
  public var law: String?
  /// Score under every law that predicts a loss (`--all-laws`).
  public var allLaws: Bool

  /// Creates a request.
  public init(
    params: Double? = nil, tokens: Double? = nil, vs: [LossCandidate] = [], models: [String] = [],
    law: String? = nil, allLaws: Bool = false
  ) {
    self.params = params
    self.tokens = tokens
    self.vs = vs
    self.models = models
    self.law = law
    self.allLaws = allLaws
  }

  /// Checks every field and combination.
  /// - Throws: `RequestError.invalid` with one sentence naming the flag.
  public func validate() throws {
    if (params == nil) != (tokens == nil) {
      throw RequestError.invalid(
        "Give --params and --tokens together (e.g. --params 70B --tokens 1.4T).")
    }
    if params == nil && vs.isEmpty && models.isEmpty {
      throw RequestError.invalid(
        "Give a model to score: --params N --tokens D, --vs N:D or --model ID.")
    }
    if law != nil && allLaws {
      throw RequestError.invalid("Give either --law or --all-laws, not both.")
    }
    var checks: [(Double, String)] = []
    if let params { checks.append((params, "--params")) }
    if let tokens { checks.append((tokens, "--tokens")) }
    for c in vs { checks += [(c.params, "--vs parameters"), (c.tokens, "--vs tokens")] }
    for (value, flag) in checks {
      try (flag.hasSuffix("tokens") ? InputBounds.tokens : InputBounds.params).check(value, flag)
    }
  }

  enum CodingKeys: String, CodingKey {
    case params, tokens, vs, models, law
    case allLaws = "all_laws"
  }

  /// Decodes a request in which any key may be missing.
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      params: try c.decodeIfPresent(Double.self, forKey: .params),
      tokens: try c.decodeIfPresent(Double.self, forKey: .tokens),
      vs: try c.decodeIfPresent([LossCandidate].self, forKey: .vs) ?? [],
      models: try c.decodeIfPresent([String].self, forKey: .models) ?? [],
      law: try c.decodeIfPresent(String.self, forKey: .law),
      allLaws: try c.decodeIfPresent(Bool.self, forKey: .allLaws) ?? false)
  }
}

/// A model as scored: its name, N, D and D/N.
public struct LossModel: Codable, Sendable, Equatable {
  /// `N:D`, the `--vs` text, or the catalog id.
  public var name: String
  /// Parameters N.
  public var params: Double
  /// Training tokens D.
  public var tokens: Double
  /// D/N.
  public var tokensPerParam: Double

  /// Creates a model; D/N is derived.
  public init(name: String, params: Double, tokens: Double) {
    self.name = name
    self.params = params
    self.tokens = tokens
    tokensPerParam = tokens / params
  }
}

/// One model's predicted loss under one law.
public struct LossRow: Codable, Sendable, Equatable {
  /// Law id.
  public var law: String
  /// The model's name: `N:D`, the `--vs` text, or the catalog id.
  public var model: String
  /// Parameters N.
  public var params: Double
  /// Training tokens D.
  public var tokens: Double
  /// D/N.
  public var tokensPerParam: Double
  /// Predicted loss in nats/token.
  public var loss: Double
  /// The step that derives `loss`.
  public var explanation: Explanation?

  enum CodingKeys: String, CodingKey {
    case law, model, params, tokens, loss, explanation
    case tokensPerParam = "tokens_per_param"
  }
}

/// The answer to a `LossRequest`.
///
/// JSON (the `--json` of `loss`): one row's object when there is one row, else the array of
/// rows (law by law, models in request order).
public struct LossResult: Codable, Sendable, Explained {
  /// One row per law and model, law by law.
  public var rows: [LossRow]
  /// The laws scored under, in order (the table's columns).
  public var laws: [String]
  /// The models scored, in order (the table's rows).
  public var models: [LossModel]
  /// With one law: "id — citation" for the table header.
  public var lawHeader: String?
  /// Why the law was used when the request named none (`DefaultLaw.why`).
  public var defaultLaw: String?
  /// The line under the table.
  public var note: String
  /// Anything the user should know about the answer.
  public var warnings: [String]

  /// Every row's step, in row order. Setting nil removes them; setting steps gives step i to
  /// row i.
  public var explanation: Explanation? {
    get {
      guard rows.contains(where: { $0.explanation != nil }) else { return nil }
      return Explanation(rows.flatMap { $0.explanation?.steps ?? [] })
    }
    set {
      for i in rows.indices {
        let step = newValue.flatMap { i < $0.steps.count ? $0.steps[i] : nil }
        rows[i].explanation = step.map { Explanation([$0]) }
      }
    }
  }

  /// The loss of `models[model]` under `laws[law]` (rows are law by law), if scored.
  public func loss(law: Int, model: Int) -> Double? {
    let k = law * models.count + model
    return model < models.count && rows.indices.contains(k) ? rows[k].loss : nil
  }

  /// Creates a result.
  public init(
    rows: [LossRow], laws: [String], models: [LossModel], lawHeader: String? = nil,
    defaultLaw: String? = nil, note: String = LossResult.defaultNote, warnings: [String] = []
  ) {
    self.rows = rows
    self.laws = laws
    self.models = models
    self.lawHeader = lawHeader
    self.defaultLaw = defaultLaw
    self.note = note
    self.warnings = warnings
  }

  /// The line under every loss table.
  public static let defaultNote =
    "Loss in nats/token on each law's own data (kaplan2020: WebText2, N non-embedding); "
    + "compare models within a column."

  /// Encodes as `loss --json` prints: one row's object, or the array of rows.
  public func encode(to encoder: Encoder) throws {
    if rows.count == 1 {
      try rows[0].encode(to: encoder)
    } else {
      var list = encoder.unkeyedContainer()
      for r in rows { try list.encode(r) }
    }
  }

  /// Decodes what `encode(to:)` wrote (the laws and models are read off the rows).
  public init(from decoder: Decoder) throws {
    let rows: [LossRow]
    if let list = try? [LossRow](from: decoder) {
      rows = list
    } else {
      rows = [try LossRow(from: decoder)]
    }
    var laws: [String] = []
    for r in rows where !laws.contains(r.law) { laws.append(r.law) }
    let models = rows.filter { $0.law == laws.first }.map {
      LossModel(name: $0.model, params: $0.params, tokens: $0.tokens)
    }
    self.init(rows: rows, laws: laws, models: models)
  }
}

extension Engine {
  /// Scores every model of `request` under its law (or every law that predicts a loss).
  ///
  /// - Throws: `RequestError` for an invalid request, an unknown model or one without a token
  ///   count; `LawError.noLossPrediction` when the one law asked predicts no loss.
  public func loss(_ request: LossRequest) throws -> LossResult {
    try requireFinite(lossUnchecked(request), inputs: "--params or --tokens")
  }

  func lossUnchecked(_ request: LossRequest) throws -> LossResult {
    try request.validate()
    var candidates: [LossCandidate] = []
    if let n = request.params, let d = request.tokens {
      candidates.append(LossCandidate(name: "\(Format.si(n)):\(Format.si(d))", params: n, tokens: d))
    }
    for c in request.vs {
      candidates.append(
        LossCandidate(
          name: c.name ?? "\(Format.si(c.params)):\(Format.si(c.tokens))", params: c.params,
          tokens: c.tokens))
    }
    if !request.models.isEmpty {
      let cat = try catalog()
      for id in request.models {
        let m = try cat.model(id)
        guard let d = m.tokens else { throw RequestError.modelWithoutTokens(m.id) }
        candidates.append(LossCandidate(name: m.id, params: m.params, tokens: d))
      }
    }
    let registry = try laws(named: request.law)
    let presets: [LawPreset]
    if request.allLaws {
      presets = registry.withLoss
    } else {
      let p = try registry.law(named: request.law ?? DefaultLaw.id)
      guard p.law.predictsLoss else { throw LawError.noLossPrediction(law: p.id) }
      presets = [p]
    }
    var rows: [LossRow] = []
    for p in presets {
      for c in candidates {
        let name = c.name ?? ""
        let l = p.law.loss(params: c.params, tokens: c.tokens) ?? .nan
        let step = ExplainedStep(
          quantity: "loss of \(name) under \(p.id)", formula: lossFormula(p.law),
          inputs: [
            ExplainedInput("N", Format.si(c.params), source: "input"),
            ExplainedInput("D", Format.si(c.tokens), source: "input"),
          ] + lawInputs(p), result: Format.fixed(l, decimals: 3) + " nats/token",
          source: p.citation)
        rows.append(
          LossRow(
            law: p.id, model: name, params: c.params, tokens: c.tokens,
            tokensPerParam: c.tokens / c.params, loss: l, explanation: Explanation([step])))
      }
    }
    let single = request.allLaws ? nil : presets.first
    return LossResult(
      rows: rows, laws: presets.map(\.id),
      models: candidates.map { LossModel(name: $0.name ?? "", params: $0.params, tokens: $0.tokens) },
      lawHeader: single.map { "\($0.id) — \($0.citation)" },
      defaultLaw: single != nil && request.law == nil ? DefaultLaw.why : nil)
  }
}
