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
      --gpu v100 --mfu 0.224 --price 1.5. Defaults: MFU \(TrainingDefaults.mfu) (\(TrainingDefaults.mfuShortSource)); \
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

  /// The request for the engine: flags parsed to numbers, nothing defaulted.
  func request() throws -> CostTrainRequest {
    CostTrainRequest(
      flops: try positiveQuantity(flops, "--flops"), params: try positiveQuantity(params, "--params"),
      tokens: try positiveQuantity(tokens, "--tokens"), model: model, gpu: gpu,
      mfu: try positiveQuantity(mfu, "--mfu"), price: try positiveQuantity(price, "--price"),
      gpus: gpus, watts: try positiveQuantity(watts, "--watts"),
      pue: try positiveQuantity(pue, "--pue"),
      serverOverhead: try positiveQuantity(serverOverhead, "--server-overhead"),
      grid: try positiveQuantity(grid, "--grid"), precision: precision,
      architecture: ArchitectureSpec(
        layers: layers, dModel: dModel, heads: heads, kvHeads: kvHeads, ffn: ffn, vocab: vocab,
        context: context, untied: untied, gated: gated, experts: experts,
        activeExperts: activeExperts))
  }

  public func validate() throws {
    do { try request().validate() } catch RequestError.invalid(let sentence) {
      throw ValidationError(sentence)
    }
  }

  public func run() throws {
    let result = try Engine(catalogDirectory: catalog.catalog).costTrain(try request())
    if output.json {
      try JSONOutput.print(output.explain ? result : result.withoutExplanation())
      return
    }
    var t = TextTable(header: ["quantity", "value", "note"])
    t.add([
      "training compute", Format.scientific(result.flops) + " FLOPs",
      result.appendixFFlops == nil ? "" : "Kaplan 6N + attention",
    ])
    if let exact = result.appendixFFlops {
      t.add(["  App. F exact count", Format.scientific(exact) + " FLOPs", "cross-check (not used)"])
    }
    t.add([
      "accelerator-hours", Format.si(result.acceleratorHours),
      "\(Format.significant(result.acceleratorYears)) accelerator-years on \(result.acceleratorName)",
    ])
    t.add([
      "MFU", Format.number(result.mfu),
      mfu == nil ? "default (\(result.mfuSource))" : "--mfu",
    ])
    if let d = result.wallClockDays {
      t.add(["wall-clock", Format.significant(d) + " days", "on \(result.clusterSize ?? 0) accelerators"])
    }
    if let usd = result.costUSD, let p = result.pricePerHour {
      t.add(["cost", Format.dollars(usd), "at \(Format.dollars(p))/h (\(result.priceSource))"])
    } else {
      t.add(["cost", "—", "no price: pass --price"])
    }
    if let e = result.energyKWh, let co2 = result.co2Tonnes {
      t.add([
        "energy", Format.energy(kWh: e),
        "chip W × \(Format.number(result.serverOverhead)) × PUE \(Format.number(result.pue))",
      ])
      t.add(["CO2", Format.si(co2) + " t", "\(Format.number(result.gridKgCO2PerKWh)) kg/kWh"])
    }
    if let m = result.memoryBytes {
      t.add(["training memory", Format.bytes(m), result.memoryNote ?? ""])
      if let k = result.minAccelerators {
        t.add([
          "min accelerators", "\(k)",
          "to hold it at \(Format.number(result.acceleratorMemoryGB)) GB each",
        ])
      }
    }
    print(t.render(), terminator: "")
    if output.explain, let ex = result.explanation { print(ex.render(), terminator: "") }
  }
}
