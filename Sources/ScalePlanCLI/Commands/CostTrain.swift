// `scaleplan cost train`: accelerator-hours, wall-clock, dollars, energy, CO2 and memory for a
// training run given as FLOPs, as N and D (C = 6ND), or as an architecture and D.

import ArgumentParser
import Catalog
import UseCases
import Foundation
import Planner

/// `scaleplan cost train`.
public struct CostTrainCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "FLOPs, accelerator-hours, wall-clock, dollars, energy, CO2 and memory of a run.",
    discussion: """
      Give --flops C, or --params N --tokens D (C = 6ND), or an architecture (--layers, \
      --d-model, --heads, --vocab, --context, ...) with --tokens D (C = (6N + attention)·D, \
      Kaplan Table 1). Example (GPT-3, Lambda's $4.6M): cost train --params 175B --tokens 300B \
      --gpu v100 --mfu 0.224 --price 1.5. Defaults: MFU \(TrainingDefaults.mfu) (FACTS §C2); \
      server overhead, PUE and grid intensity from data/energy.csv; see --explain.
      """)

  @Option(name: .long, help: "Training compute in FLOPs.")
  var flops: String?
  @Option(name: .long, help: "Parameters (total; MoE: give an architecture instead).")
  var params: String?
  @Option(name: .long, help: "Training tokens.")
  var tokens: String?
  @Option(name: .long, help: "A catalog model (e.g. gpt3): its reported FLOPs, else 6·N_active·D.")
  var model: String?
  @Option(name: .long, help: "Accelerator id from the catalog (e.g. h100, a100-80gb, v100).")
  var gpu: String
  @Option(name: .long, help: "Model FLOPs utilisation (default \(TrainingDefaults.mfu)).")
  var mfu: String?
  @Option(name: .long, help: "US$ per accelerator-hour (default: the catalog's dated price).")
  var price: String?
  @Option(name: .long, help: "Cluster size for wall-clock time.")
  var gpus: Int?
  @Option(name: .long, help: "Chip power in watts (default: the catalog's TDP).")
  var watts: String?
  @Option(name: .long, help: "Data-centre PUE (default: data/energy.csv; industry average 1.58).")
  var pue: String?
  @Option(
    name: .customLong("server-overhead"),
    help: "Server power over chip TDP, incl. average draw (default: data/energy.csv).")
  var serverOverhead: String?
  @Option(
    name: .long, help: "Grid intensity, kg CO2 per kWh (default: data/energy.csv, EIA 2023 US).")
  var grid: String?
  @Option(name: .long, help: "Training precision for the peak (default bf16).")
  var precision: Precision = .bf16

  // Architecture (optional).
  @Option(name: .long, help: "Layers (architecture mode).") var layers: Int?
  @Option(name: .customLong("d-model"), help: "Model width.") var dModel: Int?
  @Option(name: .long, help: "Attention heads.") var heads: Int?
  @Option(name: .customLong("kv-heads"), help: "Key/value heads (GQA; default = heads).")
  var kvHeads: Int?
  @Option(name: .long, help: "FFN hidden size per expert (default 4·d-model).") var ffn: Int?
  @Option(name: .long, help: "Vocabulary size.") var vocab: Int?
  @Option(name: .long, help: "Context length (default 2048).") var context: Int?
  @Flag(name: .long, help: "Output head not tied to the embeddings.") var untied = false
  @Flag(name: .long, help: "Gated (SwiGLU) FFN with three matrices.") var gated = false
  @Option(name: .long, help: "MoE experts per layer (default 1).") var experts: Int?
  @Option(name: .customLong("active-experts"), help: "MoE experts active per token (default 1).")
  var activeExperts: Int?

  @OptionGroup var catalog: CatalogOptions
  @OptionGroup public var output: OutputOptions

  public init() {}

  var architectureGiven: Bool {
    layers != nil || dModel != nil || heads != nil || vocab != nil || kvHeads != nil
      || ffn != nil || experts != nil || activeExperts != nil
  }

  public func validate() throws {
    let modes = [flops != nil, params != nil, architectureGiven, model != nil].filter { $0 }.count
    if modes != 1 {
      throw ValidationError(
        "Give exactly one of --flops, --params with --tokens, --model, or an architecture with "
          + "--tokens.")
    }
    if model != nil && tokens != nil {
      throw ValidationError("--model brings its own token count; drop --tokens or use --params.")
    }
    if (params != nil || architectureGiven) && tokens == nil {
      throw ValidationError("--params and an architecture need --tokens (e.g. --tokens 300B).")
    }
    if flops != nil && tokens != nil {
      throw ValidationError("--flops already fixes the compute; drop --tokens or give --params.")
    }
    if architectureGiven && (layers == nil || dModel == nil || heads == nil || vocab == nil) {
      throw ValidationError(
        "An architecture needs at least --layers, --d-model, --heads and --vocab.")
    }
    if let gpus, gpus <= 0 {
      throw ValidationError("--gpus must be a positive whole number, got \(gpus).")
    }
  }

  public func run() throws {
    let cat = try CatalogBridge.catalog(catalog)
    let acc = try cat.accelerator(gpu)
    let energy = try CatalogBridge.energyDefaults(cat)
    var setup = TrainingSetup(
      acceleratorName: "\(acc.id) \(effectivePrecision(acc, precision).rawValue)",
      peakFLOPS: try peak(acc, precision),
      mfu: try positiveQuantity(mfu, "--mfu") ?? TrainingDefaults.mfu,
      pricePerHour: try positiveQuantity(price, "--price") ?? acc.priceUSDPerHour,
      chipWatts: try positiveQuantity(watts, "--watts") ?? acc.tdpWatts,
      serverOverhead: energy.overhead, pue: energy.pue, gridKgCO2PerKWh: energy.grid,
      clusterSize: gpus, memoryBytesPerAccelerator: acc.memoryGB * 1e9)
    setup.priceSource =
      price != nil ? "--price" : "catalog, \(acc.priceDate ?? "undated"): \(acc.priceSource ?? "")"
    if let v = try positiveQuantity(pue, "--pue") { setup.pue = v }
    if let v = try positiveQuantity(serverOverhead, "--server-overhead") {
      setup.serverOverhead = v
    }
    if let v = try positiveQuantity(grid, "--grid") { setup.gridKgCO2PerKWh = v }

    var c: Double
    var memory: TrainingMemory? = nil
    var pre: [ExplainedStep] = []
    var exact: Double? = nil
    if let f = try positiveQuantity(flops, "--flops") {
      c = f
    } else if let id = model {
      let m = try cat.model(id)
      if let reported = m.trainingFLOPs {
        c = reported
        pre.append(
          ExplainedStep(
            quantity: "training compute", formula: "catalog value",
            inputs: [ExplainedInput("model", m.id, source: m.source)],
            result: Format.scientific(c) + " FLOPs", source: "data/models.csv"))
      } else {
        guard let d = m.tokens else { throw LookupError.modelWithoutTokens(m.id) }
        c = 6 * m.activeParams * d
        pre.append(
          ExplainedStep(
            quantity: "training compute", formula: "C = 6·N_active·D",
            inputs: [
              ExplainedInput("N_active", Format.si(m.activeParams), source: m.source),
              ExplainedInput("D", Format.si(d), source: m.source),
            ], result: Format.scientific(c) + " FLOPs", source: "FACTS §0 (MoE: active params)"))
      }
      memory = .adamMixedPrecision(totalParams: m.params)
    } else if let n = try positiveQuantity(params, "--params"),
      let d = try positiveQuantity(tokens, "--tokens")
    {
      c = 6 * n * d
      memory = .adamMixedPrecision(totalParams: n)
      pre.append(
        ExplainedStep(
          quantity: "training compute", formula: "C = 6·N·D",
          inputs: [
            ExplainedInput("N", Format.si(n), source: "--params"),
            ExplainedInput("D", Format.si(d), source: "--tokens"),
          ], result: Format.scientific(c) + " FLOPs",
          source: "Kaplan et al. 2020 Table 1 (activations not included in memory: no architecture)"
        ))
    } else {
      let arch = TransformerArchitecture(
        layers: layers ?? 0, dModel: dModel ?? 0, heads: heads ?? 0, kvHeads: kvHeads,
        ffnSize: ffn, vocab: vocab ?? 0, context: context ?? 2048, tiedEmbeddings: !untied,
        gatedFFN: gated, experts: experts ?? 1, activeExperts: activeExperts ?? 1)
      try arch.validate()
      let d = try Quantity.parsePositive(tokens ?? "", name: "--tokens")
      c = arch.trainingFLOPsPerToken * d
      memory = .adamMixedPrecision(
        totalParams: arch.totalParams, activationBytes: arch.activationBytesPerSequence)
      pre.append(
        ExplainedStep(
          quantity: "training compute",
          formula: "C = (6·N_active,non-emb + 6·n_layer·n_ctx·d_attn)·D",
          inputs: [
            ExplainedInput("N total", Format.si(arch.totalParams), source: "architecture"),
            ExplainedInput(
              "N active non-emb", Format.si(arch.activeNonEmbeddingParams), source: "architecture"),
            ExplainedInput(
              "attention/token", Format.scientific(arch.attentionTrainingFLOPsPerToken),
              source: "architecture"),
            ExplainedInput("D", Format.si(d), source: "--tokens"),
          ], result: Format.scientific(c) + " FLOPs", source: "Kaplan et al. 2020 Table 1"))
      let perToken = arch.appendixFTrainingFLOPsPerSequence() / Double(arch.context)
      exact = perToken * d
      pre.append(
        ExplainedStep(
          quantity: "cross-check: exact count", formula: "Hoffmann App. F per sequence / n_ctx × D",
          inputs: [
            ExplainedInput("per token", Format.scientific(perToken), source: "architecture")
          ],
          result: Format.scientific(perToken * d)
            + " FLOPs (\(Format.significant(perToken * d / c)) "
            + "× the Kaplan count)",
          source: "Hoffmann et al. 2022 App. F (embeddings and logits included; not used for cost)")
      )
    }
    var estimate = try estimateTrainingCost(flops: c, setup: setup, memory: memory)
    estimate.explanation.steps.insert(contentsOf: pre, at: 0)
    estimate.explanation.add(
      ExplainedStep(
        quantity: "energy defaults", formula: "overhead = server factor × average draw",
        inputs: energy.sources,
        result: "overhead \(Format.number(energy.overhead)), PUE "
          + "\(Format.number(energy.pue)), grid \(Format.number(energy.grid)) kg/kWh",
        source: "data/energy.csv defaults (override with --server-overhead, --pue, --grid)"))
    if output.json {
      var j = CostTrainJSON(estimate)
      if output.explain { j.explanation = estimate.explanation }
      try JSONOutput.print(j)
      return
    }
    var t = TextTable(header: ["quantity", "value", "note"])
    t.add([
      "training compute", Format.scientific(c) + " FLOPs",
      exact == nil ? "" : "Kaplan 6N + attention",
    ])
    if let exact {
      t.add(["  App. F exact count", Format.scientific(exact) + " FLOPs", "cross-check (not used)"])
    }
    t.add([
      "accelerator-hours", Format.si(estimate.acceleratorHours),
      "\(Format.significant(estimate.acceleratorHours / 8766)) accelerator-years on \(setup.acceleratorName)",
    ])
    t.add(["MFU", Format.number(setup.mfu), mfu == nil ? "default (FACTS §C2)" : "--mfu"])
    if let d = estimate.wallClockDays {
      t.add(["wall-clock", Format.significant(d) + " days", "on \(gpus ?? 0) accelerators"])
    }
    if let usd = estimate.costUSD, let p = setup.pricePerHour {
      let src =
        price != nil
        ? "--price" : "catalog, \(acc.priceDate ?? "undated"): \(acc.priceSource ?? "")"
      t.add(["cost", Format.dollars(usd), "at \(Format.dollars(p))/h (\(src))"])
    } else {
      t.add(["cost", "—", "no price: pass --price"])
    }
    if let e = estimate.energyKWh, let co2 = estimate.co2Kg {
      t.add([
        "energy", energyText(e),
        "chip W × \(Format.number(setup.serverOverhead)) × PUE \(Format.number(setup.pue))",
      ])
      t.add(["CO2", Format.si(co2 / 1000) + " t", "\(Format.number(setup.gridKgCO2PerKWh)) kg/kWh"])
    }
    if let m = estimate.memoryBytes {
      t.add([
        "training memory", Format.bytes(m),
        memory?.activationBytes == nil
          ? "16 B/param; activations not included" : "16 B/param + activations (1 sequence, no recomputation)",
      ])
      if let k = estimate.minAccelerators {
        t.add(["min accelerators", "\(k)", "to hold it at \(Format.number(acc.memoryGB)) GB each"])
      }
    }
    print(t.render(), terminator: "")
    if output.explain { print(estimate.explanation.render(), terminator: "") }
  }
}

/// The `cost train` JSON object (keys fixed by the issue).
struct CostTrainJSON: Encodable {
  var flops: Double
  var acceleratorHours: Double
  var wallClockDays: Double?
  var costUSD: Double?
  var energyKWh: Double?
  var co2Kg: Double?
  var memoryBytes: Double?
  var minAccelerators: Int?
  var explanation: Explanation?

  init(_ e: TrainingCostEstimate) {
    flops = e.flops
    acceleratorHours = e.acceleratorHours
    wallClockDays = e.wallClockDays
    costUSD = e.costUSD
    energyKWh = e.energyKWh
    co2Kg = e.co2Kg
    memoryBytes = e.memoryBytes
    minAccelerators = e.minAccelerators
  }

  enum CodingKeys: String, CodingKey {
    case flops, explanation
    case acceleratorHours = "accelerator_hours"
    case wallClockDays = "wall_clock_days"
    case costUSD = "cost_usd"
    case energyKWh = "energy_kwh"
    case co2Kg = "co2_kg"
    case memoryBytes = "memory_bytes"
    case minAccelerators = "min_accelerators"
  }

  func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(flops, forKey: .flops)
    try c.encode(acceleratorHours, forKey: .acceleratorHours)
    // Every issue key is present; null when an input (price, power, memory, cluster) is unknown.
    try c.encode(wallClockDays, forKey: .wallClockDays)
    try c.encode(costUSD, forKey: .costUSD)
    try c.encode(energyKWh, forKey: .energyKWh)
    try c.encode(co2Kg, forKey: .co2Kg)
    try c.encode(memoryBytes, forKey: .memoryBytes)
    try c.encode(minAccelerators, forKey: .minAccelerators)
    try c.encodeIfPresent(explanation, forKey: .explanation)
  }
}

/// Energy in kWh as kWh, MWh or GWh with three significant digits.
func energyText(_ kwh: Double) -> String {
  if kwh >= 1e6 { return Format.significant(kwh / 1e6) + " GWh" }
  if kwh >= 1e3 { return Format.significant(kwh / 1e3) + " MWh" }
  return Format.significant(kwh) + " kWh"
}
