import Fitting
import Foundation
import Randomness
import TestSupport
import Testing

/// Runs of an isoFLOP sweep under a known law: at each budget, `sizes` log-spaced sizes from
/// N*/4 to 4·N*, D = C/(6N), loss from the law times exp(noise·ε).
func isoFLOPSweep(
  _ law: ParametricLaw, budgets: [Double], sizes: Int = 9, noise: Double = 0, seed: UInt64 = 3
) -> [(params: Double, compute: Double, loss: Double)] {
  var rng = Xoshiro256StarStar(seed: seed, xoringStream: 0)
  var out: [(Double, Double, Double)] = []
  for c in budgets {
    let center = law.computeOptimal(flops: c).params
    for k in 0..<sizes {
      let n = center * pow(16, Double(k) / Double(sizes - 1)) / 4
      let l = law.loss(params: n, tokens: c / (6 * n)) * exp(noise * rng.nextNormalMidpoint())
      out.append((n, c, l))
    }
  }
  return out
}

@Suite("Approach 2 (isoFLOP parabolas)")
struct IsoFLOPTests {
  @Test("Recovers a = β/(α+β) within 0.02 from isoFLOP profiles of a known law (0.3% noise)")
  func recovery() throws {
    let law = chinchillaRounded
    let runs = isoFLOPSweep(law, budgets: [1e18, 1e19, 1e20, 1e21, 1e22], noise: 0.003)
    let profiles = IsoFLOPFit.profiles(
      params: runs.map(\.params), compute: runs.map(\.compute), losses: runs.map(\.loss))
    #expect(profiles.count == 5)
    let fit = try IsoFLOPFit.fit(profiles)
    #expect(abs(fit.a - law.paramsExponent) < 0.02, "a = \(fit.a), truth \(law.paramsExponent)")
    #expect(abs(fit.b - law.tokensExponent) < 0.02, "b = \(fit.b), truth \(law.tokensExponent)")
    // D_opt = C/(6 N_opt) exactly, so the exponents sum to 1.
    #expect(abs(fit.a + fit.b - 1) < 1e-12)
  }

  @Test("Refuses a budget whose sizes all lie on one side of the optimum")
  func noInteriorMinimum() {
    let law = chinchillaRounded
    let c = 1e20
    let nStar = law.computeOptimal(flops: c).params
    let sizes = (1...5).map { nStar * Double($0 * 3) }  // all larger than N*
    let profile = IsoFLOPProfile(
      compute: c, params: sizes, losses: sizes.map { law.loss(params: $0, tokens: c / (6 * $0)) })
    #expect {
      try IsoFLOPFit.vertex(profile)
    } throws: { error in
      guard case FitError.isoFLOPNoInteriorMinimum = error else { return false }
      return "\(error)".contains("outside the sampled sizes")
    }
  }

  @Test("Refuses a budget with fewer than 3 sizes, and a concave profile")
  func tooFewAndConcave() {
    let two = IsoFLOPProfile(compute: 1e19, params: [1e8, 2e8], losses: [3, 2.9])
    #expect(throws: FitError.isoFLOPTooFewPoints(compute: 1e19, count: 2)) {
      try IsoFLOPFit.vertex(two)
    }
    let concave = IsoFLOPProfile(compute: 1e19, params: [1e8, 2e8, 4e8], losses: [3, 3.2, 3])
    #expect {
      try IsoFLOPFit.vertex(concave)
    } throws: { error in
      guard case FitError.isoFLOPNoInteriorMinimum = error else { return false }
      return "\(error)".contains("bends down")
    }
  }

  @Test("The vertex of an exact parabola is exact")
  func exactParabola() throws {
    // loss = 2 + 0.1·(log N − log 3e8)², minimum at N = 3e8.
    let ns = [1e8, 2e8, 5e8, 9e8]
    let profile = IsoFLOPProfile(
      compute: 1e19, params: ns, losses: ns.map { 2 + 0.1 * pow(log($0) - log(3e8), 2) })
    let v = try IsoFLOPFit.vertex(profile)
    #expect(isClose(v.params, 3e8, rel: 1e-9))
    #expect(isClose(v.loss, 2, rel: 1e-12))
    #expect(isClose(v.tokens, 1e19 / (6 * 3e8), rel: 1e-9))
  }
}

@Suite("Approach 1 (envelope of training curves)")
struct EnvelopeTests {
  @Test("Recovers a within 0.02 from the envelope of 24 training curves of a known law")
  func recovery() throws {
    let law = chinchillaRounded
    // 24 sizes log-spaced over 1e7…1e10; each curve has checkpoints D = 1e8…1e12 (log-spaced).
    let curves = (0..<24).map { i -> TrainingCurve in
      let n = 1e7 * pow(1000, Double(i) / 23)
      let pts = (0..<200).map { k -> (flops: Double, loss: Double) in
        let d = 1e8 * pow(1e4, Double(k) / 199)
        return (6 * n * d, law.loss(params: n, tokens: d))
      }
      return TrainingCurve(params: n, points: pts)
    }
    let fit = try EnvelopeFit.fit(curves, bins: 40)
    #expect(fit.points.count >= 10)
    #expect(abs(fit.a - law.paramsExponent) < 0.02, "a = \(fit.a), truth \(law.paramsExponent)")
    #expect(abs(fit.b - law.tokensExponent) < 0.02, "b = \(fit.b), truth \(law.tokensExponent)")
  }

  @Test("Refuses fewer than two curves")
  func tooFew() {
    #expect(throws: FitError.self) {
      try EnvelopeFit.fit([TrainingCurve(params: 1e8, points: [(1e18, 3)])])
    }
  }
}

@Suite("Reviewer warnings and the held-out check")
struct ReviewTests {
  @Test("Few runs, E above the lowest loss, and extrapolation are flagged")
  func warnings() throws {
    let obs = syntheticRuns(chinchillaRounded, count: 8, seed: 4, noise: 0.01)
    let fit = try Approach3.fit(obs, grid: .coarse)
    let largest = obs.map(\.compute).max() ?? 0
    let w = FitReview.warnings(observations: obs, fit: fit, budget: 1000 * largest)
    #expect(w.contains { $0.code == "few_runs" })
    #expect(w.contains { $0.code == "extrapolation" })
    let none = FitReview.warnings(observations: obs + obs, fit: nil, budget: 10 * largest)
    #expect(none.isEmpty)
    // A law whose E is above every observed loss.
    var high = fit
    high.parameters.E = (obs.map(\.loss).min() ?? 0) + 0.1
    #expect(
      FitReview.warnings(observations: obs, fit: high).contains {
        $0.code == "irreducible_above_observed"
      })
  }

  @Test("30 identical runs: the exponents are flagged as not determined")
  func identicalRuns() throws {
    let one = Observation(params: 1e6, tokens: 2e7, loss: 3.2)
    let w = FitReview.warnings(observations: Array(repeating: one, count: 30))
    let flag = try #require(w.first { $0.code == "few_distinct_sizes" })
    #expect("\(flag)".hasPrefix("The runs have 1 distinct model size and 1 distinct token count;"))
    // Eight runs of a synthetic sweep vary both N and D: no such flag.
    let obs = syntheticRuns(chinchillaRounded, count: 8, seed: 4, noise: 0.01)
    #expect(!FitReview.warnings(observations: obs).contains { $0.code == "few_distinct_sizes" })
  }

  @Test("Allocation exponents: narrow compute range, two budgets and disagreement are flagged")
  func allocation() {
    // Over 8× of compute a factor-2 error in one N_opt moves a by ln 2 / ln 8 = 1/3.
    let narrow = FitReview.allocationWarnings(
      envelope: (a: 0.5, computeRange: 8), isoFLOP: (a: 0.52, budgets: 4, computeRange: 8),
      parametric: 0.55)
    #expect(narrow.map(\.code) == ["narrow_compute_range", "narrow_compute_range"])
    #expect(narrow.first?.description.contains("ln 2 / ln 8.0 = 0.33") == true)
    // A decade or more, three or more budgets, a within 0.1: nothing to say (Hoffmann et al.
    // 2022 Table 2's 0.50 / 0.49 / 0.46 over their range).
    #expect(
      FitReview.allocationWarnings(
        envelope: (a: 0.50, computeRange: 1e4), isoFLOP: (a: 0.49, budgets: 9, computeRange: 1e3),
        parametric: 0.46
      ).isEmpty)
    let two = FitReview.allocationWarnings(
      envelope: nil, isoFLOP: (a: 0.6, budgets: 2, computeRange: 32), parametric: nil)
    #expect(two.map(\.code) == ["two_budgets"])
    // Spread 0.436 … 0.589 = 0.153 > 0.1 (the standard preset with the study's rates).
    let apart = FitReview.allocationWarnings(
      envelope: (a: 0.436, computeRange: 16), isoFLOP: (a: 0.570, budgets: 5, computeRange: 16),
      parametric: 0.589)
    #expect(apart.map(\.code) == ["approaches_disagree"])
    #expect(apart.first?.description.contains("a spread of 0.153 > 0.10") == true)
    // Just under 0.1 apart is within the limit.
    #expect(
      FitReview.allocationWarnings(
        envelope: (a: 0.5, computeRange: 16), isoFLOP: (a: 0.55, budgets: 5, computeRange: 16),
        parametric: 0.5999
      ).isEmpty)
  }

  @Test("Strong α–β correlation across bootstrap refits is flagged")
  func correlation() throws {
    // A narrow range of N and D makes α and β trade off.
    let obs = syntheticRuns(
      chinchillaRounded, count: 40, seed: 8, noise: 0.01, params: 1e8...2e8, tokens: 1e10...2e10)
    let fit = try Approach3.fit(obs, grid: .coarse)
    let boot = try Bootstrap.run(obs, fit: fit, resamples: 100, seed: 1)
    let flagged = FitReview.warnings(observations: obs, fit: fit, bootstrap: boot)
      .contains { $0.code == "correlated_exponents" }
    #expect(flagged == (abs(boot.alphaBetaCorrelation) > 0.9))
    let x = [1.0, 2, 3, 4]
    #expect(isClose(Bootstrap.pearson(x, x.map { -2 * $0 + 1 }), -1, rel: 1e-12))
  }

  @Test("Held-out runs of a known law are predicted within 3%")
  func holdOut() throws {
    let obs = syntheticRuns(chinchillaRounded, count: 120, seed: 6, noise: 0.01)
    let result = try HoldOut.check(obs, split: .topCompute(5), grid: .coarse)
    #expect(result.predictions.count == 5)
    #expect(result.fittedCount == 115)
    let threshold = result.predictions.map(\.compute).min() ?? 0
    #expect(obs.filter { $0.compute >= threshold }.count == 5)
    for e in result.relativeErrors { #expect(abs(e) < 0.03, "relative error \(e)") }
    #expect(throws: FitError.self) {
      try HoldOut.check(obs, split: .computeBelow(0), grid: .coarse)
    }
  }

  @Test("Bootstrap results are reproducible from the seed and independent of threads")
  func bootstrapDeterminism() throws {
    let obs = syntheticRuns(chinchillaRounded, count: 50, seed: 7, noise: 0.01)
    let fit = try Approach3.fit(obs, grid: .coarse)
    let a = try Bootstrap.run(obs, fit: fit, resamples: 30, seed: 42, budget: 1e21, threads: 1)
    let b = try Bootstrap.run(obs, fit: fit, resamples: 30, seed: 42, budget: 1e21, threads: 2)
    #expect(a.samples == b.samples)
    #expect(a.names.contains("N_opt"))
    let c = try Bootstrap.run(obs, fit: fit, resamples: 30, seed: 43, threads: 2)
    #expect(a.samples.map { $0[0] } != c.samples.map { $0[0] })
    // Percentiles follow numpy's linear interpolation.
    #expect(Bootstrap.percentile(sorted: [1, 2, 3, 4, 5], 25) == 2)
    #expect(Bootstrap.percentile(sorted: [1, 2, 3, 4], 2.5) == 1.075)
  }
}
