import Fitting
import Foundation
import TestSupport
import Testing

@Suite("Approach 3 on published data")
struct Approach3ReferenceTests {
  @Test(
    "Epoch's 240 Chinchilla points: the 4,500-start grid lands on the published grid optimum")
  func epochChinchilla() throws {
    let obs = try epochChinchillaObservations()
    #expect(obs.count == 240)
    let fit = try Approach3.fit(obs, grid: .hoffmann)
    #expect(fit.starts == 4_500)
    // Plain Huber-loss grid search, data/reference/README.md (Epoch notebook) and the scipy
    // peer (data/peer-benchmarks.csv, `fit` rows): E = 1.8172, A = 477.84, B = 2143.86, α = 0.34731,
    // β = 0.36718, objective 1.01827e-3. Tolerances cover the digits published (scipy's own
    // B is 2143.4, 0.02 % below the README's).
    let p = fit.parameters
    #expect(isClose(p.E, 1.8172, rel: 1e-4), Comment(rawValue: closeness(p.E, 1.8172, "E")))
    #expect(
      isClose(p.alpha, 0.34731, rel: 1e-4), Comment(rawValue: closeness(p.alpha, 0.34731, "α")))
    #expect(isClose(p.beta, 0.36718, rel: 1e-4), Comment(rawValue: closeness(p.beta, 0.36718, "β")))
    #expect(isClose(p.A, 477.84, rel: 1e-3), Comment(rawValue: closeness(p.A, 477.84, "A")))
    #expect(isClose(p.B, 2143.86, rel: 1e-3), Comment(rawValue: closeness(p.B, 2143.86, "B")))
    #expect(
      isClose(fit.objective, 1.01827e-3, rel: 1e-5),
      Comment(rawValue: closeness(fit.objective, 1.01827e-3, "objective")))
    // a = β/(α+β) from the published grid values: 0.36718 / 0.71449 = 0.51391 (Besiroglu et al. 2024
    // quotes 0.513 for Epoch's MLE variant).
    #expect(abs(fit.paramsExponent - 0.51391) < 1e-4, "a = \(fit.paramsExponent)")
  }

  @Test(
    "Sardana et al.'s 47 MPT runs: the grid fit matches the recorded check value")
  func sardana() throws {
    let obs = try sardanaObservations()
    #expect(obs.count == 47)
    let fit = try Approach3.fit(obs, grid: .hoffmann)
    // data/reference/README.md (computed with L-BFGS-B, 4,500 starts, not published): A = 33.73,
    // B = 141.73, E = 1.4563, α = 0.1759, β = 0.2347, objective 6.20e-4.
    // The objective matches to the digits given. The parameters lie in a flat valley: refining the
    // README's point with the same tight L-BFGS stops at 6.19986e-4, while the grid reaches
    // 6.19984e-4 at E = 1.4630, A = 35.39, B = 133.0, α = 0.1788, β = 0.2316 (measured here).
    // So the parameters are checked to the valley's width (E 0.6 %, α and β 0.005, A and B 7 %),
    // and the grid optimum must be at least as good as the README's point refined.
    #expect(
      abs(fit.objective - 6.20e-4) <= 0.005e-4,
      Comment(rawValue: closeness(fit.objective, 6.2e-4, "objective")))
    let readme = ParametricLaw(E: 1.4563, A: 33.73, B: 141.73, alpha: 0.1759, beta: 0.2347)
    let refined = try Approach3.fit(obs, from: readme)
    #expect(fit.objective <= refined.objective)
    let p = fit.parameters
    #expect(isClose(p.E, 1.4563, rel: 0.006), Comment(rawValue: closeness(p.E, 1.4563, "E")))
    #expect(abs(p.alpha - 0.1759) <= 0.005, Comment(rawValue: closeness(p.alpha, 0.1759, "α")))
    #expect(abs(p.beta - 0.2347) <= 0.005, Comment(rawValue: closeness(p.beta, 0.2347, "β")))
    #expect(isClose(p.A, 33.73, rel: 0.07), Comment(rawValue: closeness(p.A, 33.73, "A")))
    #expect(isClose(p.B, 141.73, rel: 0.07), Comment(rawValue: closeness(p.B, 141.73, "B")))
  }

  @Test(
    "The winning start and its result do not depend on the thread count")
  func threadIndependence() throws {
    let obs = try epochChinchillaObservations()
    let one = try Approach3.fit(obs, grid: .coarse, threads: 1)
    let three = try Approach3.fit(obs, grid: .coarse, threads: 3)
    #expect(one.bestStart == three.bestStart)
    #expect(one.theta == three.theta)
    #expect(one.objective == three.objective)
  }
}

@Suite("Approach 3 on synthetic data")
struct Approach3SyntheticTests {
  @Test("Recovery: 200 runs from Chinchilla's law with 1% noise")
  func recovery() throws {
    let truth = chinchillaRounded
    let obs = syntheticRuns(truth, count: 200, seed: 1, noise: 0.01)
    let fit = try Approach3.fit(obs, grid: .coarse)
    // Independent check that the grid found the optimum: a start at the truth does no better.
    let fromTruth = try Approach3.fit(obs, from: truth)
    #expect(fit.objective <= fromTruth.objective * (1 + 1e-9))
    // Tolerances: E within 1 %, α and β within 0.02, a = β/(α+β) within 0.02. A and B only within
    // 35 %: log A trades off against α (δA/A ≈ δα·log N ≈ 0.01·20), as the scipy peer's synthetic
    // check also shows (scipy L-BFGS-B on 250 synthetic points).
    let p = fit.parameters
    #expect(isClose(p.E, truth.E, rel: 0.01), Comment(rawValue: closeness(p.E, truth.E, "E")))
    #expect(abs(p.alpha - truth.alpha) < 0.02, "α = \(p.alpha)")
    #expect(abs(p.beta - truth.beta) < 0.02, "β = \(p.beta)")
    #expect(abs(p.paramsExponent - truth.paramsExponent) < 0.02, "a = \(p.paramsExponent)")
    #expect(isClose(p.A, truth.A, rel: 0.35), Comment(rawValue: closeness(p.A, truth.A, "A")))
    #expect(isClose(p.B, truth.B, rel: 0.35), Comment(rawValue: closeness(p.B, truth.B, "B")))
    #expect(fit.residuals.count == 200)
  }

  @Test("Fixed E recovers the other four parameters")
  func fixedE() throws {
    let truth = chinchillaRounded
    let obs = syntheticRuns(truth, count: 120, seed: 2, noise: 0.01)
    let fit = try Approach3.fit(obs, grid: .coarse, fixedE: truth.E)
    #expect(fit.parameters.E == truth.E)
    #expect(fit.starts == 81)
    #expect(abs(fit.parameters.alpha - truth.alpha) < 0.02)
    #expect(abs(fit.parameters.beta - truth.beta) < 0.02)
  }

  @Test("A fixed E at or above the lowest loss is refused with a sentence, not fitted to nonsense")
  func fixedEAboveTheData() throws {
    let obs = syntheticRuns(chinchillaRounded, count: 20, seed: 3, noise: 0.01)
    let lowest = try #require(obs.map(\.loss).min())
    for e in [lowest, 64.0] {
      do {
        _ = try Approach3.fit(obs, grid: .coarse, fixedE: e)
        Issue.record("E = \(e) was fitted")
      } catch let error as FitError {
        #expect(error.description.contains("not below the lowest loss"), "\(error)")
      }
    }
  }

  @Test("Allocation follows Hoffmann eq. 4: N*·D* = C/6 and N* ∝ C^a")
  func allocation() {
    let law = chinchillaRounded
    let c = 5.76e23
    let opt = law.computeOptimal(flops: c)
    #expect(isClose(6 * opt.params * opt.tokens, c, rel: 1e-12))
    let opt10 = law.computeOptimal(flops: 10 * c)
    #expect(isClose(opt10.params / opt.params, pow(10, law.paramsExponent), rel: 1e-12))
    // Hoffmann et al. 2022 App. D.2's rounded law gives 32.2B parameters and 2.98T tokens at 5.76e23 FLOP.
    #expect(
      isClose(opt.params, 32.2e9, rel: 0.005),
      Comment(rawValue: closeness(opt.params, 32.2e9, "N*")))
    #expect(
      isClose(opt.tokens, 2.98e12, rel: 0.005),
      Comment(rawValue: closeness(opt.tokens, 2.98e12, "D*")))
    // …and at the optimum no nearby split of the same compute has lower predicted loss.
    let best = law.loss(params: opt.params, tokens: opt.tokens)
    for f in [0.9, 1.1] {
      #expect(law.loss(params: opt.params * f, tokens: opt.tokens / f) > best)
    }
  }

  @Test("Coverage: 95% bootstrap intervals contain the truth in ≥ 90% of 40 seeded trials")
  func coverage() throws {
    let truth = chinchillaRounded
    var covered = [String: Int]()
    let trials = 40
    for trial in 0..<trials {
      let obs = syntheticRuns(truth, count: 60, seed: UInt64(1000 + trial), noise: 0.02)
      let fit = try Approach3.fit(obs, grid: .coarse)
      // The reduced grid must still reach the optimum: a start at the truth does no better.
      let fromTruth = try Approach3.fit(obs, from: truth)
      #expect(fit.objective <= fromTruth.objective * (1 + 1e-9), "trial \(trial)")
      let boot = try Bootstrap.run(obs, fit: fit, resamples: 200, seed: UInt64(trial))
      let truths = [
        "E": truth.E, "A": truth.A, "B": truth.B, "alpha": truth.alpha, "beta": truth.beta,
        "a": truth.paramsExponent,
      ]
      for (name, value) in truths {
        if let (lo, hi) = boot.interval(name), lo <= value && value <= hi {
          covered[name, default: 0] += 1
        }
      }
    }
    for name in ["E", "A", "B", "alpha", "beta", "a"] {
      #expect(covered[name, default: 0] >= 36, "\(name) covered in \(covered[name, default: 0])/40")
    }
  }
}
