// Sardana et al. 2024 ("Beyond Chinchilla-Optimal", arXiv 2401.00448) reproduced with their
// Chinchilla constants (α 0.336, β 0.283, A 406.4, B 410.7, E 1.69; repository utils.py):
// - paper/FACTS §D5: a 13B Chinchilla-optimal model with 2T inference tokens → a ~7B model trained
//   longer saves 1.7e22 FLOP (17 %);
// - repository README: loss 1.947, 2e12 inference tokens → N = 2.418e10, D = 2.657e12, 95.22 % of
//   the Chinchilla model's FLOPs;
// - repository README (cost_optimal.py): loss 1.947, 1e10 requests × (1000 in, 250 out), training
//   A100-80GB BF16 $1.40/h MFU 0.5, inference A100-40GB INT8 $0.60/h, prefill 0.4, decode 0.2 →
//   N = 2.053e10, D = 3.302e12, 88.76 % of the Chinchilla model's cost.

import Fitting
import Foundation
import Planner
import TestSupport
import Testing

@Suite("Inference-aware allocation")
struct InferenceAwareTests {
  let law = ParametricLaw.sardanaChinchilla

  @Test("Closed-form Chinchilla point for a loss agrees with Hoffmann eq. 4 at its compute")
  func chinchillaPointAgreesWithEq4() {
    let (n, d) = IsoLoss.chinchillaOptimal(law: law, loss: 2.0)
    #expect(isClose(law.loss(params: n, tokens: d), 2.0, rel: 1e-12))
    let eq4 = law.computeOptimal(flops: 6 * n * d)
    #expect(isClose(eq4.params, n, rel: 1e-9))
    #expect(isClose(eq4.tokens, d, rel: 1e-9))
  }

  @Test("13B with 2T inference tokens: a ~7B model saves 1.7e22 FLOP, 17 % (Sardana et al.)")
  func paperExample() throws {
    // The loss of the Chinchilla-optimal 13B model: ℓ = E + A(1 + α/β)/N^α.
    let loss = law.E + law.A * (1 + law.alpha / law.beta) / pow(13e9, law.alpha)
    let plan = try inferenceAwarePlan(targetLoss: loss, inferenceTokens: 2e12, law: law)
    #expect(isClose(plan.chinchillaOptimal.params, 13e9, rel: 1e-9))
    #expect(plan.optimal.params > 6.5e9 && plan.optimal.params < 7.5e9, "\(plan.optimal.params)")
    #expect(
      isClose(plan.savingFLOPs, 1.7e22, rel: 0.03),
      Comment(rawValue: closeness(plan.savingFLOPs, 1.7e22)))
    #expect(abs(plan.savingFLOPsFraction - 0.17) < 0.01, "\(plan.savingFLOPsFraction)")
    #expect(isClose(plan.optimal.loss, loss, rel: 1e-9))
  }

  @Test("Repository README: loss 1.947 with 2e12 tokens → 24.18B params, 2.657T tokens, 95.22 %")
  func readmeComputeExample() throws {
    let plan = try inferenceAwarePlan(targetLoss: 1.947, inferenceTokens: 2e12, law: law)
    #expect(
      isClose(plan.optimal.params, 2.418e10, rel: 5e-4),
      Comment(rawValue: closeness(plan.optimal.params, 2.418e10)))
    #expect(
      isClose(plan.optimal.tokens, 2.657e12, rel: 5e-4),
      Comment(rawValue: closeness(plan.optimal.tokens, 2.657e12)))
    let ratio = plan.optimal.totalFLOPs / plan.chinchillaOptimal.totalFLOPs
    #expect(abs(ratio - 0.9522) < 1e-4, "\(ratio)")
  }

  @Test("Repository README: cost objective → 20.53B params, 3.302T tokens, 88.76 % of the cost")
  func readmeCostExample() throws {
    // Peaks from the repository (cost_calculator.py): A100 BF16 3.12e14, INT8 6.24e14 FLOP/s.
    let cost = LifetimeCostModel(
      trainUSDPerFLOP: 1.40 / (3600 * 3.12e14), trainMFU: 0.5,
      inferenceUSDPerFLOP: 0.60 / (3600 * 6.24e14), prefillMFU: 0.4, decodeMFU: 0.2,
      inputFraction: 1000.0 / 1250.0)
    let plan = try inferenceAwarePlan(
      targetLoss: 1.947, inferenceTokens: 1e10 * 1250, law: law, cost: cost)
    #expect(
      isClose(plan.optimal.params, 2.053e10, rel: 5e-4),
      Comment(rawValue: closeness(plan.optimal.params, 2.053e10)))
    #expect(isClose(plan.optimal.tokens, 3.302e12, rel: 5e-4))
    let ratio =
      try #require(plan.optimal.totalCostUSD) / #require(plan.chinchillaOptimal.totalCostUSD)
    #expect(abs(ratio - 0.8876) < 1e-4, "\(ratio)")
  }

  @Test("Large demand: smaller model, more tokens, fewer total FLOPs; no demand: Chinchilla")
  func direction() throws {
    for t in [1e11, 1e12, 1e13, 1e14] {
      let plan = try inferenceAwarePlan(targetLoss: 2.1, inferenceTokens: t, law: law)
      #expect(plan.optimal.params < plan.chinchillaOptimal.params)
      #expect(plan.optimal.tokens > plan.chinchillaOptimal.tokens)
      #expect(plan.optimal.totalFLOPs < plan.chinchillaOptimal.totalFLOPs)
    }
    let none = try inferenceAwarePlan(targetLoss: 2.1, inferenceTokens: 0, law: law)
    #expect(isClose(none.optimal.params, none.chinchillaOptimal.params, rel: 1e-4))
    #expect(abs(none.savingFLOPsFraction) < 1e-8)
  }

  @Test("A target loss at or below E is rejected in one sentence")
  func unreachable() {
    do {
      _ = try inferenceAwarePlan(targetLoss: 1.5, inferenceTokens: 2e12, law: law)
      Issue.record("expected an error")
    } catch let e as InferenceError {
      #expect(e.description.contains("1.69"))
    } catch { Issue.record("wrong error \(error)") }
  }
}
