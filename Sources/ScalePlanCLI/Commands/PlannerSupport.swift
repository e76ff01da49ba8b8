// Shared pieces of `plan`, `loss` and `cost train`: law registry, accelerator and model lookup,
// quantity parsing. Accelerator/model lookup is a temporary stub (figures from FACTS §A, §B)
// until the catalog helper's `Catalog` type lands on main; swap `CatalogBridge` for it then.

import ArgumentParser
import Catalog
import Foundation
import Planner

/// The law used when `--law` is not given, and why.
enum DefaultLaw {
  static let id = "epoch2024"
  static let why =
    "epoch2024 is the default: the best-supported fit (refit with standard errors, agrees with "
    + "Hoffmann's approaches 1 and 2); hoffmann2022 reproduces the paper's printed numbers."
}

/// Errors of CLI lookups; one sentence each.
enum LookupError: Error, CustomStringConvertible {
  case unknownAccelerator(String, known: [String])
  case unknownModel(String, known: [String])
  case noPrice(String)
  case noPeak(String, String)
  case modelWithoutTokens(String)

  var description: String {
    switch self {
    case .unknownAccelerator(let id, let known):
      return "Unknown accelerator '\(id)'; try one of: \(known.joined(separator: ", "))."
    case .unknownModel(let id, let known):
      return "Unknown model '\(id)'; try one of: \(known.joined(separator: ", "))."
    case .noPrice(let id):
      return "The catalog has no price for '\(id)'; pass --price in US$ per accelerator-hour."
    case .noPeak(let id, let precision):
      return "The catalog has no \(precision) peak for '\(id)'; choose another --precision."
    case .modelWithoutTokens(let id):
      return "Model '\(id)' has no known training-token count; give its size as --vs N:D instead."
    }
  }
}

/// Catalog access for the planner commands.
enum CatalogBridge {
  /// The laws registry (data/laws.csv or a `--catalog` override).
  static func laws(_ options: CatalogOptions) throws -> LawRegistry {
    try LawCatalog.registry(options.files())
  }

  // Temporary stub rows (FACTS §A1/§A2), replaced by the accelerator catalog once it lands.
  static let stubAccelerators: [Accelerator] = [
    Accelerator(
      id: "v100", name: "NVIDIA V100 SXM2 32GB", vendor: "NVIDIA", release: "2017",
      memoryGB: 32, bandwidthTBps: 0.90, peakTFLOPS: [.fp16: 125], tdpWatts: 300,
      priceUSDPerHour: 1.50, priceDate: "2020-06",
      priceSource: "Lambda V100 on-demand, reconstructed from its GPT-3 estimate [U] (FACTS §A2)",
      source: "NVIDIA V100 datasheet (FACTS §A1)"),
    Accelerator(
      id: "a100-80gb", name: "NVIDIA A100 SXM 80GB", vendor: "NVIDIA", release: "2020-11",
      memoryGB: 80, bandwidthTBps: 2.039, peakTFLOPS: [.bf16: 312, .tf32: 156, .fp32: 19.5],
      tdpWatts: 400, priceUSDPerHour: 1.49, priceDate: "early 2026",
      priceSource: "tier-2 clouds $1.49–2.49 on-demand, low end (pricegpu blog, FACTS §A2)",
      source: "NVIDIA A100 datasheet via Lockwood (FACTS §A1)"),
    Accelerator(
      id: "h100", name: "NVIDIA H100 SXM", vendor: "NVIDIA", release: "2022", memoryGB: 80,
      bandwidthTBps: 3.35, peakTFLOPS: [.bf16: 989.4, .fp8: 1978.9, .tf32: 494.7, .fp32: 66.9],
      tdpWatts: 700, priceUSDPerHour: 2.49, priceDate: "2025–26",
      priceSource: "Lambda H100 on-demand (computespec, FACTS §A2)",
      source: "NVIDIA H100 product page via Lockwood (FACTS §A1)"),
  ]

  static let stubModels: [NotableModel] = [
    NotableModel(
      id: "gpt3", name: "GPT-3", organisation: "OpenAI", date: "2020-05", params: 175e9,
      activeParams: 175e9, tokens: 300e9, trainingFLOPs: 3.14e23, layers: 96, dModel: 12288,
      heads: 96, kvHeads: 96, vocab: 50257, context: 2048,
      source: "Brown et al. 2020 Table D.1 [R] (FACTS §B)"),
    NotableModel(
      id: "chinchilla", name: "Chinchilla", organisation: "DeepMind", date: "2022-03",
      params: 70e9, activeParams: 70e9, tokens: 1.4e12, trainingFLOPs: 5.76e23, layers: nil,
      dModel: nil, heads: nil, kvHeads: nil, vocab: nil, context: nil,
      source: "Hoffmann et al. 2022 [R] (FACTS §B)"),
    NotableModel(
      id: "gopher", name: "Gopher", organisation: "DeepMind", date: "2021-12", params: 280e9,
      activeParams: 280e9, tokens: 300e9, trainingFLOPs: 5.04e23, layers: nil, dModel: nil,
      heads: nil, kvHeads: nil, vocab: nil, context: nil,
      source: "Rae et al. 2021 (FACTS §B)"),
  ]

  /// An accelerator by catalog id (case-insensitive).
  static func accelerator(_ id: String, _ options: CatalogOptions) throws -> Accelerator {
    let key = id.lowercased()
    guard let a = stubAccelerators.first(where: { $0.id == key }) else {
      throw LookupError.unknownAccelerator(id, known: stubAccelerators.map(\.id))
    }
    return a
  }

  /// A notable model by catalog id (case-insensitive).
  static func model(_ id: String, _ options: CatalogOptions) throws -> NotableModel {
    let key = id.lowercased()
    guard let m = stubModels.first(where: { $0.id == key }) else {
      throw LookupError.unknownModel(id, known: stubModels.map(\.id))
    }
    return m
  }
}

/// Parses an optional positive quantity flag (`70B`, `1.4T`, `3e23`).
func positiveQuantity(_ text: String?, _ name: String) throws -> Double? {
  guard let text else { return nil }
  return try Quantity.parsePositive(text, name: name)
}

/// Dense peak FLOP/s of an accelerator at a precision.
func peak(_ a: Accelerator, _ precision: Precision) throws -> Double {
  guard let p = a.peakFLOPS(precision) else {
    throw LookupError.noPeak(a.id, precision.rawValue)
  }
  return p
}

/// The precision whose peak `peak(_:_:)` actually uses (bf16 falls back to fp16 and back).
func effectivePrecision(_ a: Accelerator, _ precision: Precision) -> Precision {
  if a.peakTFLOPS[precision] != nil { return precision }
  switch precision {
  case .bf16 where a.peakTFLOPS[.fp16] != nil: return .fp16
  case .fp16 where a.peakTFLOPS[.bf16] != nil: return .bf16
  default: return precision
  }
}

extension Precision: ExpressibleByArgument {}
