// Data runway: the published Villalobos et al. 2024 results from the published inputs, the
// compute-optimal dataset rule, the overtraining convention, the 2022 arithmetic of FACTS claim 4,
// and bad input. Inputs are typed in from FACTS (§1 claim 4, §C) and epoch-research/data-stock.

import Fitting
import Foundation
import Planner
import Testing
import TestSupport

/// The paper's inputs: stock 300T (90% CI 100T–1,000T) growing 1.02–1.04 × 1.00–1.10 per year
/// (95%, src/indexed_web.py); largest dataset Llama 3 15T (18 Apr 2024) growing 0.370 OOM/yr
/// [0.267, 0.483] (95%); frontier compute Gemini Ultra 5e25 (6 Dec 2023) growing 4–5×/yr (90%).
func publishedRunwayInputs(overtrain: Double = 1, seed: UInt64 = 1) throws -> RunwayInputs {
  RunwayInputs(
    stock: try SplitLogNormal(median: 300e12, low: 100e12, high: 1000e12, level: 0.90),
    stockYear: 2024, stockLabel: "Villalobos 2024",
    stockGrowth: [
      try UncertainRate(
        unit: .factorPerYear, value: (1.02 * 1.04).squareRoot(), low: 1.02, high: 1.04,
        level: 0.95, label: "page size", source: "data-stock"),
      try UncertainRate(
        unit: .factorPerYear, value: 1.1.squareRoot(), low: 1.0, high: 1.1, level: 0.95,
        label: "page count", source: "data-stock"),
    ],
    repetitionAllowance: 10.0.squareRoot(),
    dataset: SeriesSpec(
      name: "largest training set", start: SplitLogNormal(fixed: 15e12),
      startYear: try decimalYear("2024-04-18"), startLabel: "Llama 3",
      rate: try UncertainRate(
        unit: .oomPerYear, value: 0.370, low: 0.267, high: 0.483, level: 0.95, label: "OLS",
        source: "Epoch")),
    compute: SeriesSpec(
      name: "frontier training compute", start: SplitLogNormal(fixed: 5e25),
      startYear: try decimalYear("2023-12-06"), startLabel: "Gemini Ultra",
      rate: try UncertainRate(
        unit: .factorPerYear, value: 20.0.squareRoot(), low: 4, high: 5, level: 0.90,
        label: "4-5x", source: "Epoch 2024")),
    rule: .tokens20, overtrain: overtrain, draws: 10_000, seed: seed)
}

@Suite("Data runway")
struct DataRunwayTests {
  @Test("Compute-optimal tokens: ~4e14 tokens at ~5e28 FLOP (Villalobos et al. 2024)")
  func tokensAtCrossing() {
    // Published: "~4e14 tokens at the crossing point, ~5e28 FLOP" (FACTS claim 4); 2 s.f. → 5%.
    #expect(isClose(TokensRule.tokens20.tokens(compute: 5e28), 4e14, rel: 0.05))
    // 20 tokens per parameter under C = 6ND: N = D/20 and 6·N·D = C.
    let d = TokensRule.tokens20.tokens(compute: 1e25)
    #expect(isClose(6 * (d / 20) * d, 1e25, rel: 1e-12))
  }

  @Test("Tokens rule from a parametric law matches FACTS §D1 rows")
  func lawRule() {
    // Epoch refit (FACTS §D1): D* = 5.34T at 1e25 FLOP; rounded Hoffmann: 14.3T (3 s.f. → 1%).
    let epoch = ParametricLaw(E: 1.817, A: 482.0, B: 2085.4, alpha: 0.348, beta: 0.366)
    let hoff = ParametricLaw(E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28)
    let re = TokensRule(law: epoch, name: "epoch2024", source: "Besiroglu et al. 2024")
    let rh = TokensRule(law: hoff, name: "hoffmann2022", source: "Hoffmann et al. 2022")
    #expect(isClose(re.tokens(compute: 1e25), 5.34e12, rel: 0.01))
    #expect(isClose(rh.tokens(compute: 1e25), 14.3e12, rel: 0.01))
    #expect(isClose(re.tokens(compute: 3.14e23), epoch.computeOptimal(flops: 3.14e23).tokens, rel: 1e-12))
    // The generic form (any ScalingLaw) reads the same power law off the law.
    let generic = TokensRule(scalingLaw: .parametric(epoch), name: "epoch2024", source: "x")
    #expect(isClose(generic.exponent, re.exponent, rel: 1e-9))
    #expect(isClose(generic.tokens(compute: 5e28), re.tokens(compute: 5e28), rel: 1e-9))
  }

  @Test("Overtraining convention: D = D*·√F, N = N*/√F keeps C = 6ND and multiplies D/N by F")
  func overtrainConvention() {
    let c = 1e26
    let d = TokensRule.tokens20.tokens(compute: c), n = c / (6 * d)
    let f = 5.0
    let d5 = d * f.squareRoot(), n5 = n / f.squareRoot()
    #expect(isClose(6 * n5 * d5, c, rel: 1e-12))
    #expect(isClose((d5 / n5) / (d / n), f, rel: 1e-12))
  }

  @Test("FACTS claim 4 arithmetic: 15T (2024) to 300T takes ln 20 / ln g years",
    arguments: [(3.0, 2.7), (2.5, 3.3), (2.0, 4.3)])
  func claim4(growth: Double, years: Double) throws {
    var i = try publishedRunwayInputs()
    i.stock = SplitLogNormal(fixed: 300e12)
    i.stockYear = 2024.3
    i.stockGrowth = [try .fixedFactor(1, label: "none")]
    i.dataset = SeriesSpec(
      name: "d", start: SplitLogNormal(fixed: 15e12), startYear: 2024.3, startLabel: "Llama 3",
      rate: try .fixedFactor(growth, label: "g"))
    i.draws = 10
    let r = try runway(i)
    let t = try #require(r.result(.historical)).exhaustionYear
    #expect(abs(t.median - 2024.3 - log(20) / log(growth)) < 1e-9)
    #expect(abs(t.median - 2024.3 - years) < 0.05)  // FACTS gives one decimal
    #expect(t.p10 == t.median && t.median == t.p90)
  }

  @Test("Published inputs give the published answer: median 2027–2029, 80% interval in 2026–2032")
  func published() throws {
    let r = try runway(try publishedRunwayInputs())
    for s in r.scenarios {
      let y = s.exhaustionYear
      // Villalobos et al. 2024: median 2028 (80% CI 2026–2032). Our medians must round to
      // 2027–2029 and our 10th–90th percentile band must sit inside the published 80% band.
      #expect(y.median >= 2027 && y.median <= 2029.5, "\(s.scenario): \(y)")
      #expect(y.p10 >= 2026 && y.p90 <= 2032, "\(s.scenario): \(y)")
      #expect(y.p10 <= y.median && y.median <= y.p90)
      #expect(s.neverFraction == 0)
    }
    let combined = try #require(r.result(.combined)).exhaustionYear
    #expect(combined.median >= 2027 && combined.median <= 2029)
    #expect(isClose(r.stockTokens, 300e12, rel: 1e-12))
    // Series: the share exhausted rises to 1 and crosses 1/2 at the median year.
    let rows = try #require(r.result(.combined)).series
    for (a, b) in zip(rows, rows.dropFirst()) {
      #expect(a.probabilityExhausted <= b.probabilityExhausted)
      #expect(a.demand.median < b.demand.median && a.stock.median < b.stock.median)
    }
    let before = rows.last { $0.year <= combined.median }, after = rows.first { $0.year > combined.median }
    #expect((before?.probabilityExhausted ?? 0) <= 0.5 && (after?.probabilityExhausted ?? 1) >= 0.5)
  }

  @Test("Historical branch with Epoch's own inputs matches an independent numpy computation")
  func historicalEpochInputs() throws {
    // Epoch's historical branch (epoch-research/data-stock src/dataset_size_projections.py):
    // largest set to(3e12, 13e12) (90%) at 2024-01-01, growth 0.370 OOM/yr [0.267, 0.483] (95%,
    // row epoch-datastock-dataset-ols); stock and its growth as in publishedRunwayInputs().
    var i = try publishedRunwayInputs()
    i.dataset = SeriesSpec(
      name: "largest training set",
      start: try SplitLogNormal(
        median: (3e12 * 13e12).squareRoot(), low: 3e12, high: 13e12, level: 0.90),
      startYear: 2024, startLabel: "Epoch 2024",
      rate: try UncertainRate(
        unit: .oomPerYear, value: 0.370, low: 0.267, high: 0.483, level: 0.95, label: "OLS",
        source: "Epoch"))
    i.draws = 40_000
    let t = try #require(try runway(i).result(.historical)).exhaustionYear
    // Independent check: numpy, 4,000,000 draws (seed 20241) of the same distributions, crossing
    // t = 2024 + (ln S0 − ln D0)/(r_D − r_S): p10 2027.456, median 2028.997, p90 2031.017.
    // Tolerance 0.06 yr: the sd of these percentiles over 40,000-draw runs is ≤ 0.017 yr.
    #expect(abs(t.p10 - 2027.456) < 0.06, "\(t)")
    #expect(abs(t.median - 2028.997) < 0.06, "\(t)")
    #expect(abs(t.p90 - 2031.017) < 0.06, "\(t)")
    // Epoch's component stock instead of the 300T summary (pages to(75e9, 1e12) × bytes/page
    // to(6100, 8200) / (6 − to(1, 4)) × quality to(0.1, 0.4) × repetition to(2, 5), all 95%;
    // src/indexed_web.py, src/stock_adjust.py) and its rate centred at (0.267 + 0.483)/2, numpy,
    // 2,000,000 draws (seed 12345): 2027.34, 2029.02, 2031.17. Tolerance 0.25 yr: the summary
    // log-normal (300T, 90% 100T–1,000T) stands in for that product (median 322T, p90 933T).
    #expect(abs(t.p10 - 2027.34) < 0.25 && abs(t.median - 2029.02) < 0.25)
    #expect(abs(t.p90 - 2031.17) < 0.25)
  }

  @Test("5× overtraining moves the compute-optimal date earlier, to ~2027")
  func overtraining() throws {
    let base = try #require(try runway(try publishedRunwayInputs()).result(.computeOptimal))
    let five = try #require(try runway(try publishedRunwayInputs(overtrain: 5)).result(.computeOptimal))
    #expect(five.exhaustionYear.median < base.exhaustionYear.median)
    // Published: "~2027" with 5× overtraining (Villalobos et al. 2024).
    #expect(five.exhaustionYear.median >= 2026.5 && five.exhaustionYear.median < 2028)
    // 100× (secondary summary: "as early as 2025").
    let hundred = try #require(
      try runway(try publishedRunwayInputs(overtrain: 100)).result(.computeOptimal))
    #expect(hundred.exhaustionYear.median < five.exhaustionYear.median)
    #expect(abs(hundred.exhaustionYear.median - 2025) < 0.75)
  }

  @Test("Epochs replace the repetition allowance inside the published stock")
  func epochs() throws {
    var i = try publishedRunwayInputs()
    i.epochs = 10.0.squareRoot()
    let same = try runway(i)
    let base = try runway(try publishedRunwayInputs())
    #expect(abs(same.stockTokens - base.stockTokens) < 1)
    #expect(same.scenarios.map(\.exhaustionYear) == base.scenarios.map(\.exhaustionYear))
    i.epochs = 10
    let more = try runway(i)
    #expect(isClose(more.stockTokens, 300e12 * 10 / 10.0.squareRoot(), rel: 1e-12))
    #expect(try #require(more.result(.combined)).exhaustionYear.median
      > (try #require(base.result(.combined)).exhaustionYear.median))
  }

  @Test("Same seed, same numbers; demand that never catches up is reported as never")
  func seedAndNever() throws {
    #expect(try runway(try publishedRunwayInputs(seed: 5)) == runway(try publishedRunwayInputs(seed: 5)))
    var i = try publishedRunwayInputs()
    i.dataset.rate = try .fixedFactor(1.01, label: "slow")  // slower than the stock (~8%/yr)
    let r = try #require(try runway(i).result(.historical))
    #expect(r.neverFraction > 0.9 && r.exhaustionYear.median == .infinity)
  }

  @Test("Bad input is one sentence")
  func badInput() throws {
    var i = try publishedRunwayInputs()
    i.overtrain = 0
    #expect(throws: RunwayError.badOvertrain(0)) { try runway(i) }
    i.overtrain = .nan
    #expect(throws: RunwayError.self) { try runway(i) }
    i = try publishedRunwayInputs()
    i.epochs = 0.5
    #expect(throws: RunwayError.badEpochs(0.5)) { try runway(i) }
    i = try publishedRunwayInputs()
    i.stock = SplitLogNormal(fixed: 0)
    #expect(throws: QuantityError.self) { try runway(i) }
    do { _ = try runway(i) } catch {
      let s = "\(error)"
      #expect(s.contains("stock") && s.hasSuffix(".") && !s.contains("\n"))
    }
  }
}
