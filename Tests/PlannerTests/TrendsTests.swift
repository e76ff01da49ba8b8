// Trend projections: closed-form checks of published figures (FACTS §1 claim 3, §C), the fixed-run
// cost under hardware price-performance, percentile order, determinism, and bad input.
// Expected values are computed here from logarithms, independently of the code under test.

import Foundation
import Randomness
import Planner
import Testing
import TestSupport

/// A deterministic cost series: `start` dollars at `year`, rate given.
private func costSeries(_ start: Double, _ year: Double, _ rate: UncertainRate) -> SeriesSpec {
  SeriesSpec(
    name: "frontier training cost", start: SplitLogNormal(fixed: start), startYear: year,
    startLabel: "test", rate: rate)
}

/// Frontier compute as FACTS §B/§C give it: Gemini Ultra 5e25 FLOP (Dec 2023), 4–5×/yr.
private func computeSeries() throws -> SeriesSpec {
  SeriesSpec(
    name: "frontier training compute", start: SplitLogNormal(fixed: 5e25), startYear: 2023.93,
    startLabel: "Gemini Ultra [E]",
    rate: try UncertainRate(
      unit: .factorPerYear, value: 20.0.squareRoot(), low: 4, high: 5, level: 0.90,
      label: "4-5x/yr", source: "Epoch 2024"))
}

@Suite("Trend projections")
struct TrendsTests {
  @Test("Seed claim 3: $100M (2023) doubling every 10 months passes $1B after 33.2 months")
  func seedClaim() throws {
    let inputs = ProjectionInputs(
      year: 2026, compute: try computeSeries(),
      cost: costSeries(100e6, 2023, try .fixedDoublingMonths(10, label: "10 months")),
      cross: .dollars(1e9), draws: 1_000, seed: 7)
    let r = try project(inputs)
    let crossing = try #require(r.crossingYear)
    // Independent: ten-fold at 10-month doubling takes 10·log2(10) months.
    let months = 10 * log2(10.0)
    #expect(abs((crossing.median - 2023) * 12 - months) < 1e-9)
    // Published (FACTS claim 3): 33.2 months, stated to 0.1 → tolerance 0.05 months; "by 2026".
    #expect(abs((crossing.median - 2023) * 12 - 33.2) < 0.05)
    #expect(crossing.median < 2026)
    // 36 months → $1.21B (FACTS claim 3, 3 significant digits → 0.5%).
    #expect(isClose(r.frontierCost.median, 1.21e9, rel: 0.005), "\(r.frontierCost.median)")
    // A fixed rate gives no spread.
    #expect(crossing.p10 == crossing.median && crossing.p90 == crossing.median)
  }

  @Test("Cottier et al.: at 2.4×/yr, $78M → $1B in ≈ 2.9 yr and $40M → $1B in ≈ 3.7 yr",
    arguments: [(78e6, 2.9), (40e6, 3.7)])
  func cottier(start: Double, years: Double) throws {
    let r = try project(
      ProjectionInputs(
        year: 2030, compute: try computeSeries(),
        cost: costSeries(start, 2023, try .fixedFactor(2.4, label: "2.4x")), cross: .dollars(1e9),
        draws: 100))
    let t = try #require(r.crossingYear).median - 2023
    #expect(abs(t - log(1e9 / start) / log(2.4)) < 1e-9)
    // Published figures have one decimal: tolerance 0.05 yr.
    #expect(abs(t - years) < 0.05, "\(t)")
  }

  @Test("Closed forms: trendValue and yearsToReach are inverses")
  func closedForms() {
    let r = log(3.0)
    #expect(isClose(trendValue(start: 5, startYear: 2020, lnGrowth: r, year: 2022), 45, rel: 1e-12))
    #expect(abs(yearsToReach(45, from: 5, lnGrowth: r) - 2) < 1e-12)
    #expect(yearsToReach(45, from: 5, lnGrowth: 0) == .infinity)
  }

  @Test("A fixed run costs less each year along the price-performance trend (halving ≈ 2.5 yr)")
  func fixedRunCheaper() throws {
    // Hobbhahn & Besiroglu 2022: FLOP/s per $ doubles every 2.46 yr [2.24, 2.72] (95%).
    let pp = try UncertainRate(
      unit: .doublingYears, value: 2.46, low: 2.24, high: 2.72, level: 0.95, label: "GPU p/p",
      source: "Hobbhahn & Besiroglu 2022")
    let start = 1e25 * 1.7478e-18  // H100 $2.49/h, 989.4 TFLOP/s, 40% MFU (data/anchors.csv)
    let run = FixedRunSpec(
      flops: 1e25, startCost: SplitLogNormal(fixed: start), startYear: 2025, startLabel: "test",
      pricePerformance: pp, algorithmic: nil)
    let r = try project(
      ProjectionInputs(
        year: 2035, compute: try computeSeries(),
        cost: costSeries(78.4e6, 2023.2, try .fixedFactor(2.4, label: "2.4x")), fixedRun: run))
    let rows = r.series.filter { $0.year >= 2025 }
    #expect(rows.count >= 10)
    for (a, b) in zip(rows, rows.dropFirst()) {
      let ca = try #require(a.runCost), cb = try #require(b.runCost)
      #expect(cb.median < ca.median && cb.p10 < ca.p10 && cb.p90 < ca.p90)
    }
    // Median halves every 2.46 years: after 10 years the cost is 2^(−10/2.46) of today's.
    let run2035 = try #require(r.runCost)
    #expect(isClose(run2035.median, start * pow(2, -10 / 2.46), rel: 0.01), "\(run2035.median)")
    // The halving time implied by the median lies in the published 95% interval and near 2.5 yr.
    let halving = 10 * log(2) / log(start / run2035.median)
    #expect(halving > 2.24 && halving < 2.72)
    #expect(abs(halving - 2.5) < 0.1)
  }

  @Test("Algorithmic progress as effective compute makes the run cheaper still")
  func algorithmic() throws {
    let pp = try UncertainRate(unit: .doublingYears, value: 2.46, label: "pp", source: "t")
    let alg = try UncertainRate(unit: .halvingMonths, value: 8, label: "alg", source: "t")
    func cost(_ a: UncertainRate?) throws -> Double {
      let run = FixedRunSpec(
        flops: 1e25, startCost: SplitLogNormal(fixed: 1e7), startYear: 2025, startLabel: "t",
        pricePerformance: pp, algorithmic: a)
      return try #require(
        try project(
          ProjectionInputs(
            year: 2028, compute: try computeSeries(),
            cost: costSeries(1e8, 2023, try .fixedFactor(2.4, label: "x")), fixedRun: run,
            draws: 10))
          .runCost
      ).median
    }
    let hw = try cost(nil), both = try cost(alg)
    // Three years: hardware 2^(−3/2.46), algorithms 2^(−36/8) more.
    #expect(isClose(hw, 1e7 * pow(2, -3 / 2.46), rel: 1e-9))
    #expect(isClose(both, hw * pow(2, -36.0 / 8), rel: 1e-9))
  }

  @Test("Percentiles are ordered and a seed fixes every number")
  func orderAndSeed() throws {
    let cost = costSeries(
      78.4e6, 2023.2,
      try UncertainRate(
        unit: .factorPerYear, value: 2.4, low: 2.0, high: 3.1, level: 0.95, label: "Cottier",
        source: "Cottier 2024"))
    let i = ProjectionInputs(
      year: 2030, compute: try computeSeries(), cost: cost, cross: .dollars(1e10),
      draws: 10_000, seed: 42)
    let a = try project(i), b = try project(i)
    #expect(a == b)
    var j = i
    j.seed = 43
    #expect(try project(j).frontierCost != a.frontierCost)
    for p in [a.frontierCompute, a.frontierCost, try #require(a.crossingYear)]
      + a.series.flatMap({ [$0.frontierCompute, $0.frontierCost] })
    {
      #expect(p.p10 <= p.median && p.median <= p.p90)
    }
    #expect(a.frontierCost.p10 < a.frontierCost.p90)
    #expect(!a.deterministic)
    // The median cost follows the median rate: 2.4^(2030 − 2023.2) × $78.4M within MC noise (3%).
    #expect(isClose(a.frontierCost.median, 78.4e6 * pow(2.4, 6.8), rel: 0.03))
  }

  @Test("Bad input is one sentence")
  func badInput() throws {
    let cost = costSeries(78.4e6, 2023.2, try .fixedFactor(2.4, label: "x"))
    let early = ProjectionInputs(year: 2020, compute: try computeSeries(), cost: cost)
    #expect(throws: ProjectionError.self) { try project(early) }
    do { _ = try project(early) } catch {
      let s = "\(error)"
      #expect(s.contains("2020") && s.contains("before") && s.hasSuffix("."))
      #expect(s.filter { $0 == "\n" }.isEmpty)
    }
    let below = ProjectionInputs(
      year: 2030, compute: try computeSeries(), cost: cost, cross: .dollars(1e6))
    #expect(throws: ProjectionError.self) { try project(below) }
    let noDraws = ProjectionInputs(year: 2030, compute: try computeSeries(), cost: cost, draws: 0)
    #expect(throws: ProjectionError.tooFewDraws(0)) { try project(noDraws) }
    #expect(throws: QuantityError.self) { try UncertainRate.fixedFactor(-2, label: "--growth") }
    #expect(throws: QuantityError.self) { try UncertainRate.fixedFactor(.nan, label: "--growth") }
    #expect(throws: QuantityError.self) { try UncertainRate.fixedDoublingMonths(0, label: "m") }
    let nanYear = ProjectionInputs(year: .nan, compute: try computeSeries(), cost: cost)
    #expect(throws: QuantityError.self) { try project(nanYear) }
  }

  @Test("Decimal years from dates")
  func dates() throws {
    #expect(try decimalYear("2024-01-01") == 2024)
    #expect(abs(try decimalYear("2023-12-06") - (2023 + 339.0 / 365)) < 1e-12)
    #expect(abs(try decimalYear("2024-07-01") - (2024 + 182.0 / 366)) < 1e-12)
    #expect(try decimalYear("2026.5") == 2026.5)
    #expect(throws: QuantityError.self) { try decimalYear("2023-02-30") }
    #expect(throws: QuantityError.self) { try decimalYear("soon") }
  }
}

@Suite("Monte Carlo sampler")
struct MonteCarloTests {
  @Test("Normal quantile matches known values")
  func normalQuantiles() {
    #expect(abs(normalQuantile(0.975) - 1.959963984540054) < 1e-9)
    #expect(abs(normalQuantile(0.95) - 1.6448536269514722) < 1e-9)
    #expect(abs(normalQuantile(0.5)) < 1e-12)
    #expect(abs(normalQuantile(0.001) + 3.090232306167813) < 1e-9)
    for p in [0.01, 0.1, 0.3, 0.77, 0.999] { #expect(abs(normalCDF(normalQuantile(p)) - p) < 1e-12) }
  }

  @Test("Uniforms and normals have the right moments")
  func moments() {
    var rng = Xoshiro256StarStar(seed: 2024)
    let n = 200_000
    var su = 0.0, sz = 0.0, sz2 = 0.0
    for _ in 0..<n { su += rng.nextUnitDouble() }
    for _ in 0..<n {
      let z = rng.nextNormalCachingPair()
      sz += z
      sz2 += z * z
    }
    // Standard errors: uniform mean 0.29/√n ≈ 6.5e-4, normal mean 2.2e-3, variance 3.2e-3.
    #expect(abs(su / Double(n) - 0.5) < 0.003)
    #expect(abs(sz / Double(n)) < 0.01)
    #expect(abs(sz2 / Double(n) - 1) < 0.015)
  }

  @Test("Split log-normal: closed-form quantiles hit the interval; sampled quantiles agree")
  func splitLogNormal() throws {
    // Villalobos et al. 2024: 300T tokens, 90% CI 100T–1,000T.
    let d = try SplitLogNormal(median: 300e12, low: 100e12, high: 1000e12, level: 0.90)
    #expect(isClose(d.quantile(0.05), 100e12, rel: 1e-9))
    #expect(isClose(d.quantile(0.95), 1000e12, rel: 1e-9))
    #expect(isClose(d.quantile(0.5), 300e12, rel: 1e-12))
    var rng = Xoshiro256StarStar(seed: 9)
    let xs = (0..<100_000).map { _ in d.sample(&rng) }.sorted()
    for p in [0.05, 0.1, 0.5, 0.9, 0.95] {
      #expect(isClose(quantile(sorted: xs, p), d.quantile(p), rel: 0.03), "p = \(p)")
    }
    // A symmetric one is an ordinary log-normal: E[x] = m·exp(σ²/2).
    let ln = try SplitLogNormal(median: 2.4, low: 2.0, high: 2.88, level: 0.95)
    #expect(abs(ln.sigmaLow - ln.sigmaHigh) < 1e-12)
    var rng2 = Xoshiro256StarStar(seed: 10)
    let mean = (0..<100_000).reduce(0.0) { acc, _ in acc + ln.sample(&rng2) } / 100_000
    #expect(isClose(mean, 2.4 * exp(ln.sigmaLow * ln.sigmaLow / 2), rel: 0.002))
    #expect(throws: QuantityError.self) {
      try SplitLogNormal(median: 5, low: 6, high: 7, level: 0.9)
    }
  }

  @Test("Percentiles of a known sample (Hyndman–Fan type 7)")
  func percentiles() {
    let p = Percentiles(of: (1...11).map(Double.init).reversed())
    #expect(p.p10 == 2 && p.median == 6 && p.p90 == 10)
    #expect(quantile(sorted: [1, 2], 0.5) == 1.5)
    #expect(quantile(sorted: [1, .infinity], 0.9) == .infinity)
  }

  @Test("Rates: time quotes sample faster growth at high p")
  func rateQuantiles() throws {
    let r = try UncertainRate(
      unit: .halvingMonths, value: 8, low: 5, high: 14, level: 0.95, label: "Ho", source: "Ho")
    #expect(abs(r.median - 12 * log(2) / 8) < 1e-12)
    #expect(abs(r.quantile(0.975) - 12 * log(2) / 5) < 1e-9)
    #expect(abs(r.quantile(0.025) - 12 * log(2) / 14) < 1e-9)
    let o = try UncertainRate(
      unit: .oomPerYear, value: 0.49, low: 0.37, high: 0.56, level: 0.90, label: "C", source: "C")
    #expect(abs(r.quantile(0.5) - r.median) < 1e-12)
    #expect(abs(o.quantile(0.95) - 0.56 * log(10)) < 1e-9)
  }
}
