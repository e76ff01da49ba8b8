import ArgumentParser
import Catalog
import UseCases
import Foundation
import Planner

/// `scaleplan cost finetune`: memory and time of full fine-tuning, LoRA and QLoRA.
public struct CostFinetuneCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "finetune",
    abstract: "Memory, accelerators and time for full fine-tuning, LoRA and QLoRA.",
    discussion: """
      Full: 2 bytes weights + 2 gradients + 8 Adam moments per parameter (QLoRA's accounting; \
      --master-weights adds a 4-byte FP32 copy, ZeRO's 16). LoRA: frozen 16-bit base plus \
      r·(d_in + d_out) trainable parameters per adapted matrix. QLoRA: NF4 base (+0.127 bits \
      with double quantisation). Activations are an estimate (Korthikanti et al. 2022). Example:
        scaleplan cost finetune --params 65B --method qlora --gpu a6000
      """)

  @OptionGroup var output: OutputOptions
  @OptionGroup var catalogOptions: CatalogOptions
  @OptionGroup var modelOptions: ModelOptions

  @Option(name: .long, help: "full, lora or qlora (default full).")
  var method: String = "full"
  @Option(name: .long, help: "LoRA rank r (default 8 for lora, 64 for qlora).")
  var rank: String?
  @Option(
    name: .long,
    help: "Adapted matrices: qv, attention or all (default qv for lora, all for qlora).")
  var targets: String?
  @Option(
    name: .customLong("d-ff"), help: "MLP width (default 4·d_model, or 8/3·d_model with --gated).")
  var dFF: String?
  @Flag(name: .long, help: "Gated (SwiGLU) MLP with three matrices, as in LLaMA.")
  var gated = false
  @Flag(name: .long, help: "Full fine-tuning keeps an FP32 master copy (16 bytes/param, ZeRO).")
  var masterWeights = false
  @Flag(name: .customLong("no-double-quant"), help: "QLoRA without double quantisation.")
  var noDoubleQuant = false
  @Option(name: .long, help: "Sequences per step (default 1).")
  var batch: String?
  @Option(name: .long, help: "Tokens per sequence (default 512).")
  var sequence: String?
  @Flag(name: .customLong("no-checkpointing"), help: "Store all activations (no recomputation).")
  var noCheckpointing = false
  @Option(name: .long, help: "Accelerator id, e.g. a6000, h100 (default: list where it fits).")
  var gpu: String?
  @Option(name: .long, help: "Accelerators used (default: the fewest that hold it).")
  var accelerators: String?
  @Option(name: .long, help: "Fine-tuning tokens D, for FLOPs and time.")
  var tokens: String?
  @Option(name: .long, help: "Model FLOPs utilisation for the time estimate (default 0.4).")
  var mfu: String?
  @Option(name: .long, help: "US$ per accelerator-hour (default: catalog price).")
  var price: String?

  public init() {}

  /// The request for the engine: flags parsed to numbers, nothing defaulted.
  func request() throws -> CostFinetuneRequest {
    CostFinetuneRequest(
      model: try modelOptions.spec(
        ffn: try parseCount(dFF, "--d-ff"), gated: gated),
      method: try CostFinetuneRequest.method(parsing: method),
      rank: try parseCount(rank, "--rank"),
      targets: try targets.map { try CostFinetuneRequest.targets(parsing: $0) },
      masterWeights: masterWeights, doubleQuantisation: !noDoubleQuant,
      batch: try parseCount(batch, "--batch"), sequence: try parseCount(sequence, "--sequence"),
      checkpointing: !noCheckpointing, gpu: gpu,
      accelerators: try parseCount(accelerators, "--accelerators"),
      tokens: try parseQuantity(tokens, "--tokens"), mfu: try parseQuantity(mfu, "--mfu"),
      price: try parseQuantity(price, "--price"))
  }

  public func run() throws {
    let r = try Engine(catalogDirectory: catalogOptions.catalog).costFinetune(try request())
    if output.json {
      try JSONOutput.print(output.explain ? r : r.withoutExplanation())
      return
    }
    var out = "cost finetune: \(r.modelName), \(r.method.rawValue)"
    if let rank = r.rank, let targets = r.targets {
      out += " (r = \(rank), targets \(targets.rawValue))"
    }
    out += "\n\n"
    var tab = TextTable(header: ["component", "memory", "note"])
    for c in r.components { tab.add([c.name, Format.gigabytesOrMegabytes(c.bytes), c.note]) }
    tab.add(["total", "\(Format.si(r.memoryGB)) GB", ""])
    out += tab.render()
    out += "\ntrainable parameters: \(Format.si(r.trainableParams))\n"
    if let acc = r.accelerator, let gb = r.acceleratorMemoryGB, let n = r.acceleratorsNeeded,
      let fits = r.fitsOnOne
    {
      out += "accelerators needed: \(n) × \(acc) (\(Format.number(gb)) GB); "
      out += "fits on one: \(fits ? "yes" : "no")\n"
    } else {
      out += "fits on one of: "
      out +=
        r.fitsOn.isEmpty
        ? "no catalog accelerator (shard it: give --gpu)\n"
        : r.fitsOn.joined(separator: ", ") + "\n"
    }
    if let f = r.trainingFLOPs {
      out += "FLOPs: \(Format.scientific(f)) (\(Format.scientific(r.flopsPerToken)) per token)"
      if let h = r.hours { out += "; \(Format.number(h)) h at MFU \(Format.number(r.mfu))" }
      if let usd = r.usd { out += "; \(Format.dollars(usd))" }
      out += "\n"
    }
    if r.architectureAssumed { out += "note: \(r.architectureNote).\n" }
    out += "assumptions: batch \(r.batch) × \(r.sequenceLength) tokens, "
    out += r.checkpointing ? "gradient checkpointing" : "no recomputation"
    if r.method == .qlora {
      out += ", double quantisation \(r.doubleQuantisation ? "on" : "off"), paged optimiser "
      out += "states counted on the accelerator"
    }
    out += ".\n"
    print(out, terminator: "")
    if output.explain, let ex = r.explanation { print(ex.render(), terminator: "") }
  }
}
