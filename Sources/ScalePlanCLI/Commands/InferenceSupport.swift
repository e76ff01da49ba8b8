// Shared pieces of `cost infer`, `cost finetune` and inference-aware `plan`: a JSON value with
// explicit nulls (so absent figures print as null, not vanish), quantity parsing for options,
// model/accelerator resolution from the catalog and the energy defaults.

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

/// Energy defaults from energy.csv (PUE, server overhead, average draw), each with its source;
/// falls back to PUE 1.1 and TDP alone when the energy catalog cannot be read.
struct EnergyDefaults {
  var pue: Double
  var pueSource: String
  var powerFactor: Double
  var powerSource: String

  init(catalog: Catalog?) {
    if let c = catalog, let p = try? c.energyDefault("pue"),
      let s = try? c.energyDefault("server_overhead_factor"),
      let d = try? c.energyDefault("average_draw_factor")
    {
      pue = p.value
      pueSource = "energy.csv default (\(p.variant))"
      powerFactor = s.value * d.value
      powerSource =
        "TDP × server overhead \(Format.number(s.value)) × average draw \(Format.number(d.value))"
        + " (energy.csv defaults)"
    } else {
      pue = InferenceAssumptions.standard.pue
      pueSource = "built-in default (Patterson et al. 2021)"
      powerFactor = 1
      powerSource = "TDP"
    }
  }
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

  /// The model shape; catalog figures are overridden by any explicit flag.
  func shape(catalog: () throws -> Catalog) throws -> (ModelShape, String?) {
    var base: NotableModel?
    if let id = model { base = try catalog().model(id) }
    guard let total = try parseQuantity(params, "--params") ?? base?.params else {
      throw ValidationError("Give --model ID or --params N (e.g. --params 175B).")
    }
    let active =
      try parseQuantity(activeParams, "--active-params")
      ?? base.map { $0.activeParams == $0.params ? total : $0.activeParams }
    let shape = try ModelShape(
      params: total, activeParams: active,
      layers: try parseCount(layers, "--layers") ?? base?.layers,
      dModel: try parseCount(dModel, "--d-model") ?? base?.dModel,
      heads: try parseCount(heads, "--heads") ?? base?.heads,
      kvHeads: try parseCount(kvHeads, "--kv-heads") ?? base?.kvHeads,
      name: base?.name)
    return (shape, base?.id)
  }
}

/// Dollars for display: SI-suffixed from one cent up, significant digits below (no exponent).
func usd(_ value: Double) -> String {
  if abs(value) >= 0.01 || value == 0 { return Format.dollars(value) }
  return "$" + Format.significant(value, digits: 3)
}

/// Bytes for display: GB (1e9) from 1 GB up, MB below.
func bytesText(_ bytes: Double) -> String {
  bytes >= 1e9 || bytes == 0 ? "\(Format.si(bytes / 1e9)) GB" : "\(Format.si(bytes / 1e6)) MB"
}
