// Loaders for data/quantization.csv (published quality of quantized models) and
// data/inference.csv (default serving and fine-tuning assumptions with their sources).
// Both go through CSVTable, so a broken user file is reported as "file:line:column: reason".

import Foundation
import Planner

/// One row of data/inference.csv: a default assumption and where it comes from.
public struct InferenceDefault: Sendable, Equatable, Codable {
  public var quantity: String
  public var value: Double
  public var unit: String
  public var tag: String
  public var source: String
  public var notes: String
}

/// The inference-related catalog files.
public enum InferenceCatalog {
  public static let quantizationFile = "quantization.csv"
  public static let defaultsFile = "inference.csv"

  /// Reads data/quantization.csv.
  ///
  /// - Throws: `CatalogError` for a missing file or column, or a malformed cell.
  public static func quantization(files: CatalogFiles) throws -> [QuantizationMeasurement] {
    let t = try files.table(quantizationFile)
    return try t.rows.map { r in
      let params = try t.number(r, "params")
      guard params > 0 else { throw t.error(r, "params", "params must be greater than zero.") }
      let bits = try t.number(r, "bits")
      guard bits > 0, bits <= 32 else {
        throw t.error(r, "bits", "bits must be greater than 0 and at most 32.")
      }
      return QuantizationMeasurement(
        model: try t.string(r, "model"), params: params, method: try t.string(r, "method"),
        bits: bits, metric: try t.string(r, "metric"), dataset: try t.string(r, "dataset"),
        value: try t.number(r, "value"), paper: try t.string(r, "paper"),
        table: try t.string(r, "table"), date: try t.string(r, "date"),
        source: [try t.string(r, "tag"), try t.string(r, "source")]
          .filter { !$0.isEmpty }.joined(separator: "; "))
    }
  }

  /// Reads data/inference.csv.
  ///
  /// - Throws: `CatalogError` for a missing file or column, or a malformed cell.
  public static func defaults(files: CatalogFiles) throws -> [InferenceDefault] {
    let t = try files.table(defaultsFile)
    return try t.rows.map { r in
      InferenceDefault(
        quantity: try t.string(r, "quantity"), value: try t.number(r, "value"),
        unit: try t.string(r, "unit"), tag: try t.string(r, "tag"),
        source: try t.string(r, "source"), notes: try t.string(r, "notes"))
    }
  }

  /// The value of a default quantity, or `fallback` when the file lacks the row.
  public static func value(_ quantity: String, in rows: [InferenceDefault], fallback: Double)
    -> Double
  {
    rows.first { $0.quantity == quantity }?.value ?? fallback
  }

  /// Serving assumptions from data/inference.csv.
  ///
  /// Missing rows fall back to `InferenceAssumptions.standard`; PUE, power and price are left to
  /// the energy and price catalogs.
  public static func assumptions(from rows: [InferenceDefault]) -> InferenceAssumptions {
    let s = InferenceAssumptions.standard
    return InferenceAssumptions(
      bandwidthEfficiency: value("bandwidth_efficiency", in: rows, fallback: s.bandwidthEfficiency),
      prefillMFU: value("prefill_mfu", in: rows, fallback: s.prefillMFU),
      decodeMFU: value("decode_mfu", in: rows, fallback: s.decodeMFU),
      memoryOverheadFraction: value(
        "memory_overhead", in: rows, fallback: s.memoryOverheadFraction),
      utilisation: value("utilisation", in: rows, fallback: s.utilisation),
      pue: s.pue, kvBits: value("kv_bits", in: rows, fallback: s.kvBits))
  }
}
