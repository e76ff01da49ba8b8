// Plans from two fixed quantities (`planPair`), cluster windows and the days a budget buys, and
// DeepSeek LLM's learning-rate and batch-size laws. Every expected value is arithmetic done here:
// C = 6·N·D, the law L = E + A/N^α + B/D^β with the constants typed below (Hoffmann et al. 2022
// App. D.2, rounded), its compute-optimal split N* = G·(C/6)^(β/(α+β)) written out again, and the
// DeepSeek formulas evaluated by hand (stated to 6 significant figures).

import Fitting
import Foundation
import Planner
import TestSupport
import Testing

/// Hoffmann et al. 2022's rounded Approach 3 constants.
private let chinchilla = ParametricLaw(E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28)

private func lawPreset(_ id: String, _ law: ScalingLaw) -> LawPreset {
  LawPreset(
    id: id, law: law,
    provenance: LawProvenance(paper: "test", location: "-", date: "-", source: "-", notes: "-"))
}

private let hoffmann = lawPreset("hoffmann-test", .parametric(chinchilla))

/// L(N, D) written out independently of `ParametricLaw.loss`.
private func lossByHand(_ n: Double, _ d: Double) -> Double {
  1.69 + 406.4 / pow(n, 0.34) + 410.7 / pow(d, 0.28)
}

/// The compute-optimal split of `c`, written out independently of `computeOptimal`.
private func optimumByHand(_ c: Double) -> (n: Double, d: Double) {
  let g = pow(0.34 * 406.4 / (0.28 * 410.7), 1 / (0.34 + 0.28))
  return (g * pow(c / 6, 0.28 / 0.62), pow(c / 6, 0.34 / 0.62) / g)
}

@Suite("Pair plans: two fixed quantities fix the run")
struct PairPlanTests {
  @Test("C + N → D = C/(6N); loss and penalty equal the law evaluated here (1e-12)")
  func computeParams() throws {
    let plan = try planPair(.computeParams(compute: 1e24, params: 30e9), preset: hoffmann)
    let d = 1e24 / (6 * 30e9)
    #expect(isClose(plan.tokens, d, rel: 1e-12), "\(plan.tokens)")
    #expect(plan.params == 30e9 && plan.computeFLOPs == 1e24)
    let loss = try #require(plan.loss)
    #expect(isClose(loss, lossByHand(30e9, d), rel: 1e-12), "\(loss)")
    let opt = optimumByHand(1e24)
    let comparison = try #require(plan.comparison)
    #expect(isClose(comparison.params, opt.n, rel: 1e-9), "\(comparison.params) vs \(opt.n)")
    #expect(isClose(comparison.tokens, opt.d, rel: 1e-9))
    let penalty = try #require(comparison.lossPenalty)
    #expect(abs(penalty - (lossByHand(30e9, d) - lossByHand(opt.n, opt.d))) < 1e-12)
    #expect(penalty > 0, "a split off the optimum loses: \(penalty)")
  }

  @Test("C + D → N = C/(6D); the compute-optimal pair itself has no penalty (1e-9)")
  func computeTokens() throws {
    let plan = try planPair(.computeTokens(compute: 5.76e23, tokens: 1.4e12), preset: hoffmann)
    #expect(isClose(plan.params, 5.76e23 / (6 * 1.4e12), rel: 1e-12))
    #expect(isClose(plan.loss ?? 0, lossByHand(plan.params, 1.4e12), rel: 1e-12))
    let opt = optimumByHand(5.76e23)
    let onOptimum = try planPair(.computeTokens(compute: 5.76e23, tokens: opt.d), preset: hoffmann)
    #expect(isClose(onOptimum.params, opt.n, rel: 1e-9))
    #expect(abs(onOptimum.comparison?.lossPenalty ?? 1) < 1e-9)
  }

  @Test("N + D → C = 6ND and the loss of (N, D) (1e-12)")
  func paramsTokens() throws {
    let plan = try planPair(.paramsTokens(params: 70e9, tokens: 1.4e12), preset: hoffmann)
    #expect(isClose(plan.computeFLOPs, 6 * 70e9 * 1.4e12, rel: 1e-12))
    #expect(isClose(plan.loss ?? 0, lossByHand(70e9, 1.4e12), rel: 1e-12))
  }

  @Test("N + L → D round-trips: L(N, D) = L (1e-12) and D = (B/(L − E − A/N^α))^(1/β)")
  func paramsLoss() throws {
    let plan = try planPair(.paramsLoss(params: 7e9, loss: 1.95), preset: hoffmann)
    let d = pow(410.7 / (1.95 - 1.69 - 406.4 / pow(7e9, 0.34)), 1 / 0.28)
    #expect(isClose(plan.tokens, d, rel: 1e-12), "\(plan.tokens) vs \(d)")
    #expect(abs(lossByHand(7e9, plan.tokens) - 1.95) < 1e-12)
    #expect(isClose(plan.computeFLOPs, 6 * 7e9 * d, rel: 1e-12))
  }

  @Test("D + L → N round-trips: L(N, D) = L (1e-12)")
  func tokensLoss() throws {
    let plan = try planPair(.tokensLoss(tokens: 2e12, loss: 1.95), preset: hoffmann)
    let n = pow(406.4 / (1.95 - 1.69 - 410.7 / pow(2e12, 0.28)), 1 / 0.34)
    #expect(isClose(plan.params, n, rel: 1e-12))
    #expect(abs(lossByHand(plan.params, 2e12) - 1.95) < 1e-12)
  }

  @Test("A target at or below E + A/N^α (or E + B/D^β) is refused with the floor")
  func unreachable() throws {
    let floor = 1.69 + 406.4 / pow(7e9, 0.34)
    for target in [floor, floor - 0.01, 1.5] {
      #expect(throws: PairError.self) {
        _ = try planPair(.paramsLoss(params: 7e9, loss: target), preset: hoffmann)
      }
    }
    do {
      _ = try planPair(.paramsLoss(params: 7e9, loss: 1.8), preset: hoffmann)
      Issue.record("1.8 is below the floor \(floor) for 7B")
    } catch let error as PairError {
      #expect(error.description.contains(Format.fixed(floor, decimals: 4)), "\(error)")
      #expect(error.description.contains("E + A/N^α"))
    }
    let dFloor = 1.69 + 410.7 / pow(1e12, 0.28)
    #expect(throws: PairError.self) {
      _ = try planPair(.tokensLoss(tokens: 1e12, loss: dFloor), preset: hoffmann)
    }
  }

  @Test("A loss pair under an allocation-only law asks for a parametric law")
  func allocationOnly() throws {
    let llama = lawPreset(
      "alloc", .allocation(AllocationLaw(paramsExponent: 0.5, anchorFLOPs: 1e24, anchorParams: 1e11)))
    #expect(throws: PairError.needsParametric(law: "alloc")) {
      _ = try planPair(.paramsLoss(params: 7e9, loss: 2), preset: llama)
    }
    let plan = try planPair(.computeParams(compute: 1e24, params: 5e10), preset: llama)
    #expect(plan.loss == nil && plan.comparison?.lossPenalty == nil)
    #expect(isClose(plan.comparison?.params ?? 0, 1e11, rel: 1e-12))
  }

  @Test("Explanation names each formula with its source")
  func explanation() throws {
    let plan = try planPair(.computeParams(compute: 1e24, params: 30e9), preset: hoffmann)
    let steps = plan.explanation.steps
    #expect(steps.contains { $0.formula == "D = C / (6·N)" && $0.source.contains("Kaplan") })
    #expect(steps.contains { $0.quantity.contains("loss penalty") && $0.source.contains("eq. 2") })
    let loss = try planPair(.paramsLoss(params: 7e9, loss: 1.95), preset: hoffmann)
    #expect(loss.explanation.steps.contains { $0.formula.hasPrefix("D = (B / (L − E − A/N^α))") })
  }
}

@Suite("Cluster windows and the days a budget buys")
struct ClusterWindowTests {
  let h100 = TrainingSetup(acceleratorName: "h100 bf16", peakFLOPS: 989.4e12, mfu: 0.4, pricePerHour: 2.49)

  @Test("C = G × peak × MFU × seconds (512 H100 for 30 days at MFU 0.4; 1e-12)")
  func window() throws {
    let w = try computeForWindow(accelerators: 512, hours: 30 * 24, setup: h100)
    #expect(isClose(w.flops, 512 * 989.4e12 * 0.4 * 30 * 86_400, rel: 1e-12), "\(w.flops)")
    #expect(w.days == 30 && w.acceleratorHours == 512 * 720)
    // Costing the window's compute gives back its accelerator-hours.
    let cost = try estimateTrainingCost(flops: w.flops, setup: h100)
    #expect(isClose(cost.acceleratorHours, 512 * 720, rel: 1e-12))
  }

  @Test("Budget with --gpus: T = $ / (G × $/h) / 24 days, and the same compute as the budget")
  func budgetDays() throws {
    let w = try windowForBudget(dollars: 1e6, accelerators: 64, setup: h100)
    #expect(isClose(w.days, 1e6 / (64 * 2.49) / 24, rel: 1e-12), "\(w.days)")
    let bought = try computeForBudget(dollars: 1e6, setup: h100)
    #expect(isClose(w.flops, bought.flops, rel: 1e-12))
  }
}

@Suite("DeepSeek LLM hyperparameter laws (Bi et al. 2024 §3.1)")
struct DeepSeekHyperparameterTests {
  @Test(
    "η = 0.3118·C^−0.125 and B = 0.2920·C^0.3271 at C = 1e20 and 1e24 against hand values (1e-5)",
    arguments: [
      // C = 1e20: C^−0.125 = 10^−2.5 = 3.162278e-3; C^0.3271 = 10^6.542 = 3.483373e6.
      (1e20, 0.3118 * 3.162278e-3, 0.2920 * 3.483373e6),
      // C = 1e24: C^−0.125 = 10^−3; C^0.3271 = 10^7.8504 = 7.085981e7.
      (1e24, 3.118e-4, 0.2920 * 7.085981e7),
    ])
  func formulas(_ c: Double, _ lr: Double, _ batch: Double) {
    let h = RunHyperparameters(flops: c)
    #expect(isClose(h.learningRate, lr, rel: 1e-5), "\(h.learningRate) vs \(lr)")
    #expect(isClose(h.batchTokens, batch, rel: 1e-5), "\(h.batchTokens) vs \(batch)")
  }

  @Test("Inside 1e17–2e19 FLOPs no warning; outside (1e16, 1e20, 1e24) a warning naming the range")
  func range() {
    for c in [1e17, 1e18, 2e19] { #expect(RunHyperparameters(flops: c).rangeWarning == nil, "\(c)") }
    for c in [1e16, 1e20, 1e24] {
      let w = RunHyperparameters(flops: c).rangeWarning ?? ""
      #expect(w.contains("1e17") && w.contains("2e19") && w.contains("§3.1"), "\(c): \(w)")
    }
    let steps = RunHyperparameters(flops: 1e22).steps
    #expect(steps.map(\.formula) == ["η_opt = 0.3118 · C^−0.1250", "B_opt = 0.2920 · C^0.3271 (tokens)"])
    #expect(steps.allSatisfy { $0.source.contains("2401.02954") && $0.source.contains("§3.1") })
  }
}
