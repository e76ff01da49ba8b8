// `Engine.costFinetune`: QLoRA 65B on one 48 GB GPU against arithmetic done here (QLoRA §3 NF4
// constants, LoRA r·(d_in + d_out), Korthikanti et al. 2022 activations), the request's
// sentences, and the engine's JSON against `cost finetune --json`.

import Foundation
import Planner
import TestSupport
import Testing
import UseCases

@Suite struct CostFinetuneTests {
  let qlora = CostFinetuneRequest(
    model: CostModelSpec(params: 65e9), method: .qlora, gpu: "a6000")

  @Test("QLoRA 65B: NF4 base + 12 B per adapter parameter + checkpointed activations < 48 GB")
  func qlora65B() throws {
    let r = try Engine().costFinetune(qlora)
    // Shape inferred from N = 12·L·d² with d = 128·L (stated assumption of the tool).
    let L = pow(65e9 / (12 * 128 * 128), 1.0 / 3)
    let layers = L.rounded()
    let d = (128 * L).rounded()
    let heads = (d / 128).rounded(.down)
    #expect(r.architectureAssumed)
    // NF4 with double quantisation: 4 + 8/64 + 32/(64·256) bits per weight.
    let base = 65e9 * (4 + 8.0 / 64 + 32.0 / (64 * 256)) / 8
    // LoRA r = 64 on every linear layer (4 attention d×d, 2 MLP d×4d): 64·(4·2d + 2·5d) per layer.
    let trainable = layers * 64 * (4 * 2 * d + 2 * (d + 4 * d))
    let s = 512.0
    let act = layers * 2 * s * d + s * d * (34 + 5 * heads * s / d)
    let total = base + 12 * trainable + act
    #expect(isClose(r.trainableParams, trainable, rel: 1e-12), "\(closeness(r.trainableParams, trainable))")
    #expect(isClose(r.memoryBytes, total, rel: 1e-12), "\(closeness(r.memoryBytes, total))")
    #expect(isClose(r.memoryGB, total / 1e9, rel: 1e-12))
    #expect(r.memoryBytes < 48e9)
    #expect(r.acceleratorsNeeded == 1 && r.fitsOnOne == true)
    #expect(r.rank == 64 && r.targets == .all)
    #expect(r.components.count == 3)
  }

  @Test("Full 16-bit fine-tuning of 65B needs 12 × 65e9 = 780 GB before activations")
  func full65B() throws {
    let r = try Engine().costFinetune(
      CostFinetuneRequest(model: CostModelSpec(params: 65e9), method: .full, gpu: "a100"))
    let states = r.components.filter { !$0.name.hasPrefix("activations") }.reduce(0) { $0 + $1.bytes }
    #expect(isClose(states, 780e9, rel: 1e-12))
    #expect(r.fitsOnOne == false)
    #expect(r.rank == nil)
  }

  @Test("Time and dollars: FLOPs/token × D / (n × peak × MFU), × n × price")
  func timeAndDollars() throws {
    let r = try Engine().costFinetune(
      CostFinetuneRequest(
        model: CostModelSpec(params: 7e9), method: .full, gpu: "h100", accelerators: 2,
        tokens: 1e9, mfu: 0.5, price: 2))
    // H100 bf16 dense 989 TFLOP/s (NVIDIA H100 SXM datasheet); full: 6·N per token.
    let hours = 6 * 7e9 * 1e9 / (2 * 989e12 * 0.5) / 3600
    #expect(isClose(r.hours ?? 0, hours, rel: 1e-3), "\(closeness(r.hours ?? 0, hours))")
    #expect(isClose(r.usd ?? 0, (r.hours ?? 0) * 2 * 2, rel: 1e-12))
    #expect(r.mfuSource == "--mfu" && r.priceSource == "--price")
  }

  @Test(
    "Each bad input gives its sentence",
    arguments: [
      (
        CostFinetuneRequest(model: CostModelSpec()),
        "Give --model ID or --params N (e.g. --params 175B)."
      ),
      (
        CostFinetuneRequest(model: CostModelSpec(params: 7e9), method: .lora, rank: 0),
        "--rank must be greater than zero, got 0."
      ),
      (
        CostFinetuneRequest(model: CostModelSpec(params: 7e9), batch: 0),
        "--batch must be greater than zero, got 0."
      ),
      (
        CostFinetuneRequest(model: CostModelSpec(params: 7e9), mfu: 1.2),
        "--mfu must be a fraction greater than 0 and at most 1, got 1.2."
      ),
    ])
  func validation(_ c: (CostFinetuneRequest, String)) throws {
    #expect(throws: RequestError.invalid(c.1)) { try c.0.validate() }
  }

  @Test("Unknown method and targets name the accepted values")
  func parsing() throws {
    #expect(throws: RequestError.invalid("Unknown --method 'sft'; use full, lora or qlora.")) {
      try CostFinetuneRequest.method(parsing: "sft")
    }
    #expect(throws: RequestError.invalid("Unknown --targets 'mlp'; use qv, attention or all.")) {
      try CostFinetuneRequest.targets(parsing: "mlp")
    }
    #expect(try CostFinetuneRequest.method(parsing: "QLoRA") == .qlora)
  }

  @Test(
    "Engine JSON equals `cost finetune --json`",
    .enabled(if: builtScaleplanBinary() != nil, "scaleplan binary not built"))
  func jsonMatchesCLI() throws {
    let engine = try engineJSON(try Engine().costFinetune(qlora).withoutExplanation())
    let cli = try cliJSON(["cost", "finetune", "--params", "65B", "--method", "qlora", "--gpu", "a6000"])
    #expect(sameJSON(engine, cli).isEmpty, "\(sameJSON(engine, cli))")
    let lora = try engineJSON(
      try Engine().costFinetune(CostFinetuneRequest(model: CostModelSpec(params: 7e9), method: .lora))
        .withoutExplanation())
    let loraCLI = try cliJSON(["cost", "finetune", "--params", "7B", "--method", "lora"])
    #expect(sameJSON(lora, loraCLI).isEmpty, "\(sameJSON(lora, loraCLI))")
  }
}
