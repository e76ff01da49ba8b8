// `Engine.costInfer`: Llama 2 70B in int4 on an H100 (the README's example) against roofline
// arithmetic done here, the bill alone, the request's sentences, and JSON == `cost infer --json`.

import Foundation
import Planner
import TestSupport
import Testing
import UseCases

@Suite struct CostInferTests {
  let llama = CostInferRequest(
    model: CostModelSpec(model: "llama2-70b"), precision: .int4, gpu: "h100", prompt: 500,
    output: 200, batch: 32, queriesPerDay: 1e9, price: 2.5)

  @Test("Llama 2 70B int4: 35 GB of weights, memory-bound decode, $/1M output tokens by hand")
  func llama70() throws {
    let r = try Engine().costInfer(llama)
    let s = try #require(r.serving)
    // 70e9 params × 4 bits / 8 = 35 GB; KV per token 2 × 80 layers × 8 KV heads × 128 × 2 bytes.
    #expect(isClose(s.weightsBytes, 35e9, rel: 1e-12))
    let kv = 2.0 * 80 * 8 * 128 * 2
    #expect(s.kvCacheBytesPerToken == kv)
    // Decode step: (weights + 32 × KV × mean context 600) / (3.35 TB/s × 0.6) (H100 SXM datasheet;
    // bandwidth efficiency 0.6 from data/inference.csv).
    let step = (35e9 + 32 * kv * 600) / (3.35e12 * 0.6)
    #expect(isClose(s.decodeMsPerToken, step * 1e3, rel: 1e-9), "\(closeness(s.decodeMsPerToken, step * 1e3))")
    #expect(s.decodeBound == "memory")
    let perMillionOut = step / 32 * 2.5 / 3600 * 1e6  // ≈ $0.446
    #expect(isClose(s.usdPerMillionOutputTokens ?? 0, perMillionOut, rel: 1e-9))
    let bill = try #require(r.bill)
    #expect(isClose(bill.usdPerYear, (s.usdPerQuery ?? 0) * 1e9 * 365, rel: 1e-12))
    #expect(bill.queriesPerDay == 1e9 && bill.usdPerQuerySource == "estimated")
  }

  @Test("The bill alone: 3.3e12 × 0.5 × $0.00364 = $6.006B")
  func billOnly() throws {
    let r = try Engine().costInfer(
      CostInferRequest(queriesPerYear: 3.3e12, share: 0.5, usdPerQuery: 0.00364))
    #expect(r.serving == nil)
    #expect(isClose(r.bill?.usdPerYear ?? 0, 6.006e9, rel: 1e-12))
  }

  @Test(
    "Each contradiction gives its sentence",
    arguments: [
      (
        CostInferRequest(usdPerQuery: 0.01),
        "--usd-per-query needs --queries-per-year or --queries-per-day."
      ),
      (CostInferRequest(gpu: "h100"), "Give --model ID or --params N (e.g. --params 175B)."),
      (
        CostInferRequest(model: CostModelSpec(params: 7e9)),
        "Give --gpu ID (e.g. --gpu h100); see `scaleplan catalog`."
      ),
      (
        CostInferRequest(model: CostModelSpec(params: 7e9), precision: .int4, bits: 5, gpu: "h100"),
        "Give --precision or --bits, not both."
      ),
      (
        CostInferRequest(
          model: CostModelSpec(params: 7e9), gpu: "h100", queriesPerDay: 1, queriesPerYear: 1),
        "Give --queries-per-day or --queries-per-year, not both."
      ),
      (
        CostInferRequest(model: CostModelSpec(params: 7e9), gpu: "h100", batch: 0),
        "--batch must be greater than zero, got 0."
      ),
    ])
  func validation(_ c: (CostInferRequest, String)) throws {
    #expect(throws: RequestError.invalid(c.1)) { try c.0.validate() }
  }

  @Test(
    "Engine JSON equals `cost infer --json`",
    .enabled(if: builtScaleplanBinary() != nil, "scaleplan binary not built"))
  func jsonMatchesCLI() throws {
    let engine = try engineJSON(try Engine().costInfer(llama).withoutExplanation())
    let cli = try cliJSON([
      "cost", "infer", "--model", "llama2-70b", "--precision", "int4", "--gpu", "h100",
      "--prompt", "500", "--output", "200", "--batch", "32", "--queries-per-day", "1e9",
      "--price", "2.5",
    ])
    #expect(sameJSON(engine, cli).isEmpty, "\(sameJSON(engine, cli))")
    let bill = try engineJSON(
      try Engine().costInfer(
        CostInferRequest(queriesPerYear: 3.3e12, share: 0.5, usdPerQuery: 0.00364)
      ).withoutExplanation())
    let billCLI = try cliJSON([
      "cost", "infer", "--queries-per-year", "3.3T", "--share", "0.5", "--usd-per-query", "0.00364",
    ])
    #expect(sameJSON(bill, billCLI).isEmpty, "\(sameJSON(bill, billCLI))")
  }
}
