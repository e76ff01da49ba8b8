// Training cost from a FLOP count (C ≈ 6ND, Kaplan et al. 2020 Table 1; MFU as defined by
// Chowdhery et al. 2022, PaLM, App. B):
//   accelerator-hours H = C / (peak × MFU × 3600); wall-clock = H / K for a cluster of K chips;
//   dollars = H × price per chip-hour; energy = H × chip watts × server overhead × PUE
//   (method of Patterson et al. 2021); CO2 = energy × grid intensity.
// Memory: mixed-precision Adam keeps 16 bytes per parameter (2 weights + 2 gradients + 4 fp32
// master + 4 + 4 Adam moments; ZeRO accounting, Rajbhandari et al. 2020 [U]) plus activations.

import Foundation

/// Documented defaults for training-cost estimates; every one can be overridden.
public enum TrainingDefaults {
  /// Model FLOPs utilisation 0.40: Llama 3.1 405B reported 38–43% on H100, PaLM 46.2%,
  /// GPT-4 32–36% [E], practitioner range 30–50% (Dubey et al. 2024, Llama 3; Chowdhery et al.
  /// 2022, PaLM, Table 3).
  public static let mfu = 0.40
  public static let mfuSource =
    "Llama 3.1 405B 38–43% on H100 (Dubey et al. 2024), PaLM 46.2% (Chowdhery et al. 2022 "
    + "Table 3), GPT-4 32–36% [E]; typical 30–50%"
  /// The same, short enough for a table note.
  public static let mfuShortSource = "Chowdhery et al. 2022 Table 3; Dubey et al. 2024"
  /// Server overhead over chip TDP: DGX H100 draws 10.2 kW per 8 GPUs = 1,275 W per GPU at rated
  /// load, average ≈ 0.7 of rated (Epoch AI, 'How much energy does ChatGPT use' spreadsheet, 2025), over a 700 W TDP:
  /// 1,275 × 0.7 / 700 = 1.275.
  public static let serverOverhead = 1.275
  public static let serverOverheadSource =
    "DGX H100 1,275 W/GPU rated × 0.7 average draw / 700 W TDP (Epoch AI 2025; data/energy.csv)"
  /// PUE 1.2: AI data centres 1.1–1.3 (SemiAnalysis via Epoch), the value Epoch pairs with the
  /// 1,275 W × 0.7 server figures above (same as data/energy.csv's default).
  ///
  /// Hyperscale runs report 1.08–1.12 (Patterson et al 2021); industry average 1.58 (Uptime
  /// Institute 2023).
  public static let pue = 1.20
  public static let pueSource =
    "AI data centres 1.1–1.3, Epoch AI's 1.2 (data/energy.csv); GPT-3 1.10 (Patterson et al. 2021 "
    + "Table 4), industry 1.58 (Uptime 2023)"
  /// US average grid intensity 0.366 kg CO2/kWh: EIA, 2023 utility-scale generation,
  /// 1,532 Mt CO2 / 4,183 TWh (0.81 lb/kWh).
  public static let gridKgCO2PerKWh = 0.366
  public static let gridSource =
    "EIA FAQ 'How much CO2 per kWh of US electricity generation', 2023: 1,532 Mt / 4,183 TWh"
  /// Bytes per parameter for weights, gradients and Adam states in mixed precision.
  public static let bytesPerParamAdamMixed = 16.0
  public static let bytesPerParamSource =
    "mixed-precision Adam: 2 (bf16 weights) + 2 (grads) + 4 (fp32 master) + 8 (moments); "
    + "ZeRO (Rajbhandari et al. 2020) [U]"
}

/// The hardware and prices a training run is costed on.
public struct TrainingSetup: Sendable, Equatable {
  /// Accelerator name for display.
  public var acceleratorName: String
  /// Dense peak FLOP/s of one accelerator at the training precision.
  public var peakFLOPS: Double
  /// Model FLOPs utilisation in (0, 1].
  public var mfu: Double
  /// US$ per accelerator-hour, if known.
  public var pricePerHour: Double?
  /// Where the price comes from (flag, or catalog row with its date), for `--explain`.
  public var priceSource = "--price or catalog"
  /// Chip power in watts (TDP or measured), if known.
  public var chipWatts: Double?
  /// Multiplier from chip power to server power (CPU, network, fans; average draw).
  public var serverOverhead: Double
  public var pue: Double
  public var gridKgCO2PerKWh: Double
  /// Cluster size for wall-clock time, if given.
  public var clusterSize: Int?
  /// Memory per accelerator in bytes, if known.
  public var memoryBytesPerAccelerator: Double?

  /// Creates a setup; defaults from `TrainingDefaults`.
  public init(
    acceleratorName: String, peakFLOPS: Double, mfu: Double = TrainingDefaults.mfu,
    pricePerHour: Double? = nil, chipWatts: Double? = nil,
    serverOverhead: Double = TrainingDefaults.serverOverhead, pue: Double = TrainingDefaults.pue,
    gridKgCO2PerKWh: Double = TrainingDefaults.gridKgCO2PerKWh, clusterSize: Int? = nil,
    memoryBytesPerAccelerator: Double? = nil
  ) {
    self.acceleratorName = acceleratorName
    self.peakFLOPS = peakFLOPS
    self.mfu = mfu
    self.pricePerHour = pricePerHour
    self.chipWatts = chipWatts
    self.serverOverhead = serverOverhead
    self.pue = pue
    self.gridKgCO2PerKWh = gridKgCO2PerKWh
    self.clusterSize = clusterSize
    self.memoryBytesPerAccelerator = memoryBytesPerAccelerator
  }

  /// Checks every user-settable number.
  /// - Throws: `QuantityError` naming the flag.
  public func validate() throws {
    try requirePositive(peakFLOPS, "accelerator peak FLOP/s")
    try requirePositive(mfu, "--mfu")
    try requireRange(mfu, "--mfu", 0, 1)
    if let p = pricePerHour { try requirePositive(p, "--price") }
    if let w = chipWatts { try requirePositive(w, "--watts") }
    try requirePositive(serverOverhead, "--server-overhead")
    try requireRange(pue, "--pue", 1, 10)
    try requireRange(gridKgCO2PerKWh, "--grid", 0, 10)
    if let k = clusterSize { try requirePositive(Double(k), "--gpus") }
  }

  /// Sustained FLOP/s of one accelerator: peak × MFU.
  public var sustainedFLOPS: Double { peakFLOPS * mfu }
}

/// Memory a training run needs, in bytes.
public struct TrainingMemory: Sendable, Codable, Equatable {
  /// Weights + gradients + optimizer states.
  public var stateBytes: Double
  /// Activations for one sequence (nil when no architecture was given).
  public var activationBytes: Double?
  public var totalBytes: Double { stateBytes + (activationBytes ?? 0) }

  /// Mixed-precision Adam (16 bytes per parameter; MoE: total parameters, every expert is stored)
  /// plus optional activations.
  public static func adamMixedPrecision(totalParams: Double, activationBytes: Double? = nil)
    -> TrainingMemory
  {
    TrainingMemory(
      stateBytes: TrainingDefaults.bytesPerParamAdamMixed * totalParams,
      activationBytes: activationBytes)
  }
}

/// A training-cost estimate.
///
/// Optional fields are nil when an input (price, power, memory) is unknown.
public struct TrainingCostEstimate: Sendable, Codable, Equatable {
  public var flops: Double
  public var acceleratorHours: Double
  public var wallClockDays: Double?
  public var costUSD: Double?
  public var energyKWh: Double?
  public var co2Kg: Double?
  public var memoryBytes: Double?
  public var minAccelerators: Int?
  public var explanation: Explanation
}

/// Costs a training run of `flops` on `setup`.
/// - Throws: `QuantityError` for non-positive or out-of-range inputs.
public func estimateTrainingCost(
  flops: Double, setup: TrainingSetup, memory: TrainingMemory? = nil
) throws -> TrainingCostEstimate {
  try requirePositive(flops, "training compute")
  try setup.validate()
  var ex = Explanation()
  let hours = flops / (setup.sustainedFLOPS * 3600)
  ex.add(
    ExplainedStep(
      quantity: "accelerator-hours", formula: "H = C / (peak × MFU × 3600)",
      inputs: [
        ExplainedInput("C", Format.scientific(flops) + " FLOPs", source: "input"),
        ExplainedInput(
          "peak", Format.number(setup.peakFLOPS / 1e12) + " TFLOP/s",
          source: setup.acceleratorName),
        ExplainedInput("MFU", Format.number(setup.mfu), source: "--mfu or default"),
      ], result: Format.si(hours) + " h", source: "definition of MFU (Chowdhery et al. 2022, PaLM, App. B)"))
  var estimate = TrainingCostEstimate(
    flops: flops, acceleratorHours: hours, wallClockDays: nil, costUSD: nil, energyKWh: nil,
    co2Kg: nil, memoryBytes: nil, minAccelerators: nil, explanation: ex)
  if let k = setup.clusterSize {
    let days = hours / Double(k) / 24
    estimate.wallClockDays = days
    estimate.explanation.add(
      ExplainedStep(
        quantity: "wall-clock", formula: "T = H / K / 24",
        inputs: [ExplainedInput("K", "\(k)", source: "--gpus")],
        result: Format.significant(days) + " days",
        source: "definition (assumes MFU holds at this scale)"))
  }
  if let price = setup.pricePerHour {
    let dollars = hours * price
    estimate.costUSD = dollars
    estimate.explanation.add(
      ExplainedStep(
        quantity: "cost", formula: "$ = H × price",
        inputs: [
          ExplainedInput("price", Format.dollars(price) + "/h", source: setup.priceSource)
        ],
        result: Format.dollars(dollars), source: "definition"))
  }
  if let watts = setup.chipWatts {
    let kwh = hours * watts / 1000 * setup.serverOverhead * setup.pue
    estimate.energyKWh = kwh
    estimate.co2Kg = kwh * setup.gridKgCO2PerKWh
    estimate.explanation.add(
      ExplainedStep(
        quantity: "energy", formula: "E = H × W × overhead × PUE",
        inputs: [
          ExplainedInput("W", Format.number(watts) + " W", source: "--watts or catalog TDP"),
          ExplainedInput(
            "overhead", Format.number(setup.serverOverhead),
            source: TrainingDefaults.serverOverheadSource),
          ExplainedInput("PUE", Format.number(setup.pue), source: TrainingDefaults.pueSource),
        ], result: Format.si(kwh) + " kWh", source: "Patterson et al. 2021 method"))
    estimate.explanation.add(
      ExplainedStep(
        quantity: "CO2", formula: "CO2 = E × grid intensity",
        inputs: [
          ExplainedInput(
            "grid", Format.number(setup.gridKgCO2PerKWh) + " kg/kWh",
            source: TrainingDefaults.gridSource)
        ], result: Format.si(kwh * setup.gridKgCO2PerKWh) + " kg", source: "definition"))
  }
  if let memory {
    estimate.memoryBytes = memory.totalBytes
    var inputs = [
      ExplainedInput(
        "states", Format.bytes(memory.stateBytes), source: TrainingDefaults.bytesPerParamSource)
    ]
    if let act = memory.activationBytes {
      inputs.append(
        ExplainedInput(
          "activations", Format.bytes(act),
          source: "Korthikanti et al. 2022, one sequence, no recomputation [U]"))
    }
    var result = Format.bytes(memory.totalBytes)
    if let per = setup.memoryBytesPerAccelerator, per > 0 {
      let minimum = saturatingInt((memory.totalBytes / per).rounded(.up))
      estimate.minAccelerators = max(minimum, 1)
      inputs.append(ExplainedInput("memory/chip", Format.bytes(per), source: "catalog"))
      result += ", ≥ \(max(minimum, 1)) accelerators to hold it"
    }
    estimate.explanation.add(
      ExplainedStep(
        quantity: "training memory", formula: "16 B × N_total + activations; min = ⌈M / mem⌉",
        inputs: inputs, result: result,
        source: "ZeRO accounting [U]; sharding assumed perfect (lower bound on chips)"))
  }
  return estimate
}

extension Format {
  /// Energy with three significant digits in kWh, MWh or GWh: 1.43e6 kWh → "1.43 GWh".
  public static func energy(kWh: Double) -> String {
    if kWh >= 1e6 { return significant(kWh / 1e6) + " GWh" }
    if kWh >= 1e3 { return significant(kWh / 1e3) + " MWh" }
    return significant(kWh) + " kWh"
  }

  /// Decimal bytes with a unit: 3.2e10 → "32 GB", 2.8e12 → "2.8 TB" (1 GB = 1e9 bytes).
  public static func bytes(_ value: Double, digits: Int = 3) -> String {
    guard value.isFinite else { return "\(value) B" }
    let units: [(Double, String)] = [
      (1e15, "PB"), (1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB"),
    ]
    for (scale, unit) in units where abs(value) >= scale {
      return significant(value / scale, digits: digits) + " " + unit
    }
    return significant(value, digits: digits) + " B"
  }
}
