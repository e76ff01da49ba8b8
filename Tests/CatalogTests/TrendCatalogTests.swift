// The bundled trend, anchor and data-stock catalogs: every published trend row is present with its
// interval, positioned errors for bad cells, user overrides, and the dataset-size and compute
// trends checked against an OLS on Epoch's own data (data/reference/epoch_datastock_dataset_sizes.csv).

import Catalog
import Foundation
import Planner
import Testing
import TestSupport

private func bundled() throws -> TrendCatalog { try TrendCatalog.load(CatalogFiles()) }

/// Ordinary least squares slope of y on x.
private func olsSlope(_ x: [Double], _ y: [Double]) -> Double {
  let n = Double(x.count)
  let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
  var sxy = 0.0, sxx = 0.0
  for (a, b) in zip(x, y) {
    sxy += (a - mx) * (b - my)
    sxx += (a - mx) * (a - mx)
  }
  return sxy / sxx
}

@Suite("Trend catalogs")
struct TrendCatalogTests {
  @Test("Bundled catalogs load, with one default per quantity used")
  func loads() throws {
    let c = try bundled()
    #expect(c.trends.count >= 30)
    for q: TrendQuantity in [
      .frontierCompute, .frontierCost, .pricePerformance, .algorithmicEfficiency, .datasetSize,
    ] {
      #expect(c.trends.filter { $0.quantity == q && $0.isDefault }.count == 1, "\(q)")
    }
    for k in ["frontier_compute", "frontier_cost", "usd_per_flop"] {
      #expect(c.anchors.filter { $0.kind == k && $0.isDefault }.count == 1, "\(k)")
    }
    #expect(try c.stockRow(nil, kind: "stock").value == 300e12)
    #expect(try c.stockRow(nil, kind: "largest_dataset").value == 15e12)
    #expect(c.stockRows(kind: "stock_growth", defaultsOnly: true).count == 2)
  }

  @Test("Published trend rows and claim 3 are present with their published intervals (both versions)")
  func factsRows() throws {
    let c = try bundled()
    func t(_ id: String) throws -> TrendRate { try #require(c.trends.first { $0.id == id }, "\(id)") }
    let blog = try t("cottier2024-blog"), arxiv = try t("cottier2024-arxiv")
    #expect(blog.value == 2.4 && blog.low == 2.0 && blog.high == 3.1 && blog.level == 0.95)
    #expect(arxiv.value == 2.4 && arxiv.low == 2.0 && arxiv.high == 2.9 && arxiv.level == 0.90)
    let gpu = try t("hobbhahn2022-all-gpus")
    #expect(gpu.value == 2.46 && gpu.low == 2.24 && gpu.high == 2.72 && gpu.unit == .doublingYears)
    #expect(try t("hobbhahn2022-ml-gpus").high == 3.13)
    #expect(try t("sevilla2022-dl").value == 5.7)
    #expect(try t("sevilla2022-large-scale").value == 9.9)
    #expect(try t("sevilla2022-pre-dl").value == 21.3)
    #expect(try t("cottier2023-all").value == 0.49 && t("cottier2023-large-scale").value == 0.2)
    #expect(try t("ho2024-v1").low == 5 && t("ho2024-neurips").low == 2)
    #expect(try t("epoch-insight-dataset-v1").value == 3.1 && t("epoch-insight-dataset-v2").value == 3.0)
    #expect(try t("epoch-insight-compute-post2010").value == 4.6)
    #expect(try t("seed-claim3-cost").value == 10)
    // Conversions: 5.7-month doubling = 4.3×/yr; 9.9 months = 2.3×/yr;
    // 0.49 OOM/yr = 3.1×/yr; data hub +30%/yr ≈ 2.6-year doubling.
    #expect(abs(try t("sevilla2022-dl").factorPerYear - 4.3) < 0.05)
    #expect(abs(try t("sevilla2022-large-scale").factorPerYear - 2.3) < 0.05)
    #expect(abs(try t("cottier2023-all").factorPerYear - 3.1) < 0.05)
    #expect(abs(log(2) / log(try t("epoch-hub-2024-perf-per-dollar").factorPerYear) - 2.6) < 0.05)
    // Anchors of data/models.csv.
    let a = { (id: String) in c.anchors.first { $0.id == id }?.value.median }
    #expect(a("gpt3-compute") == 3.14e23 && a("gpt4-compute") == 2.1e25)
    #expect(a("llama31-405b-compute") == 3.8e25 && a("gemini-ultra-compute") == 5e25)
    #expect(a("gpt3-cost-lambda") == 4.6e6 && a("gpt4-cost-aiindex") == 78.4e6)
    #expect(a("gpt4-cost-altman") == 100e6 && a("gemini-ultra-cost-aiindex") == 191.4e6)
    #expect(a("llama31-405b-cost") == 61.7e6)
    // Derived $/FLOP anchors recomputed from their parts (accelerators.csv, prices.csv, models.csv).
    #expect(isClose(try #require(a("h100-lambda-40mfu")), 2.49 / (3600 * 989.4e12 * 0.40), rel: 1e-4))
    #expect(isClose(try #require(a("llama31-405b-usd-per-flop")), 61.7e6 / 3.8e25, rel: 1e-4))
    #expect(isClose(try #require(a("llama31-405b-cost")), 30.84e6 * 2, rel: 0.001))
  }

  @Test("Dataset-size and compute trends: OLS on Epoch's dataset sizes gives 0.370 and 0.603 OOM/yr")
  func referenceOLS() throws {
    let t = try CSVTable(contentsOf: ReferenceFile.epochDatasetSizes.url)
    let cutoff = try decimalYear("2010-01-02")
    var dx: [Double] = [], dy: [Double] = [], cx: [Double] = [], cy: [Double] = []
    for row in t.rows {
      let date = try decimalYear(try t.string(row, "date"))
      guard date >= cutoff else { continue }
      let words = try t.number(row, "dataset")
      dx.append(date)
      dy.append(log10(words * 4 / 5))  // Epoch converts words to tokens by × 4/5
      if let comp = try t.optionalNumber(row, "comp") {
        cx.append(date)
        cy.append(log10(comp))
      }
    }
    #expect(dx.count == 80 && cx.count == 59)
    let ds = olsSlope(dx, dy), cs = olsSlope(cx, cy)
    // data/reference/README.md check values, given to 3 decimals → tolerance 0.0005 (+ the
    // small difference between 365-day and calendar decimal years).
    #expect(abs(ds - 0.370) < 0.001, "\(ds)")
    #expect(abs(cs - 0.603) < 0.001, "\(cs)")
    // The shipped rows carry the same slopes; the data insight's 3×/yr (0.477 OOM/yr) is faster
    // than this all-models regression, which is the input Villalobos et al. 2024 used.
    let c = try bundled()
    let d = try c.trend(nil, for: .datasetSize)
    #expect(d.id == "epoch-datastock-dataset-ols" && abs(d.value - ds) < 0.001)
    let co = try #require(c.trends.first { $0.id == "epoch-datastock-compute-ols" })
    #expect(abs(co.value - cs) < 0.001)
    #expect(log10(try #require(c.trends.first { $0.id == "epoch-insight-dataset-v2" }).value) > ds)
  }

  @Test("Bad cells are reported as file:line:column", arguments: [
    ("a,frontier_cost,furlongs,2.4,,,,p,yes,E,s,n", "unit", 3, 17),
    ("a,frontier_cost,factor_per_year,2.4,2.5,3.0,0.95,p,yes,E,s,n", "between low and high", 3, 33),
    ("a,frontier_cost,factor_per_year,2.4,2.0,,0.95,p,yes,E,s,n", "low, high and ci", 3, 37),
    ("a,frontier_cost,factor_per_year,x,,,,p,yes,E,s,n", "finite number", 3, 33),
    ("a,frontier_cost,factor_per_year,2.4,,,,p,maybe,E,s,n", "yes or no", 3, 42),
  ])
  func positioned(line: String, reason: String, lineNo: Int, column: Int) throws {
    let text = "# comment\nid,quantity,unit,value,low,high,ci,period,default,tag,source,note\n" + line + "\n"
    let table = try CSVTable(text: text, file: "trends.csv")
    do {
      _ = try TrendCatalog.parseTrends(table)
      Issue.record("expected an error")
    } catch let e as CatalogError {
      let s = "\(e)"
      #expect(s.hasPrefix("trends.csv:\(lineNo):\(column): "), "\(s)")
      #expect(s.contains(reason), "\(s)")
    }
  }

  @Test("Anchors with a bad date or a zero value are rejected with their position")
  func badAnchor() throws {
    let head = "id,kind,date,value,low,high,ci,default,tag,source,note\n"
    let bad = try CSVTable(text: head + "x,frontier_cost,2023-13-01,1e8,,,,yes,E,s,n\n", file: "anchors.csv")
    #expect(throws: CatalogError.malformed(
      file: "anchors.csv", line: 2, column: 17,
      reason: "date '2023-13-01' must be YYYY-MM-DD or a decimal year.")) {
      try TrendCatalog.parseAnchors(bad)
    }
    let zero = try CSVTable(text: head + "x,frontier_cost,2023,0,,,,yes,E,s,n\n", file: "anchors.csv")
    #expect(throws: CatalogError.self) { try TrendCatalog.parseAnchors(zero) }
  }

  @Test("Options: defaults, fixed rates, conflicts and unknown ids")
  func options() throws {
    let c = try bundled()
    let i = try c.projectionInputs(ProjectionOptions())
    #expect(i.cost.start.median == 78.4e6 && i.compute.start.median == 5e25)
    #expect(!i.cost.rate.isFixed && i.fixedRun == nil)
    var o = ProjectionOptions()
    o.costDoublingMonths = 10
    o.startCost = 100e6
    o.startYear = 2023
    let j = try c.projectionInputs(o)
    #expect(j.cost.rate.isFixed && j.cost.startYear == 2023 && j.cost.start.median == 100e6)
    #expect(abs(j.compute.startYear - 2023.93) < 0.01)  // only the overridden start is re-dated
    o.costGrowth = 2.4
    #expect(throws: TrendOptionsError.conflicting("--growth", "--doubling-months")) {
      try c.projectionInputs(o)
    }
    var p = ProjectionOptions()
    p.startCost = 1e8
    #expect(throws: TrendOptionsError.needs("--start-cost", "--start-year")) {
      try c.projectionInputs(p)
    }
    var q = ProjectionOptions()
    q.costTrend = "nonsense"
    #expect(throws: CatalogError.self) { try c.projectionInputs(q) }
    var r = ProjectionOptions()
    r.algorithmic = true
    #expect(throws: TrendOptionsError.needs("--algorithmic", "--compute")) {
      try c.projectionInputs(r)
    }
    var s = ProjectionOptions()
    s.runFlops = 1e25
    let run = try #require(try c.projectionInputs(s).fixedRun)
    #expect(isClose(run.startCost.median, 1e25 * 1.7478e-18, rel: 1e-12) && run.startYear == 2025)
  }

  @Test("Runway from the bundled catalogs reproduces the published check rows")
  func runwayFromCatalog() throws {
    let c = try bundled()
    let r = try runway(try c.runwayInputs(RunwayOptions()))
    let check = try c.stockRow("villalobos2024-full-use", kind: "check_exhaustion_year")
    let combined = try #require(r.result(.combined)).exhaustionYear
    let (median, low, high) = (
      try #require(check.value), try #require(check.low), try #require(check.high)
    )
    // Published median 2028 given to the year → ±1 year; our 80% band inside theirs.
    #expect(abs(combined.median - median) <= 1, "\(combined)")
    #expect(combined.p10 >= low && combined.p90 <= high, "\(combined)")
    var o = RunwayOptions()
    o.overtrain = 5
    let five = try #require(try runway(try c.runwayInputs(o)).result(.computeOptimal))
    let check5 = try #require(try c.stockRow("villalobos2024-overtrain5", kind: "check_exhaustion_year").value)
    #expect(abs(five.exhaustionYear.median - check5) < 1, "\(five.exhaustionYear)")
  }
}
