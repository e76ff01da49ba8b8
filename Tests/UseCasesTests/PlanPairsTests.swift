// `Engine.plan` with two fixed inputs, a cluster window, a budget on a cluster, and the run's
// hyperparameters; each checked against arithmetic done here from the request and the catalog's
// own rows (law constants, the H100's bf16 peak, its price), plus every conflict's sentence, the
// JSON keys that carry the new figures and the explanation steps that show their formulas.

import Catalog
import Foundation
import Planner
import TestSupport
import Testing
import UseCases

/// The sentence a request is refused with, or nil when it is answered.
private func refusal(_ request: PlanRequest) -> String? {
  do {
    _ = try Engine().plan(request)
    return nil
  } catch {
    return "\(error)"
  }
}

/// The result's JSON as `--json` prints it.
private func jsonObject(_ result: PlanResult) throws -> [String: Any] {
  let data = try Engine.jsonEncoder().encode(result.withoutExplanation())
  return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

@Suite("plan: pairs, cluster windows, hyperparameters")
struct PlanPairsTests {
  let engine = Engine()

  @Test("--compute 1e24 --params 30B: D = C/(6N); loss = E + A/N^α + B/D^β from the catalog row")
  func computeParams() throws {
    let r = try engine.plan(PlanRequest(compute: 1e24, params: 30e9, law: "hoffmann2022"))
    let row = try #require(r.rows.first)
    let d = 1e24 / (6 * 30e9)
    #expect(isClose(row.tokens, d, rel: 1e-12))
    guard case .parametric(let p) = try engine.law(named: "hoffmann2022").law else {
      Issue.record("hoffmann2022 is parametric")
      return
    }
    let loss = p.E + p.A / pow(30e9, p.alpha) + p.B / pow(d, p.beta)
    #expect(isClose(row.loss ?? 0, loss, rel: 1e-12), "\(row.loss ?? 0) vs \(loss)")
    let o = try #require(row.computeOptimal)
    let optimal = p.E + p.A / pow(o.params, p.alpha) + p.B / pow(o.tokens, p.beta)
    #expect(abs((o.lossPenalty ?? 0) - (loss - optimal)) < 1e-12)
    #expect(isClose(6 * o.params * o.tokens, 1e24, rel: 1e-9), "the optimum spends the same C")
    #expect(row.fixed == ["compute", "params"])
  }

  @Test("--params 7B --target-loss 1.95 round-trips; --tokens 2T --target-loss 1.95 too (1e-12)")
  func lossPairs() throws {
    let a = try #require(
      try engine.plan(PlanRequest(params: 7e9, targetLoss: 1.95, law: "hoffmann2022")).rows.first)
    let b = try #require(
      try engine.plan(PlanRequest(tokens: 2e12, targetLoss: 1.95, law: "hoffmann2022")).rows.first)
    #expect(abs((a.loss ?? 0) - 1.95) < 1e-12 && abs((b.loss ?? 0) - 1.95) < 1e-12)
    #expect(a.params == 7e9 && b.tokens == 2e12)
    #expect(isClose(a.computeFLOPs, 6 * a.params * a.tokens, rel: 1e-12))
    let nd = try #require(
      try engine.plan(PlanRequest(params: 7e9, tokens: a.tokens, law: "hoffmann2022")).rows.first)
    #expect(isClose(nd.loss ?? 0, 1.95, rel: 1e-12), "N + D gives back the loss N + L planned")
  }

  @Test("--gpus 512 --days 30 --gpu h100: C = G × peak × MFU × seconds from the catalog's h100 row")
  func clusterWindow() throws {
    let h100 = try engine.catalog().accelerator("h100")
    let peak = try #require(h100.peakTFLOPS[.bf16]) * 1e12
    let r = try engine.plan(PlanRequest(gpu: "h100", gpus: 512, days: 30))
    let expected = 512 * peak * PlanDefaults.mfu * 30 * 86_400
    let row = try #require(r.rows.first)
    #expect(isClose(row.computeFLOPs, expected, rel: 1e-12), "\(row.computeFLOPs) vs \(expected)")
    let w = try #require(r.window)
    #expect(w.accelerators == 512 && w.days == 30 && w.from == "--days")
    #expect(isClose(row.wallClockDays ?? 0, 30, rel: 1e-12), "the plan fills the window")
    let hours = try engine.plan(PlanRequest(gpu: "h100", gpus: 512, hours: 720))
    #expect(isClose(hours.rows.first?.computeFLOPs ?? 0, expected, rel: 1e-12))
    // The window's optimal model is the compute-optimal model of its compute.
    let direct = try engine.plan(PlanRequest(compute: expected))
    #expect(isClose(row.params, direct.rows.first?.params ?? 0, rel: 1e-12))
  }

  @Test("--budget $1M --gpus 64 --gpu h100: days = $ / (G × $/h) / 24 with the catalog price")
  func budgetOnCluster() throws {
    let price = try #require(try engine.catalog().accelerator("h100").priceUSDPerHour)
    let r = try engine.plan(PlanRequest(budget: 1e6, gpu: "h100", gpus: 64))
    let w = try #require(r.window)
    #expect(isClose(w.days, 1e6 / (64 * price) / 24, rel: 1e-12), "\(w.days)")
    #expect(w.from == "--budget")
    #expect(isClose(r.rows.first?.wallClockDays ?? 0, w.days, rel: 1e-12))
  }

  @Test("Hyperparameters: η and B of DeepSeek LLM at the planned compute, with a range warning")
  func hyperparameters() throws {
    let r = try engine.plan(PlanRequest(compute: 1e24))
    let h = try #require(r.rows.first?.hyperparameters)
    // Hand values: 0.3118 × 10^−3 and 0.2920 × 10^7.8504 = 0.2920 × 7.085981e7 (1e-5).
    #expect(isClose(h.learningRate, 3.118e-4, rel: 1e-5))
    #expect(isClose(h.batchTokens, 0.2920 * 7.085981e7, rel: 1e-5))
    #expect(r.warnings.contains { $0.contains("1e17") && $0.contains("2e19") })
    let small = try engine.plan(PlanRequest(compute: 1e19))
    #expect(small.rows.first?.hyperparameters?.withinFittedRange == true)
    #expect(!small.warnings.contains { $0.contains("DeepSeek") })
  }

  static let conflicts: [(PlanRequest, String)] = [
    (PlanRequest(compute: 1e24, budget: 1e6, gpu: "h100"), "--compute and --budget both fix"),
    (PlanRequest(budget: 1e6, gpu: "h100", gpus: 8, days: 3), "--budget and --gpus with --days"),
    (PlanRequest(compute: 1e24, gpu: "h100", gpus: 8, hours: 3), "--compute and --gpus with --hours"),
    (PlanRequest(compute: 1e24, params: 3e10, tokens: 1e12), "--compute, --params and --tokens over-determine"),
    (PlanRequest(params: 7e9, tokens: 1e12, targetLoss: 2), "--params, --tokens and --target-loss over-determine"),
    (PlanRequest(compute: 1e24, targetLoss: 2), "--target-loss with --compute over-determines"),
    (PlanRequest(gpu: "h100", gpus: 8, days: 3, hours: 4), "--days or --hours"),
    (PlanRequest(gpu: "h100", days: 3), "need --gpus"),
    (PlanRequest(days: 3), "need --gpu"),
    (PlanRequest(gpu: "h100", gpus: 8), "Give one of"),
    (PlanRequest(gpu: "h100", gpus: 8, days: 40_000), "--days must be at most 36525"),
    (PlanRequest(gpu: "h100", gpus: 8, hours: 1e7), "--hours must be at most 876600"),
    (PlanRequest(gpu: "h100", gpus: 200_000_000, days: 3), "--gpus must be at most"),
    (PlanRequest(params: 7e9, targetLoss: 1.8, law: "hoffmann2022"), "out of reach with N = 7B"),
    (PlanRequest(params: 7e9, targetLoss: 2, law: "llama3"), "needs a parametric law"),
    (PlanRequest(compute: 1e10, tokens: 1e17), "imply parameters N"),
    (PlanRequest(params: 7e9, targetLoss: 2, inferenceTokens: 2e12), "--target-loss alone; drop --params"),
  ]

  @Test("Each conflict or missing partner is refused with one sentence naming it")
  func refusals() {
    for (request, fragment) in Self.conflicts {
      let sentence = refusal(request)
      #expect(sentence?.contains(fragment) == true, "\(request): \(sentence ?? "answered")")
      #expect(sentence?.hasSuffix(".") == true, "\(sentence ?? "")")
    }
  }

  @Test("--json carries each new figure: fixed, compute_optimal, hyperparameters, cluster_window")
  func json() throws {
    let pair = try jsonObject(try engine.plan(PlanRequest(compute: 1e24, params: 30e9)))
    #expect(pair["fixed"] as? [String] == ["compute", "params"])
    let o = try #require(pair["compute_optimal"] as? [String: Any])
    for key in ["params", "tokens", "loss", "loss_penalty"] { #expect(o[key] is Double, "\(key)") }
    let h = try #require(pair["hyperparameters"] as? [String: Any])
    for key in ["learning_rate", "batch_tokens", "compute_flops"] { #expect(h[key] is Double, "\(key)") }
    #expect(h["within_fitted_range"] as? Bool == false)
    #expect(h["fitted_range"] as? [Double] == [1e17, 2e19])
    #expect((h["source"] as? String)?.contains("2401.02954") == true)
    let window = try jsonObject(try engine.plan(PlanRequest(gpu: "h100", gpus: 512, days: 30)))
    let w = try #require(window["cluster_window"] as? [String: Any])
    #expect(w["accelerators"] as? Int == 512 && w["days"] as? Double == 30)
    #expect(w["compute_flops"] as? Double == window["compute_flops"] as? Double)
    // The web API answers the same JSON for the same request.
    let api = try engine.answer(
      useCase: "plan", request: Data(#"{"gpu": "h100", "gpus": 512, "days": 30}"#.utf8),
      explain: false)
    let viaAPI = try #require(try JSONSerialization.jsonObject(with: api) as? [String: Any])
    #expect((viaAPI["cluster_window"] as? [String: Any])?["days"] as? Double == 30)
  }

  @Test("--explain shows each new formula with its source")
  func explain() throws {
    let pair = try #require(try engine.plan(PlanRequest(compute: 1e24, params: 30e9)).explanation)
    let steps = pair.steps
    #expect(steps.contains { $0.formula == "D = C / (6·N)" && $0.source.contains("Hoffmann") })
    #expect(steps.contains { $0.quantity.contains("loss penalty") && $0.formula.contains("ΔL") })
    #expect(steps.contains { $0.formula == "η_opt = 0.3118 · C^−0.1250" && $0.source.contains("§3.1") })
    #expect(steps.contains { $0.formula.hasPrefix("B_opt = 0.2920 · C^0.3271") && $0.source.contains("2401.02954") })
    let window = try #require(try engine.plan(PlanRequest(gpu: "h100", gpus: 512, days: 30)).explanation)
    #expect(window.steps.first?.formula == "C = G × peak × MFU × T")
    #expect(window.steps.first?.source.contains("Chowdhery") == true)
    let budget = try #require(try engine.plan(PlanRequest(budget: 1e6, gpu: "h100", gpus: 64)).explanation)
    #expect(budget.steps.contains { $0.formula == "T = $ / (G × price) / 24" })
    let loss = try #require(
      try engine.plan(PlanRequest(tokens: 2e12, targetLoss: 1.95, law: "hoffmann2022")).explanation)
    #expect(loss.steps.contains { $0.formula.contains("Hoffmann eq. 2 solved for N") && $0.source.contains("eq. 2") })
  }

  @Test("--all-laws with a pair: one row per law that can answer, each with its penalty")
  func allLaws() throws {
    let r = try engine.plan(PlanRequest(compute: 1e24, params: 30e9, allLaws: true))
    #expect(r.rows.count > 3)
    for row in r.rows {
      #expect(isClose(row.tokens, 1e24 / (6 * 30e9), rel: 1e-12), "\(row.law)")
      #expect(row.loss == nil || (row.computeOptimal?.lossPenalty ?? -1) >= -1e-12, "\(row.law)")
    }
    let loss = try engine.plan(PlanRequest(params: 7e9, targetLoss: 2.0, allLaws: true))
    #expect(loss.rows.allSatisfy { abs(($0.loss ?? 0) - 2.0) < 1e-9 })
    #expect(!loss.rows.contains { $0.law == "llama3" || $0.law == "kaplan2020" })
  }

  @Test("--objective cost says on its method line which objective and formula it used")
  func objectiveMethod() throws {
    let cost = try engine.inferenceAwarePlan(
      PlanRequest(targetLoss: 2.1, gpu: "h100", inferenceTokens: 2e12, objective: "cost"))
    #expect(cost.method.hasPrefix("objective cost") && cost.method.contains("c_tr/U_tr"))
    #expect(!cost.method.contains("6·N·D + 2·N·T"))
    let flops = try engine.inferenceAwarePlan(PlanRequest(targetLoss: 2.1, inferenceTokens: 2e12))
    #expect(flops.method.hasPrefix("objective flops") && flops.method.contains("6·N·D + 2·N·T"))
  }
}
