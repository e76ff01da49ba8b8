// One entry point for faces that speak JSON (the seed-claims notebook, the web calculator): a use
// case's name and its request's JSON in, the result's JSON out, the same JSON `--json` prints.

import Foundation
import Planner

/// One named use case: decodes its request, answers it, encodes the result.
struct UseCaseEntry: Sendable {
  let name: String
  let answer: @Sendable (Engine, Data, _ explain: Bool) throws -> Data
}

/// A registry entry for a result that carries an explanation (dropped unless asked for).
private func entry<Request: Decodable, Result: Encodable & Explained>(
  _ name: String, _ method: @escaping @Sendable (Engine, Request) throws -> Result
) -> UseCaseEntry {
  UseCaseEntry(name: name) { engine, data, explain in
    let result = try method(engine, try decodeRequest(Request.self, data, name))
    return try encodeResult(explain ? result : result.withoutExplanation())
  }
}

/// A registry entry for a result without an explanation (catalog look-ups).
private func entry<Request: Decodable, Result: Encodable>(
  _ name: String, _ method: @escaping @Sendable (Engine, Request) throws -> Result
) -> UseCaseEntry {
  UseCaseEntry(name: name) { engine, data, _ in
    try encodeResult(try method(engine, try decodeRequest(Request.self, data, name)))
  }
}

/// The request type from JSON, or one sentence saying what is wrong with it.
private func decodeRequest<T: Decodable>(_ type: T.Type, _ data: Data, _ name: String) throws -> T {
  do {
    return try JSONDecoder().decode(T.self, from: data)
  } catch let error as DecodingError {
    throw RequestError.invalid(Engine.sentence(for: error, useCase: name))
  }
}

/// The result's JSON (sorted keys, as `--json`); a non-finite number is refused, never encoded.
private func encodeResult<T: Encodable>(_ value: T) throws -> Data {
  do {
    return try Engine.jsonEncoder().encode(value)
  } catch is EncodingError {
    throw RequestError.invalid(
      "The answer holds a number that is not finite; bring the request's inputs closer to the "
        + "catalog's.")
  }
}

extension Engine {
  /// The largest request body `answer` reads (64 KiB: the largest request is a few hundred bytes).
  public static let maxRequestBytes = 65_536

  /// Every use case `answer` knows, by name.
  static let registry: [UseCaseEntry] = [
    entry("plan") { (e: Engine, r: PlanRequest) in try e.plan(r) },
    entry("plan-inference-aware") { (e: Engine, r: PlanRequest) in try e.inferenceAwarePlan(r) },
    entry("plan-frontier") { (e: Engine, r: PlanFrontierRequest) in try e.planFrontier(r) },
    entry("loss") { (e: Engine, r: LossRequest) in try e.loss(r) },
    entry("cost-train") { (e: Engine, r: CostTrainRequest) in try e.costTrain(r) },
    entry("cost-infer") { (e: Engine, r: CostInferRequest) in try e.costInfer(r) },
    entry("cost-finetune") { (e: Engine, r: CostFinetuneRequest) in try e.costFinetune(r) },
    entry("project") { (e: Engine, r: ProjectRequest) in try e.project(r) },
    entry("runway") { (e: Engine, r: RunwayRequest) in try e.runway(r) },
    entry("catalog-list") { (e: Engine, r: CatalogListRequest) in try e.catalogList(r) },
    entry("catalog-show") { (e: Engine, r: CatalogShowRequest) in try e.catalogShow(r) },
    entry("catalog-validate") { (e: Engine, r: CatalogValidateRequest) in
      try e.catalogValidate(r)
    },
  ]

  /// The names `answer(useCase:request:)` accepts, in registry order.
  public static var useCaseNames: [String] { registry.map(\.name) }

  /// The encoder of every result: sorted keys and pretty printing, so the output is byte-stable
  /// and equals `--json`.
  public static func jsonEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return encoder
  }

  /// Answers the use case `useCase` (`project`, `runway`, …; see `useCaseNames`) for the JSON of
  /// its request, returning the JSON of its result, the same JSON its command's `--json` prints
  /// (the explanation only when `explain`).
  /// - Throws: `RequestError.invalid` with one sentence for an unknown use case, a request that is
  ///   too large or is not that use case's JSON; otherwise whatever the use case throws.
  public func answer(useCase: String, request: Data, explain: Bool = false) throws -> Data {
    guard let entry = Self.registry.first(where: { $0.name == useCase }) else {
      throw RequestError.invalid(
        "Unknown use case '\(Self.clip(useCase))'; use one of "
          + Self.useCaseNames.joined(separator: ", ") + ".")
    }
    guard request.count <= Self.maxRequestBytes else {
      throw RequestError.invalid(
        "The request for '\(useCase)' is \(request.count) bytes; a request is at most "
          + "\(Self.maxRequestBytes) bytes.")
    }
    return try entry.answer(self, request, explain)
  }

  /// One sentence for a request that does not decode.
  static func sentence(for error: DecodingError, useCase: String) -> String {
    func path(_ context: DecodingError.Context) -> String {
      let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
      return keys.isEmpty ? "the request" : "'\(keys.joined(separator: "."))'"
    }
    switch error {
    case .dataCorrupted(let context) where context.codingPath.isEmpty:
      return "The request for '\(useCase)' is not JSON; send an object such as {\"year\": 2030}."
    case .dataCorrupted(let context):
      return "The request for '\(useCase)' has an unreadable value at \(path(context))."
    case .keyNotFound(let key, _):
      return "The request for '\(useCase)' lacks the field '\(key.stringValue)'."
    case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
      return "The request for '\(useCase)' needs \(describe(type)) at \(path(context))."
    @unknown default:
      return "The request for '\(useCase)' is not that use case's JSON."
    }
  }

  /// "a number", "a string", … for a type the decoder expected.
  private static func describe(_ type: Any.Type) -> String {
    switch type {
    case is Double.Type, is Int.Type, is UInt64.Type, is Float.Type: return "a number"
    case is String.Type: return "a string"
    case is Bool.Type: return "true or false"
    default: return "an object of that use case's fields"
    }
  }

  /// A user's text cut to 60 characters with control characters escaped, for echoing.
  static func clip(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars.prefix(60) {
      out += scalar.properties.generalCategory == .control
        ? scalar.escaped(asASCII: true) : String(scalar)
    }
    return text.unicodeScalars.count > 60 ? out + "…" : out
  }
}
