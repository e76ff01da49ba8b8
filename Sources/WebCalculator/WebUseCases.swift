// The use cases the web calculator answers, by the names of its API paths. A temporary table
// until the engine's own dispatcher (`Engine.answer`) covers them all; the JSON in and out is the
// use-case layer's, the same as `--json`.

import Foundation
import UseCases

/// Decodes a request, answers it with the engine, encodes the result.
enum WebUseCases {
  /// An API path that names no use case.
  struct Unknown: Error, CustomStringConvertible {
    var name: String
    var description: String {
      "No use case '\(clip(name))'; use one of \(WebUseCases.names.joined(separator: ", "))."
    }
  }

  typealias Answer = @Sendable (Engine, Data, Bool) throws -> Data

  static func entry<Request: Decodable & Sendable, Result: Encodable & Explained & Sendable>(
    _ method: @escaping @Sendable (Engine, Request) throws -> Result
  ) -> Answer {
    { engine, data, explain in
      let request = try decode(Request.self, data)
      let result = try method(engine, request)
      return try encode(explain ? result : result.withoutExplanation())
    }
  }

  static let table: [(String, Answer)] = [
    ("plan", entry { (e: Engine, r: PlanRequest) in try e.plan(r) }),
    ("plan-inference-aware", entry { (e: Engine, r: PlanRequest) in try e.inferenceAwarePlan(r) }),
    ("plan-frontier", entry { (e: Engine, r: PlanFrontierRequest) in try e.planFrontier(r) }),
    ("loss", entry { (e: Engine, r: LossRequest) in try e.loss(r) }),
    ("cost-train", entry { (e: Engine, r: CostTrainRequest) in try e.costTrain(r) }),
    ("cost-infer", entry { (e: Engine, r: CostInferRequest) in try e.costInfer(r) }),
    ("cost-finetune", entry { (e: Engine, r: CostFinetuneRequest) in try e.costFinetune(r) }),
  ]

  static var names: [String] { table.map(\.0) }

  static func answer(_ engine: Engine, useCase: String, request: Data, explain: Bool) throws -> Data {
    guard let answer = table.first(where: { $0.0 == useCase })?.1 else {
      throw Unknown(name: useCase)
    }
    return try answer(engine, request, explain)
  }

  static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
    do {
      return try JSONDecoder().decode(T.self, from: data)
    } catch let error as DecodingError {
      throw RequestError.invalid(sentence(for: error))
    }
  }

  static func encode<T: Encodable>(_ value: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    do {
      return try encoder.encode(value)
    } catch {
      throw RequestError.invalid("The answer holds a number that is not finite; use smaller inputs.")
    }
  }

  static func sentence(for error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
      return keys.isEmpty ? "the request" : "'\(clip(keys.joined(separator: ".")))'"
    }
    switch error {
    case .dataCorrupted(let context) where context.codingPath.isEmpty:
      return "The request is not a JSON object."
    case .dataCorrupted(let context):
      return "The request has an unreadable value at \(path(context))."
    case .keyNotFound(let key, _):
      return "The request lacks the field '\(clip(key.stringValue))'."
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "The request has a value of the wrong type at \(path(context))."
    @unknown default:
      return "The request is not that use case's JSON."
    }
  }
}
