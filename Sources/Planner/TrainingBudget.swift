// The compute a dollar budget buys: the inverse of the cost direction in TrainingCost.swift.
// There, accelerator-hours H = C / (peak × MFU × 3600) and dollars $ = H × price; here
// H = $ / price and C = H × 3600 × peak × MFU, so C = $ / price × 3600 × peak × MFU. MFU (model
// FLOPs utilisation) is the fraction of peak a run sustains on the model's 6·N·D FLOPs, as the
// PaLM paper defines it (Chowdhery et al. 2022 App. B). Costing the bought compute with
// `estimateTrainingCost` gives the budget back (to rounding).

import Foundation

/// The training compute a dollar budget buys on one setup, with its explanation step.
public struct BudgetCompute: Sendable, Codable, Equatable {
  /// The budget in US$.
  public var dollars: Double
  /// Accelerator-hours the budget buys: $ / price.
  public var acceleratorHours: Double
  /// Training compute in FLOPs: $ / price × 3600 × peak × MFU.
  public var flops: Double
  /// The step `--explain` prints for the conversion.
  public var step: ExplainedStep
}

/// Errors turning a budget into compute; each is one sentence.
public enum TrainingBudgetError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The setup has no price per accelerator-hour.
  case noPrice(accelerator: String)

  /// One sentence.
  public var description: String {
    switch self {
    case .noPrice(let name):
      return "No price per hour is known for '\(name)'; give --price in US$ per accelerator-hour."
    }
  }
}

/// The compute `dollars` buys on `setup`: C = $ / price × 3600 × peak × MFU.
///
/// - Parameters:
///   - dollars: the budget in US$ (`--budget`).
///   - setup: accelerator peak, MFU and price; `setup.priceSource` is cited for the price.
///   - mfuSource: where the MFU comes from (a flag or the default's sources), for the step.
/// - Throws: `QuantityError` for a non-positive budget or setup value,
///   `TrainingBudgetError.noPrice` when the setup has no price.
public func computeForBudget(
  dollars: Double, setup: TrainingSetup, mfuSource: String = "--mfu or default"
) throws -> BudgetCompute {
  try requirePositive(dollars, "--budget")
  try setup.validate()
  guard let price = setup.pricePerHour else {
    throw TrainingBudgetError.noPrice(accelerator: setup.acceleratorName)
  }
  let flops = dollars / price * 3600 * setup.sustainedFLOPS
  let step = ExplainedStep(
    quantity: "compute bought by the budget", formula: "C = $ / price × 3600 × peak × MFU",
    inputs: [
      ExplainedInput("$", Format.dollars(dollars), source: "--budget"),
      ExplainedInput("price", Format.dollars(price) + "/h", source: setup.priceSource),
      ExplainedInput(
        "peak", Format.number(setup.peakFLOPS / 1e12) + " TFLOP/s", source: setup.acceleratorName),
      ExplainedInput("MFU", Format.number(setup.mfu), source: mfuSource),
    ], result: Format.scientific(flops) + " FLOPs",
    source: "inverse of H = C / (peak × MFU × 3600) and $ = H × price; MFU as defined by "
      + "Chowdhery et al. 2022 (PaLM) App. B")
  return BudgetCompute(
    dollars: dollars, acceleratorHours: dollars / price, flops: flops, step: step)
}

/// A cluster window: how many accelerators for how long, and the compute or days it stands for.
public struct ClusterWindowCompute: Sendable, Codable, Equatable {
  /// Accelerators in the cluster (`--gpus`).
  public var accelerators: Int
  /// Wall-clock days of the window.
  public var days: Double
  /// Accelerator-hours: accelerators × days × 24.
  public var acceleratorHours: Double
  /// Training compute in FLOPs the window holds: accelerators × peak × MFU × seconds.
  public var flops: Double
  /// The step `--explain` prints.
  public var step: ExplainedStep
}

/// The compute a cluster window holds: C = G × peak × MFU × seconds (the cost direction of
/// TrainingCost.swift, H = C / (peak × MFU × 3600) with H = G × hours, solved for C).
///
/// - Parameters:
///   - accelerators: cluster size G (`--gpus`).
///   - hours: wall-clock hours of the window (`--hours`, or `--days` × 24).
///   - setup: accelerator peak at the training precision and MFU.
///   - timeSource: the flag the time came from, for the step.
///   - mfuSource: where the MFU comes from, for the step.
/// - Throws: `QuantityError` for a non-positive count, time or setup value.
public func computeForWindow(
  accelerators: Int, hours: Double, setup: TrainingSetup, timeSource: String = "--days",
  mfuSource: String = "--mfu or default"
) throws -> ClusterWindowCompute {
  try requirePositive(Double(accelerators), "--gpus")
  try requirePositive(hours, timeSource)
  try setup.validate()
  let seconds = hours * 3600
  let flops = Double(accelerators) * setup.sustainedFLOPS * seconds
  let step = ExplainedStep(
    quantity: "compute the cluster window holds", formula: "C = G × peak × MFU × T",
    inputs: [
      ExplainedInput("G", "\(accelerators)", source: "--gpus"),
      ExplainedInput(
        "peak", Format.number(setup.peakFLOPS / 1e12) + " TFLOP/s", source: setup.acceleratorName),
      ExplainedInput("MFU", Format.number(setup.mfu), source: mfuSource),
      ExplainedInput("T", Format.significant(seconds) + " s", source: timeSource),
    ], result: Format.scientific(flops) + " FLOPs",
    source: "inverse of H = C / (peak × MFU × 3600) with H = G × hours; MFU as defined by "
      + "Chowdhery et al. 2022 (PaLM) App. B")
  return ClusterWindowCompute(
    accelerators: accelerators, days: hours / 24, acceleratorHours: Double(accelerators) * hours,
    flops: flops, step: step)
}

/// The window a dollar budget buys on `accelerators` chips: T = $ / (G × price) / 24 days, and
/// the same compute as `computeForBudget`.
///
/// - Throws: `QuantityError` for a non-positive budget, count or setup value;
///   `TrainingBudgetError.noPrice` when the setup has no price.
public func windowForBudget(
  dollars: Double, accelerators: Int, setup: TrainingSetup, mfuSource: String = "--mfu or default"
) throws -> ClusterWindowCompute {
  try requirePositive(dollars, "--budget")
  try requirePositive(Double(accelerators), "--gpus")
  try setup.validate()
  guard let price = setup.pricePerHour else {
    throw TrainingBudgetError.noPrice(accelerator: setup.acceleratorName)
  }
  let hours = dollars / (Double(accelerators) * price)
  let step = ExplainedStep(
    quantity: "days the budget buys", formula: "T = $ / (G × price) / 24",
    inputs: [
      ExplainedInput("$", Format.dollars(dollars), source: "--budget"),
      ExplainedInput("G", "\(accelerators)", source: "--gpus"),
      ExplainedInput("price", Format.dollars(price) + "/h", source: setup.priceSource),
    ], result: Format.significant(hours / 24) + " days",
    source: "$ = H × price with H = G × hours (definition)")
  return ClusterWindowCompute(
    accelerators: accelerators, days: hours / 24, acceleratorHours: Double(accelerators) * hours,
    flops: dollars / price * 3600 * setup.sustainedFLOPS, step: step)
}
