// Published and derived serving figures: GPTQ's one-GPU claim, FACTS §E1 KV-cache table and
// decode bounds, FACTS §E3's first-principles $/1M tokens, Morgan Stanley's $6B, the 700×
// distillation ratio. Each expected value is computed by hand from the cited inputs.

import Foundation
import Planner
import TestSupport
import Testing

@Suite("Inference cost")
struct InferenceCostTests {
  @Test("Bytes per parameter for each precision and for any --bits")
  func bytesPerParam() throws {
    let expected: [(Precision, Double)] = [
      (.fp32, 4), (.bf16, 2), (.fp16, 2), (.fp8, 1), (.int8, 1), (.int4, 0.5), (.nf4, 0.5),
      (.int3, 0.375),
    ]
    for (p, bytes) in expected {
      #expect(WeightFormat(p).bytesPerParam == bytes, "\(p)")
      #expect(try WeightFormat.parse(p.rawValue.uppercased()).bytesPerParam == bytes)
    }
    #expect(try WeightFormat(bits: 5).bytesPerParam == 0.625)
    // NF4 with FP32 block constants: (4 + 0.5)/8 bytes (QLoRA §3).
    #expect(WeightFormat(.nf4, scaleOverheadBits: 0.5).bytesPerParam == 0.5625)
  }

  @Test("175B at 16 bits needs 5 × 80 GB; at 3 bits one (GPTQ, FACTS claim 7)")
  func gptqOneGPU() throws {
    let model = try ModelShape(params: 175e9)
    let w = try InferenceWorkload(promptTokens: 70, outputTokens: 215, batch: 1)
    let fp16 = try estimateInference(
      model: model, format: WeightFormat(.fp16), accelerator: Fixture.a100, workload: w)
    #expect(fp16.weightsBytes == 350e9)
    #expect(fp16.acceleratorsToHold == 5)
    #expect(!fp16.fitsOnOne)
    #expect(fp16.kvExcluded)
    let int3 = try estimateInference(
      model: model, format: WeightFormat(.int3), accelerator: Fixture.a100, workload: w)
    #expect(int3.weightsBytes == 65.625e9)
    #expect(int3.acceleratorsToHold == 1)
    #expect(int3.fitsOnOne)
    // FACTS claim 7: 4-bit (87.5 GB) is slightly too big for one 80 GB card.
    let int4 = try estimateInference(
      model: model, format: WeightFormat(.int4), accelerator: Fixture.a100, workload: w)
    #expect(int4.acceleratorsToHold == 2)
  }

  @Test("KV cache per token matches FACTS §E1 (GQA-aware)")
  func kvCache() throws {
    // (layers, d_model, heads, kv heads, bytes/token, source)
    let rows: [(Int, Int, Int, Int?, Double, String)] = [
      (32, 4096, 32, 8, 128 * 1024, "Llama 3.1 8B: 128 KiB"),
      (80, 8192, 64, 8, 320 * 1024, "Llama 2/3.1 70B: 320 KiB"),
      (96, 12288, 96, nil, 4.5 * 1024 * 1024, "GPT-3 175B: 4.5 MiB"),
      (32, 4096, 32, nil, 512 * 1024, "Llama 2 7B: 512 KiB"),
    ]
    for (L, d, h, kv, expected, label) in rows {
      let m = try ModelShape(params: 1e9, layers: L, dModel: d, heads: h, kvHeads: kv)
      #expect(m.kvCacheBytesPerToken(bytesPerValue: 2) == expected, "\(label)")
    }
    // 4K context: Llama 3.1 8B 0.54 GB, GPT-3 19.3 GB (FACTS §E1 table).
    let llama8 = try ModelShape(params: 8e9, layers: 32, dModel: 4096, heads: 32, kvHeads: 8)
    let w = try InferenceWorkload(promptTokens: 4096, outputTokens: 0, batch: 1)
    let e = try estimateInference(
      model: llama8, format: WeightFormat(.bf16), accelerator: Fixture.h100, workload: w)
    #expect(
      isClose(e.kvCacheBytes, 0.54e9, rel: 0.01),
      Comment(rawValue: closeness(e.kvCacheBytes, 0.54e9)))
    let gpt3 = try ModelShape(params: 175e9, layers: 96, dModel: 12288, heads: 96)
    #expect(isClose(gpt3.kvCacheBytesPerToken(bytesPerValue: 2)! * 4096, 19.3e9, rel: 0.01))
  }

  @Test("7B batch-1 decode on an A100 at 16 bits is memory-bound at ≈ 7 ms; 4-bit is 4× less")
  func decode7B() throws {
    let m = try ModelShape(params: 7e9)
    let w = try InferenceWorkload(promptTokens: 70, outputTokens: 215, batch: 1)
    let fp16 = try estimateInference(
      model: m, format: WeightFormat(.fp16), accelerator: Fixture.a100, workload: w,
      assumptions: Fixture.ideal)
    // 14 GB / 2.039 TB/s = 6.87 ms; issue 3 says "≈ 14 GB / 2 TB/s ≈ 7 ms" (tolerance 3 %).
    #expect(fp16.decodeBound == "memory")
    #expect(
      isClose(fp16.decodeMsPerToken, 7.0, rel: 0.03),
      Comment(rawValue: closeness(fp16.decodeMsPerToken, 7)))
    let int4 = try estimateInference(
      model: m, format: WeightFormat(.int4), accelerator: Fixture.a100, workload: w,
      assumptions: Fixture.ideal)
    #expect(isClose(fp16.decodeMemoryMsPerStep / int4.decodeMemoryMsPerStep, 4, rel: 1e-12))
  }

  @Test("FACTS §E1 decode bounds: 70B and 8B BF16 on one H100; GPTQ 5 × FP16 vs 1 × 3-bit")
  func decodeBounds() throws {
    let bw = 3.35e12
    let t70 = decodeStepTimes(
      bytesRead: 70e9 * 2, flops: 0, bandwidthBytesPerSecond: bw, peakFLOPS: 1,
      bandwidthEfficiency: 1, mfu: 1
    ).memory
    #expect(isClose(t70 * 1e3, 41.8, rel: 0.002), Comment(rawValue: closeness(t70 * 1e3, 41.8)))
    let t8 = decodeStepTimes(
      bytesRead: 8e9 * 2, flops: 0, bandwidthBytesPerSecond: bw, peakFLOPS: 1,
      bandwidthEfficiency: 1, mfu: 1
    ).memory
    #expect(isClose(t8 * 1e3, 4.8, rel: 0.01))
    // FACTS claim 7: FP16 on 5 × A100 ≥ 34 ms/token; 3-bit on 1 × A100 ≥ 32 ms/token.
    let m = try ModelShape(params: 175e9)
    let w = try InferenceWorkload(promptTokens: 1, outputTokens: 1, batch: 1)
    let five = try estimateInference(
      model: m, format: WeightFormat(.fp16), accelerator: Fixture.a100, workload: w,
      assumptions: Fixture.ideal)
    let one = try estimateInference(
      model: m, format: WeightFormat(.int3), accelerator: Fixture.a100, workload: w,
      assumptions: Fixture.ideal)
    #expect(isClose(five.decodeMsPerToken, 34.3, rel: 0.01))
    #expect(isClose(one.decodeMsPerToken, 32.2, rel: 0.01))
  }

  @Test("FACTS §E3: 8B BF16 on one H100 at $2.49/h, batch 64 → ~8,000 tok/s, ≈ $0.09 per 1M")
  func firstPrinciplesPricePerMillion() throws {
    // FACTS §E3 ignores KV reads: no architecture given, so the KV cache is excluded.
    let m = try ModelShape(params: 8e9)
    let w = try InferenceWorkload(promptTokens: 70, outputTokens: 215, batch: 64)
    let e = try estimateInference(
      model: m, format: WeightFormat(.bf16), accelerator: Fixture.h100, workload: w)
    // Default bandwidth efficiency 0.6 = FACTS' "~60 % of the 209 tok/s bound".
    #expect(
      isClose(e.tokensPerSecondPerReplica, 8000, rel: 0.03),
      Comment(rawValue: closeness(e.tokensPerSecondPerReplica, 8000)))
    let out = try #require(e.usdPerMillionOutputTokens)
    #expect(isClose(out, 0.09, rel: 0.06), Comment(rawValue: closeness(out, 0.09)))
  }

  @Test("Per-query cost of a 540B and a 770M model at equal tokens differs ≈ 700× (FACTS claim 9)")
  func distillationRatio() throws {
    let w = try InferenceWorkload(promptTokens: 70, outputTokens: 215, batch: 1)
    let big = try estimateInference(
      model: ModelShape(params: 540e9), format: WeightFormat(.bf16), accelerator: Fixture.h100,
      workload: w)
    let small = try estimateInference(
      model: ModelShape(params: 770e6), format: WeightFormat(.bf16), accelerator: Fixture.h100,
      workload: w)
    let ratio = try #require(big.usdPerQuery) / #require(small.usdPerQuery)
    #expect(big.acceleratorsToHold == 14)
    #expect(isClose(ratio, 701, rel: 0.01), Comment(rawValue: closeness(ratio, 701)))
  }

  @Test("Morgan Stanley: 3.3e12 searches × 50 % × $0.00364 ≈ $6.0B per year (FACTS claim 5)")
  func morganStanley() throws {
    let bill = try servingBill(queriesPerYear: 3.3e12, share: 0.5, usdPerQuery: 0.00364)
    #expect(
      isClose(bill.usdPerYear, 6.0e9, rel: 0.005),
      Comment(rawValue: closeness(bill.usdPerYear, 6e9)))
    #expect(isClose(bill.usdPerDay * 365, bill.usdPerYear, rel: 1e-12))
  }

  @Test("A 175B FP16 model at batch 1 costs inside Morgan Stanley's $0.0022–$0.022 per query")
  func gpt35ClassPerQuery() throws {
    // Assumptions (stated): 5 × A100-80GB at $3/h (Goldstein's Azure figure, FACTS §E2), 70 prompt
    // tokens, 50-word answers ≈ 67 tokens (0.75 words per token, an assumption), batch 1,
    // default efficiencies. KV cache excluded (no architecture given).
    var a = InferenceAssumptions.standard
    a.priceUSDPerHour = 3
    let w = try InferenceWorkload(promptTokens: 70, outputTokens: 67, batch: 1)
    let e = try estimateInference(
      model: ModelShape(params: 175e9), format: WeightFormat(.fp16), accelerator: Fixture.a100,
      workload: w, assumptions: a)
    let perQuery = try #require(e.usdPerQuery)
    #expect(perQuery > 0.0022 && perQuery < 0.022, "got \(perQuery)")
    // Independent arithmetic: 67 × 350 GB/(5 × 2.039 TB/s × 0.6) + 70 × 350 GFLOP/(5 × 312 T × 0.5)
    let seconds = 67 * 350e9 / (5 * 2.039e12 * 0.6) + 70 * 350e9 / (5 * 312e12 * 0.5)
    #expect(isClose(perQuery, seconds * 5 * 3 / 3600, rel: 1e-9))
  }

  @Test("MoE: memory from total parameters, bytes read and FLOPs from active parameters")
  func mixtureOfExperts() throws {
    let m = try ModelShape(params: 400e9, activeParams: 100e9)
    let w = try InferenceWorkload(promptTokens: 1, outputTokens: 1, batch: 1)
    let e = try estimateInference(
      model: m, format: WeightFormat(.fp8), accelerator: Fixture.h100, workload: w,
      assumptions: Fixture.ideal)
    #expect(e.weightsBytes == 400e9)
    #expect(e.acceleratorsToHold == 5)
    #expect(e.prefillFLOPsPerToken == 2 * 100e9)
    #expect(isClose(e.decodeMemoryMsPerStep, 100e9 / (5 * 3.35e12) * 1e3, rel: 1e-12))
  }

  @Test("Bad input is one sentence: zero batch, negative tokens, unknown precision, no room")
  func badInput() throws {
    #expect(throws: InferenceError.self) {
      _ = try InferenceWorkload(promptTokens: 10, outputTokens: 10, batch: 0)
    }
    #expect(throws: InferenceError.self) {
      _ = try InferenceWorkload(promptTokens: -1, outputTokens: 10, batch: 1)
    }
    do {
      _ = try WeightFormat.parse("int2")
      Issue.record("int2 should be rejected")
    } catch let e as InferenceError {
      #expect(e.description.contains("int2"))
      #expect(e.description.filter { $0 == "." }.count <= 2)
    }
    let w = try InferenceWorkload(promptTokens: 10, outputTokens: 10, batch: 1)
    #expect(throws: InferenceError.self) {
      _ = try estimateInference(
        model: ModelShape(params: 175e9), format: WeightFormat(.fp16), accelerator: Fixture.a100,
        workload: w, acceleratorsPerReplica: 1)
    }
    #expect(throws: InferenceError.self) { _ = try ModelShape(params: -7e9) }
    #expect(throws: InferenceError.self) { _ = try WeightFormat(bits: 0) }
  }

  @Test("Epoch's ≈ 0.3 Wh per GPT-4o query: 100B active, 500 output tokens, H100 at 10 %")
  func epochEnergyPerQuery() throws {
    // FACTS §E2: 2 × 100e9 × 500 = 1e14 FLOP at 989 TFLOP/s × 10 % ≈ 1.0 GPU-s; 1,275 W × 0.7 ×
    // PUE 1.2 = 1,071 W → 0.30 Wh. A large batch makes decode compute-bound, as Epoch assumes.
    var a = InferenceAssumptions.standard
    a.decodeMFU = 0.1
    a.pue = 1.2
    a.wattsPerAccelerator = 1275 * 0.7
    let w = try InferenceWorkload(promptTokens: 0, outputTokens: 500, batch: 512)
    let e = try estimateInference(
      model: ModelShape(params: 400e9, activeParams: 100e9), format: WeightFormat(.bf16),
      accelerator: Fixture.h100, workload: w, assumptions: a)
    #expect(e.decodeBound == "compute")
    let wh = try #require(e.energyWhPerQuery)
    #expect(isClose(wh, 0.30, rel: 0.02), Comment(rawValue: closeness(wh, 0.30)))
  }

  @Test("--bits 5 stores 0.625 bytes per parameter and computes at the 16-bit rate")
  func customBits() throws {
    let f = try WeightFormat(bits: 5)
    #expect(f.computePrecision(on: Fixture.h100) == .bf16)
    #expect(WeightFormat(.fp8).computePrecision(on: Fixture.h100) == .fp8)
    #expect(WeightFormat(.fp8).computePrecision(on: Fixture.a100) == .bf16)
    let e = try estimateInference(
      model: ModelShape(params: 8e9), format: f, accelerator: Fixture.h100,
      workload: InferenceWorkload(promptTokens: 1, outputTokens: 1, batch: 1))
    #expect(e.weightsBytes == 5e9)
  }
}
