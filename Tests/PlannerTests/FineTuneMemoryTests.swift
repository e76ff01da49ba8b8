// QLoRA's published comparison (> 780 GB for full 16-bit fine-tuning of 65B, < 48 GB with QLoRA),
// its double-quantisation saving (0.373 bits/param), and LoRA parameter counts from LoRA and
// VeRA tables.

import Foundation
import Planner
import TestSupport
import Testing

@Suite("Fine-tuning memory")
struct FineTuneMemoryTests {
  /// LLaMA-65B shape: 80 layers, d_model 8192, 64 heads (LLaMA paper Table 2), SwiGLU d_ff 22016
  /// (Hugging Face config) — recalled, [U].
  static func llama65() throws -> (ModelShape, LayerShape) {
    let m = try ModelShape(params: 65.2e9, layers: 80, dModel: 8192, heads: 64)
    return (m, LayerShape(model: m, dFF: 22016, gatedMLP: true))
  }

  @Test("65B full 16-bit fine-tuning needs more than 780 GB (QLoRA §1)")
  func full65B() throws {
    let m = try ModelShape(params: 65e9)
    let e = try estimateFineTune(
      model: m, config: FineTuneConfig(method: .full), accelerator: Fixture.a100)
    let states = e.components.filter { !$0.name.hasPrefix("activations") }.reduce(0) {
      $0 + $1.bytes
    }
    #expect(states == 780e9)  // 65e9 × (2 + 2 + 8)
    #expect(e.memoryBytes > 780e9)
    #expect(e.acceleratorsNeeded == 10)
    // ZeRO-style 16 bytes/param: 1,040 GB before activations (FACTS claim 8).
    let zero = try estimateFineTune(
      model: m, config: FineTuneConfig(method: .full, fullBytesPerParam: 16))
    #expect(zero.memoryBytes > 1040e9 && zero.memoryBytes < 1050e9)
  }

  @Test("65B QLoRA fits under 48 GB, with and without a known architecture (QLoRA abstract)")
  func qlora65B() throws {
    let (m, shape) = try Self.llama65()
    let e = try estimateFineTune(
      model: m, config: FineTuneConfig(method: .qlora), layerShape: shape,
      accelerator: Fixture.card48)
    #expect(e.memoryBytes < 48e9, "got \(e.memoryBytes)")
    #expect(e.fitsOnOne == true)
    // r = 64 on all 7 linear matrices of LLaMA-65B: 80 × 64 × (4·2·8192 + 3·(8192 + 22016)).
    #expect(e.trainableParams == 80 * 64 * (8 * 8192 + 3 * (8192 + 22016)))
    let unknown = try estimateFineTune(
      model: ModelShape(params: 65e9), config: FineTuneConfig(method: .qlora),
      accelerator: Fixture.card48)
    #expect(unknown.layerShape.assumed)
    #expect(unknown.memoryBytes < 48e9, "got \(unknown.memoryBytes)")
  }

  @Test("Double quantisation saves 0.373 bits per parameter, ≈ 3 GB on 65B (QLoRA §3)")
  func doubleQuantisation() throws {
    #expect(isClose(NF4Constants.doubleQuantisationSavingBits, 0.373, rel: 0.001))
    let m = try ModelShape(params: 65e9)
    let dq = try estimateFineTune(model: m, config: FineTuneConfig(method: .qlora))
    let sq = try estimateFineTune(
      model: m, config: FineTuneConfig(method: .qlora, doubleQuantisation: false))
    let saved = sq.memoryBytes - dq.memoryBytes
    #expect(isClose(saved, 65e9 * 0.373046875 / 8, rel: 1e-9))
    #expect(isClose(saved, 3.0e9, rel: 0.02))
  }

  @Test("LoRA trainable parameters match LoRA Table 4 (GPT-3) and VeRA Table 4 (LLaMA-7B)")
  func loraCounts() throws {
    // GPT-3 175B, r = 64 on W_q and W_v: 301.9M (LoRA Table 4, via secondary notes [U]).
    let gpt3 = try ModelShape(params: 175e9, layers: 96, dModel: 12288, heads: 96)
    let g = LayerShape(model: gpt3).loraParams(rank: 64, targets: .qv)
    #expect(isClose(g, 301.9e6, rel: 0.001), Comment(rawValue: closeness(g, 301.9e6)))
    // LLaMA-7B, r = 64 on all linear layers: 159.9M (VeRA Table 4, via secondary notes [U]).
    let l7 = try ModelShape(params: 6.7e9, layers: 32, dModel: 4096, heads: 32)
    let v = LayerShape(model: l7, dFF: 11008, gatedMLP: true).loraParams(rank: 64, targets: .all)
    #expect(isClose(v, 159.9e6, rel: 0.001), Comment(rawValue: closeness(v, 159.9e6)))
  }

  @Test("LoRA with a 16-bit base of 65B does not fit one 48 GB card; time uses 4N per token")
  func loraAndTime() throws {
    let m = try ModelShape(params: 65e9)
    let e = try estimateFineTune(
      model: m, config: FineTuneConfig(method: .lora), accelerator: Fixture.card48, tokens: 1e9)
    #expect(e.memoryBytes > 130e9)
    #expect(e.fitsOnOne == false)
    #expect(e.flopsPerToken == 4 * 65e9 + 6 * e.trainableParams)
    let full = try estimateFineTune(
      model: m, config: FineTuneConfig(method: .full), accelerator: Fixture.h100, tokens: 1e9)
    let hours = try #require(full.hours)
    // 6 × 65e9 × 1e9 / (n × 989.4e12 × 0.4) / 3600 with n = accelerators needed.
    let n = Double(try #require(full.acceleratorsNeeded))
    #expect(isClose(hours, 6 * 65e9 * 1e9 / (n * 989.4e12 * 0.4) / 3600, rel: 1e-12))
  }

  @Test("Bad fine-tuning input throws")
  func badInput() throws {
    let m = try ModelShape(params: 7e9)
    #expect(throws: InferenceError.self) {
      _ = try estimateFineTune(model: m, config: FineTuneConfig(method: .lora, rank: 0))
    }
    #expect(throws: InferenceError.self) {
      _ = try estimateFineTune(model: m, config: FineTuneConfig(method: .full, batch: 0))
    }
    #expect(throws: InferenceError.self) {
      _ = try estimateFineTune(
        model: ModelShape(params: 65e9), config: FineTuneConfig(method: .full),
        accelerator: Fixture.h100, accelerators: 1)
    }
  }
}
