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

  public func run() throws {
    let files = try catalogOptions.files()
    var loaded: Catalog?
    func catalog() throws -> Catalog {
      if let c = loaded { return c }
      let c = try Catalog.load(files: files)
      loaded = c
      return c
    }
    guard let m = FineTuneMethod(rawValue: method.lowercased()) else {
      throw ValidationError("Unknown --method '\(method)'; use full, lora or qlora.")
    }
    var t: LoRATargets?
    if let text = targets {
      guard let v = LoRATargets(rawValue: text.lowercased()) else {
        throw ValidationError("Unknown --targets '\(text)'; use qv, attention or all.")
      }
      t = v
    }
    let (shape, _) = try modelOptions.shape(catalog: catalog)
    let config = FineTuneConfig(
      method: m, rank: try parseCount(rank, "--rank"), targets: t,
      fullBytesPerParam: masterWeights ? 16 : 12, doubleQuantisation: !noDoubleQuant,
      batch: try parseCount(batch, "--batch") ?? 1,
      sequenceLength: try parseCount(sequence, "--sequence") ?? 512,
      gradientCheckpointing: !noCheckpointing)
    let layerShape = LayerShape(
      model: shape, dFF: try parseCount(dFF, "--d-ff"), gatedMLP: gated)
    let defaults = (try? InferenceCatalog.defaults(files: files)) ?? []
    let u =
      try parseQuantity(mfu, "--mfu")
      ?? InferenceCatalog.value("finetune_mfu", in: defaults, fallback: 0.4)
    let accelerator = try gpu.map { try catalog().accelerator($0) }
    let est = try estimateFineTune(
      model: shape, config: config, layerShape: layerShape, accelerator: accelerator,
      tokens: try parseQuantity(tokens, "--tokens"),
      accelerators: try parseCount(accelerators, "--accelerators"), mfu: u)
    let fitsOn: [String] =
      accelerator == nil
      ? ((try? catalog().accelerators) ?? []).filter { $0.memoryGB * 1e9 >= est.memoryBytes }
        .map(\.id) : []
    var usd: Double?
    if let hours = est.hours, let acc = accelerator,
      let p = try parseQuantity(price, "--price") ?? acc.priceUSDPerHour
    {
      let n = Double(try parseCount(accelerators, "--accelerators") ?? est.acceleratorsNeeded ?? 1)
      usd = hours * n * p
    }

    if output.json {
      try JSONOutput.print(
        JSONValue.object([
          "method": .string(m.rawValue), "memory_bytes": .number(est.memoryBytes),
          "accelerator": .str(est.accelerator),
          "accelerators_needed": .int(est.acceleratorsNeeded),
          "fits_on_one": est.fitsOnOne.map { .bool($0) } ?? .null,
          "fits_on": .array(fitsOn.map { .string($0) }),
          "params": .number(est.params), "trainable_params": .number(est.trainableParams),
          "components": .array(
            est.components.map {
              .object([
                "name": .string($0.name), "bytes": .number($0.bytes), "note": .string($0.note),
              ])
            }),
          "flops_per_token": .number(est.flopsPerToken), "training_flops": .num(est.trainingFLOPs),
          "hours": .num(est.hours), "usd": .num(usd),
          "architecture_assumed": .bool(est.layerShape.assumed),
        ]))
      return
    }
    var out = "cost finetune: \(shape.name), \(m.rawValue)"
    if m != .full {
      out += " (r = \(est.config.rank), targets \(est.config.targets.rawValue))"
    }
    out += "\n\n"
    var tab = TextTable(header: ["component", "memory", "note"])
    for c in est.components { tab.add([c.name, bytesText(c.bytes), c.note]) }
    tab.add(["total", "\(Format.si(est.memoryBytes / 1e9)) GB", ""])
    out += tab.render()
    out += "\ntrainable parameters: \(Format.si(est.trainableParams))\n"
    if let acc = accelerator, let n = est.acceleratorsNeeded, let fits = est.fitsOnOne {
      out += "accelerators needed: \(n) × \(acc.id) (\(Format.number(acc.memoryGB)) GB); "
      out += "fits on one: \(fits ? "yes" : "no")\n"
    } else {
      out += "fits on one of: "
      out +=
        fitsOn.isEmpty
        ? "no catalog accelerator (shard it: give --gpu)\n"
        : fitsOn.joined(separator: ", ") + "\n"
    }
    if let f = est.trainingFLOPs {
      out += "FLOPs: \(Format.scientific(f)) (\(Format.scientific(est.flopsPerToken)) per token)"
      if let h = est.hours { out += "; \(Format.number(h)) h at MFU \(Format.number(u))" }
      if let usd { out += "; \(Format.dollars(usd))" }
      out += "\n"
    }
    if est.layerShape.assumed { out += "note: \(est.layerShape.note).\n" }
    out += "assumptions: batch \(config.batch) × \(config.sequenceLength) tokens, "
    out += config.gradientCheckpointing ? "gradient checkpointing" : "no recomputation"
    if m == .qlora {
      out += ", double quantisation \(config.doubleQuantisation ? "on" : "off"), paged optimiser "
      out += "states counted on the accelerator"
    }
    out += ".\n"
    print(out, terminator: "")
    if output.explain { print(est.explanation.render(), terminator: "") }
  }
}
