// Shared pieces of `cost infer`, `cost finetune` and inference-aware `plan`: a JSON value with
// explicit nulls (so absent figures print as null, not vanish), quantity parsing for options,
// and the model flags, parsed into the use-case layer's `CostModelSpec`.

import ArgumentParser
import Catalog
import UseCases
import Foundation
import Planner

/// A JSON value built explicitly, encoded with sorted keys by `JSONOutput`.
enum JSONValue: Encodable {
  case number(Double)
  case string(String)
  case bool(Bool)
  case null
  case array([JSONValue])
  case object([String: JSONValue])

  static func num(_ v: Double?) -> JSONValue { v.map { .number($0) } ?? .null }
  static func int(_ v: Int?) -> JSONValue { v.map { .number(Double($0)) } ?? .null }
  static func str(_ v: String?) -> JSONValue { v.map { .string($0) } ?? .null }

  func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .number(let v): try c.encode(v)
    case .string(let v): try c.encode(v)
    case .bool(let v): try c.encode(v)
    case .null: try c.encodeNil()
    case .array(let v): try c.encode(v)
    case .object(let v): try c.encode(v)
    }
  }
}

/// Parses an optional numeric option (suffixes allowed) into a Double.
func parseQuantity(_ text: String?, _ name: String) throws -> Double? {
  guard let text else { return nil }
  return try Quantity.parse(text, name: name).value
}

/// Parses an optional whole-number option such as `--batch 32` or `--layers 80`.
func parseCount(_ text: String?, _ name: String) throws -> Int? {
  guard let v = try parseQuantity(text, name) else { return nil }
  guard v == v.rounded(), abs(v) < 1e15 else {
    throw QuantityError.outOfRange(name: name, value: v, range: "a whole number")
  }
  return Int(v)
}

/// Options naming a model: a catalog id or a parameter count with optional architecture.
struct ModelOptions: ParsableArguments {
  @Option(name: .long, help: "A catalog model id, e.g. llama2-70b, gpt3.")
  var model: String?
  @Option(name: .long, help: "Total parameters, e.g. 175B (instead of --model).")
  var params: String?
  @Option(name: .long, help: "Parameters active per token (MoE); defaults to --params.")
  var activeParams: String?
  @Option(name: .long, help: "Transformer layers (for the KV cache and attention FLOPs).")
  var layers: String?
  @Option(name: .customLong("d-model"), help: "Model width d_model.")
  var dModel: String?
  @Option(name: .long, help: "Attention heads.")
  var heads: String?
  @Option(name: .customLong("kv-heads"), help: "Key/value heads (grouped-query attention).")
  var kvHeads: String?

  /// The model part of a request: flags parsed, nothing looked up or defaulted.
  func spec(ffn: Int? = nil, gated: Bool = false) throws -> CostModelSpec {
    CostModelSpec(
      model: model, params: try parseQuantity(params, "--params"),
      activeParams: try parseQuantity(activeParams, "--active-params"),
      architecture: ArchitectureSpec(
        layers: try parseCount(layers, "--layers"), dModel: try parseCount(dModel, "--d-model"),
        heads: try parseCount(heads, "--heads"), kvHeads: try parseCount(kvHeads, "--kv-heads"),
        ffn: ffn, gated: gated))
  }

  /// True when neither --model nor --params was given.
  var isEmpty: Bool { model == nil && params == nil }

}

