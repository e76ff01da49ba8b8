// data-runway: the stock of human-written text (median and 10–90 % band) against training-set
// demand under the scenarios `scaleplan runway` supports — historical dataset growth,
// compute-optimal datasets (20 tokens per parameter), both pooled, overtraining 5× and 10×, and
// repeated epochs — with the exhaustion year per scenario and the comparison with Villalobos et al. 2022 and 2024.
// Numbers come from `Engine.runway`, the call `scaleplan runway` makes, with its defaults (10,000
// draws, seed 1). When Epoch's dataset sizes are found in data/reference (vendored), their OLS
// trend is drawn beside the shipped one.

import Catalog
import Foundation
import Planner
import UseCases

/// One `runway` run of the data-runway notebook.
struct RunwayRun: Sendable {
  var label: String
  /// Arguments after `scaleplan` that print the same numbers; nil when the CLI has no flag for it.
  var command: [String]?
  var request: RunwayRequest
  var result: UseCases.RunwayResult
}

/// Epoch's dataset sizes (words × 4/5 = tokens) and our OLS fit of log10(tokens) on the year.
struct DatasetSizeFit: Sendable {
  var points: [(year: Double, tokens: Double)]
  /// OLS slope in orders of magnitude per year, and the intercept of log10(tokens).
  var slope: Double
  var intercept: Double
}

/// Everything the data-runway notebook shows.
struct DataRunwayData: Sendable {
  static let endYear = 2035.0
  static let referenceFile = "epoch_datastock_dataset_sizes.csv"

  var catalog: TrendCatalog
  /// Runs in table order; the first is `scaleplan runway` with every default.
  var runs: [RunwayRun]
  var fit: DatasetSizeFit?

  static func load(_ context: NotebookContext) throws -> DataRunwayData {
    let engine = context.engine
    let cat = try engine.trendCatalog()
    var runs: [RunwayRun] = []
    func add(_ label: String, _ command: [String]?, _ edit: (inout RunwayRequest) -> Void) throws {
      var o = RunwayRequest()
      o.until = endYear
      edit(&o)
      runs.append(
        RunwayRun(label: label, command: command, request: o, result: try engine.runway(o)))
    }
    try add("defaults", ["runway"]) { _ in }
    try add("overtrained 5×", ["runway", "--overtrain", "5"]) { $0.overtrain = 5 }
    try add("overtrained 10×", ["runway", "--overtrain", "10"]) { $0.overtrain = 10 }
    try add("one epoch (no repetition)", ["runway", "--epochs", "1"]) { $0.epochs = 1 }
    try add("five epochs", ["runway", "--epochs", "5"]) { $0.epochs = 5 }
    try add(
      "Epoch's 2024 start points",
      [
        "runway", "--dataset-anchor", "epoch-datastock-largest-2024", "--compute-anchor",
        "epoch-datastock-compute-2024",
      ]
    ) {
      $0.datasetAnchor = "epoch-datastock-largest-2024"
      $0.computeAnchor = "epoch-datastock-compute-2024"
    }
    // A fitted law's compute-optimal tokens instead of 20 per parameter.
    try add("compute-optimal under the epoch2024 law", ["runway", "--law", "epoch2024"]) {
      $0.law = "epoch2024"
    }
    var fit: DatasetSizeFit?
    if let table = try context.referenceTable(referenceFile) {
      fit = try fitDatasetSizes(table)
    }
    return DataRunwayData(catalog: cat, runs: runs, fit: fit)
  }

  /// OLS of log10(dataset × 4/5) on the decimal year, rows dated after 2010-01-01 with a dataset
  /// size, as epoch-research/data-stock src/dataset_size_projections.py does (4/5 converts words to
  /// tokens there).
  /// - Throws: `CatalogError` for a malformed cell.
  static func fitDatasetSizes(_ t: CSVTable) throws -> DatasetSizeFit {
    var pts: [(year: Double, tokens: Double)] = []
    for row in t.rows {
      guard let words = try t.optionalNumber(row, "dataset"), words > 0 else { continue }
      let text = try t.string(row, "date")
      let year: Double
      do { year = try decimalYear(text) } catch {
        throw t.error(row, "date", "date '\(text)' must be YYYY-MM-DD.")
      }
      guard year > 2010 else { continue }
      pts.append((year, words * 4 / 5))
    }
    let n = Double(pts.count)
    let mx = pts.map(\.year).reduce(0, +) / n
    let my = pts.map { log10($0.tokens) }.reduce(0, +) / n
    var sxy = 0.0
    var sxx = 0.0
    for p in pts {
      sxy += (p.year - mx) * (log10(p.tokens) - my)
      sxx += (p.year - mx) * (p.year - mx)
    }
    let slope = sxx > 0 ? sxy / sxx : .nan
    return DatasetSizeFit(points: pts, slope: slope, intercept: my - slope * mx)
  }

  /// The run with `label`.
  func run(_ label: String) -> RunwayRun? { runs.first { $0.label == label } }
}

extension NotebookBuilder {
  static func dataRunway(_ context: NotebookContext) throws -> NotebookDocument {
    try dataRunway(DataRunwayData.load(context))
  }

  /// Renders the notebook from computed data (tests render cached data).
  static func dataRunway(_ data: DataRunwayData) throws -> NotebookDocument {
    let cat = data.catalog
    guard let base = data.runs.first else {
      throw NotebookError.notAvailable(NotebookName.dataRunway.rawValue, reason: "no runway runs.")
    }
    let bi = base.result
    var doc = NotebookDocument(
      name: NotebookName.dataRunway.rawValue,
      title: "Data runway: when training sets outgrow human-written text",
      metadata: metadata(.dataRunway))

    doc.heading("Question")
    doc.paragraph(
      "Training sets have grown faster than the stock of text people write. In which year does "
        + "the largest training run want more tokens than the effective stock of public "
        + "human-generated text, and how much do overtraining and repeated epochs move that year? "
        + "This follows Villalobos et al. (2024, arXiv 2211.04325 v2): both sides grow "
        + "exponentially, each Monte Carlo draw crosses in closed form, and the table gives the "
        + "median and 10th–90th percentiles over \(bi.draws) draws (seed \(bi.seed)), as "
        + "`scaleplan runway` prints them.")

    // Inputs.
    doc.heading("Inputs")
    var rows: [[String]] = []
    let stock = try cat.stockRow(nil, kind: "stock")
    rows.append([
      "effective stock of text", rowValue(stock), "`\(stock.id)` [\(stock.tag)]", stock.source,
    ])
    for g in cat.stockRows(kind: "stock_growth", defaultsOnly: true) {
      rows.append(["stock growth", rowValue(g), "`\(g.id)` [\(g.tag)]", g.source])
    }
    let rep = try cat.stockRow(nil, kind: "repetition_allowance")
    rows.append([
      "repetition already in the stock", rowValue(rep), "`\(rep.id)` [\(rep.tag)]", rep.source,
    ])
    let ds = try cat.stockRow(nil, kind: "largest_dataset")
    rows.append(["largest training set", rowValue(ds), "`\(ds.id)` [\(ds.tag)]", ds.source])
    let dt = try cat.trend(nil, for: .datasetSize)
    rows.append(["dataset-size growth", trendText(dt), "`\(dt.id)` [\(dt.tag)]", dt.source])
    let ca = try cat.anchor(nil, kind: "frontier_compute")
    rows.append([
      "frontier compute start",
      "\(Format.scientific(ca.value.median)) FLOP, \(Format.fixed(ca.year, decimals: 2))",
      "`\(ca.id)` [\(ca.tag)]", ca.source,
    ])
    let ct = try cat.trend(nil, for: .frontierCompute)
    rows.append(["frontier compute growth", trendText(ct), "`\(ct.id)` [\(ct.tag)]", ct.source])
    rows.append([
      "compute-optimal dataset", "D* = √(20·C/6) (20 tokens per parameter)", "`tokens20`",
      bi.lawSource,
    ])
    rows.append([
      "overtraining by F", "D = D*·√F at the same compute", "`--overtrain F`",
      "derived here: N·D = C/6 fixed and D/N = F·D*/N*",
    ])
    rows.append([
      "epochs E", "stock × E / \(Format.number(bi.repetitionAllowance))", "`--epochs E`",
      "replaces the repetition allowance inside the published stock",
    ])
    doc.table(["input", "value", "catalog row / flag", "source"], rows)

    // Exhaustion table.
    doc.heading("Exhaustion year by scenario")
    var table: [[String]] = []
    func add(_ run: RunwayRun, _ s: RunwayScenario, _ what: String) {
      guard let r = run.result.result(s) else { return }
      let cmd =
        run.command.map {
          "`scaleplan \($0.joined(separator: " "))`"
            + (s == .combined ? "" : " (\(s.rawValue) row)")
        }
        ?? "library only: `TokensRule(law:)`"
      table.append([
        what, yearText(r.exhaustionYear.median), yearText(r.exhaustionYear.p10),
        yearText(r.exhaustionYear.p90), Format.fixed(100 * r.neverFraction, decimals: 1) + "%", cmd,
      ])
    }
    add(
      base, .historical,
      "historical dataset growth (\(Format.significant(dt.factorPerYear, digits: 3))×/yr)")
    add(base, .computeOptimal, "compute-optimal datasets for the frontier run")
    add(base, .combined, "both pooled (Villalobos et al.'s headline)")
    for label in ["overtrained 5×", "overtrained 10×"] {
      guard let r = data.run(label) else { continue }
      add(r, .computeOptimal, "compute-optimal, \(label)")
      add(r, .combined, "both pooled, \(label)")
    }
    for label in ["one epoch (no repetition)", "five epochs"] {
      guard let r = data.run(label) else { continue }
      add(r, .combined, "both pooled, \(label)")
    }
    if let r = data.run("Epoch's 2024 start points") {
      add(
        r, .combined, "both pooled, from Epoch's 2024 start points (3T–13T tokens; 1e25–1e26 FLOP)")
    }
    if let r = data.run("compute-optimal under the epoch2024 law") {
      add(r, .computeOptimal, "compute-optimal under the epoch2024 law (Besiroglu et al. refit)")
    }
    doc.table(["scenario", "median year", "p10", "p90", "never crosses", "command"], table)
    doc.paragraph(
      "Years are decimal (2028.0 = 1 January 2028). \"Both pooled\" mixes the draws of the two "
        + "demand models in equal numbers, as Epoch's code does. Overtraining changes only the "
        + "compute-optimal demand; epochs change only the stock.")

    // Fan chart.
    let years = base.result.scenarios.first?.series.map(\.year) ?? []
    var chart = XYChart(
      title: "Stock of human text vs training-set demand", xLabel: "year",
      yLabel: "tokens", xScale: .linear, yScale: .log10)
    chart.xDomain = (years.first ?? 2024, DataRunwayData.endYear)
    if let h = base.result.result(.historical), let c = base.result.result(.computeOptimal) {
      chart.bands = [
        ChartBand(
          name: "stock, 10–90%", x: years, low: h.series.map(\.stock.p10),
          high: h.series.map(\.stock.p90), color: chartPalette[2]),
        ChartBand(
          name: "historical demand, 10–90%", x: years, low: h.series.map(\.demand.p10),
          high: h.series.map(\.demand.p90), color: chartPalette[0]),
        ChartBand(
          name: "compute-optimal demand, 10–90%", x: years, low: c.series.map(\.demand.p10),
          high: c.series.map(\.demand.p90), color: chartPalette[1]),
      ]
      chart.series = [
        ChartSeries(
          name: "stock (median)", points: h.series.map { ($0.year, $0.stock.median) },
          color: chartPalette[2]),
        ChartSeries(
          name: "historical demand (median)", points: h.series.map { ($0.year, $0.demand.median) },
          color: chartPalette[0]),
        ChartSeries(
          name: "compute-optimal demand (median)",
          points: c.series.map { ($0.year, $0.demand.median) }, color: chartPalette[1]),
      ]
    }
    if let o5 = data.run("overtrained 5×")?.result.result(.computeOptimal) {
      chart.series.append(
        ChartSeries(
          name: "compute-optimal, overtrained 5×",
          points: o5.series.map { ($0.year, $0.demand.median) }, style: .dashedLine,
          color: chartPalette[3]))
    }
    doc.figure(
      "data-runway-fan.svg", svg: chart.svg(),
      caption: "Effective stock of public human text (green) against the largest training set "
        + "under the historical trend (blue) and compute-optimal datasets for the projected "
        + "frontier run (orange); bands are 10–90% of the draws. Demand crosses the stock where "
        + "the lines meet.")

    // Probability chart.
    var pChart = XYChart(
      title: "Probability the stock is fully used by a given year", xLabel: "year",
      yLabel: "P(exhausted)", xScale: .linear, yScale: .linear)
    pChart.yDomain = (0, 1)
    pChart.xDomain = (years.first ?? 2024, DataRunwayData.endYear)
    let pRuns: [(String, String, SeriesStyle)] = [
      ("defaults", "both pooled", .line), ("overtrained 5×", "overtrained 5×", .dashedLine),
      ("one epoch (no repetition)", "one epoch", .line), ("five epochs", "five epochs", .line),
    ]
    for (i, (label, name, style)) in pRuns.enumerated() {
      guard let r = data.run(label)?.result.result(.combined) else { continue }
      pChart.series.append(
        ChartSeries(
          name: name, points: r.series.map { ($0.year, $0.probabilityExhausted) }, style: style,
          color: chartPalette[i]))
    }
    doc.figure(
      "data-runway-probability.svg", svg: pChart.svg(),
      caption: "Share of draws (both demand models pooled) in which demand has met the stock by "
        + "1 January of each year.")

    // Epoch's dataset sizes.
    doc.heading("Epoch's dataset sizes and the shipped trend")
    if let fit = data.fit {
      var eChart = XYChart(
        title: "Training-set sizes of notable language models", xLabel: "year",
        yLabel: "tokens (words × 4/5)", xScale: .linear, yScale: .log10)
      let xs = fit.points.map(\.year)
      let x0 = xs.min() ?? 2010
      let x1 = xs.max() ?? 2024
      eChart.series = [
        ChartSeries(
          name: "Epoch data-stock dataset sizes", points: fit.points.map { ($0.year, $0.tokens) },
          style: .markers, color: chartPalette[0]),
        ChartSeries(
          name: "our OLS fit (\(Format.fixed(fit.slope, decimals: 3)) OOM/yr)",
          points: [x0, x1].map { ($0, pow(10, fit.intercept + fit.slope * $0)) },
          color: chartPalette[1]),
      ]
      let dsAnchor = try ds.anchor()
      let shippedSlope = log10(dt.factorPerYear)
      eChart.series.append(
        ChartSeries(
          name: "shipped trend from \(ds.id) (\(Format.fixed(shippedSlope, decimals: 3)) OOM/yr)",
          points: [x0, dsAnchor.year].map {
            ($0, dsAnchor.value.median * pow(10, shippedSlope * ($0 - dsAnchor.year)))
          }, style: .dashedLine, color: chartPalette[2]))
      doc.figure(
        "data-runway-dataset-sizes.svg", svg: eChart.svg(),
        caption: "\(fit.points.count) language models after 2010 from epoch-research/data-stock "
          + "data/dataset_sizes.csv (vendored in data/reference), words × 4/5 as in Epoch's "
          + "code, with our "
          + "least-squares line and the shipped dataset-size trend drawn back from \(ds.id).")
      doc.paragraph(
        "Our OLS slope is \(Format.fixed(fit.slope, decimals: 3)) orders of magnitude per year "
          + "(×\(Format.significant(pow(10, fit.slope), digits: 3))/yr); the shipped trend "
          + "`\(dt.id)` is \(Format.fixed(shippedSlope, decimals: 3)) OOM/yr, so they differ by "
          + "\(Format.fixed(abs(fit.slope - shippedSlope), decimals: 3)) OOM/yr — the shipped "
          + "row is this same regression, with a bootstrap interval. The shipped line starts from "
          + "Llama 3's 15T tokens, which sits above the regression line: the largest set runs "
          + "ahead of the typical notable model, and the runway starts from the largest.")
    } else {
      doc.paragraph(
        "Epoch's dataset sizes (`\(DataRunwayData.referenceFile)` in data/reference) were not "
          + "found, so the figure comparing them with the shipped trend is skipped.")
    }

    // Where we differ.
    doc.heading("Where we differ from the published numbers")
    let checks = cat.stockRows(kind: "check_exhaustion_year")
    var notes: [String] = []
    if let pub = checks.first(where: { $0.id == "villalobos2024-full-use" }), let v = pub.value,
      let c = base.result.result(.combined)
    {
      let e = c.exhaustionYear
      notes.append(
        "Villalobos et al. (2024) put full use of the stock at a median of "
          + "**\(Format.number(v))** (80% interval \(pub.low.map(Format.number) ?? "?")–"
          + "\(pub.high.map(Format.number) ?? "?")). Our pooled median is "
          + "\(yearText(e.median)) and our 10–90% range (also an 80% interval) "
          + "\(yearText(e.p10))–\(yearText(e.p90)): the median differs by "
          + "\(Format.fixed(e.median - v, decimals: 1)) years. Our interval is narrower. Part of "
          + "that is that we start "
          + "from Llama 3's disclosed 15T tokens and Gemini Ultra's 5e25 FLOP as point values, "
          + "where Epoch draws the 2024 starting dataset from 3T–13T"
          + (data.run("Epoch's 2024 start points")?.result.result(.combined).map {
            "; with that start and the 1e25–1e26 FLOP range Epoch's script defines "
              + "(`--dataset-anchor epoch-datastock-largest-2024 "
              + "--compute-anchor epoch-datastock-compute-2024`) we get "
              + "\(yearText($0.exhaustionYear.median)) "
              + "(\(yearText($0.exhaustionYear.p10))–\(yearText($0.exhaustionYear.p90)))"
          } ?? "")
          + ". Our historical branch with all of Epoch's inputs matches an independent numpy run "
          + "of Epoch's historical projection (median ≈ 2029.0, 2027.5–2031.0; a test checks it). "
          + "The rest of the gap is the compute branch: the paper takes C(y) from the "
          + "probabilistic projection of Besiroglu et al. (2022) (§2.4, Eq. 3), which includes "
          + "slowdown and high-spending scenarios (footnote 20), and Epoch's code reads it from a "
          + "data file that is not public. We stand in the frontier-compute trend for it, so the "
          + "paper's earlier 2026 bound cannot be reproduced from public inputs.")
    }
    if let pub = checks.first(where: { $0.id == "villalobos2024-overtrain5" }), let v = pub.value,
      let r = data.run("overtrained 5×")
    {
      let c = r.result.result(.computeOptimal)?.exhaustionYear
      let m = r.result.result(.combined)?.exhaustionYear
      notes.append(
        "With 5× overtraining they find **~\(Format.number(v))**. Our compute-optimal demand "
          + "overtrained 5× crosses in \(c.map { yearText($0.median) } ?? "?") and the pooled "
          + "scenario in \(m.map { yearText($0.median) } ?? "?"); overtraining by F multiplies "
          + "the tokens of a fixed-compute run by √F (√5 = 2.24), which at the compute trend's "
          + "~×4.5/yr (tokens ×2.1/yr) is about one year earlier.")
    }
    var old: [String] = []
    for (id, what) in [
      ("villalobos2022-hq-historical", "historical growth"),
      ("villalobos2022-hq-compute", "compute-optimal"),
      ("villalobos2022-lq-historical", "historical growth"),
      ("villalobos2022-lq-compute", "compute-optimal"),
    ] {
      if let r = checks.first(where: { $0.id == id }), let v = r.value {
        var t = "\(what) \(Format.fixed(v, decimals: 1))"
        if let lo = r.low, let hi = r.high {
          t += " (90% CI \(Format.fixed(lo, decimals: 1))–\(Format.fixed(hi, decimals: 1)))"
        }
        old.append(t)
      }
    }
    let words = cat.stockRows(kind: "stock_words").first
    let largestWords = cat.stockRows(kind: "largest_dataset_words").first
    notes.append(
      "The 2022 paper (arXiv 2211.04325 v1) gave earlier dates for high-quality text ("
        + old.prefix(2).joined(separator: "; ") + ") and later ones for low-quality text ("
        + old.dropFirst(2).joined(separator: "; ") + "). The difference is the stock, not the "
        + "method: the 2022 \"high-quality\" category was a stock of curated sources, often quoted "
        + "as 4.6e12–1.7e13 words (unconfirmed here), not much larger than the then-largest "
        + "training set of "
        + "\(largestWords?.value.map { Format.si($0) } ?? "2T") words, so it ran out within a "
        + "couple of years; the total stock was "
        + "\(words?.low.map { Format.scientific($0, digits: 1) } ?? "7e13")–"
        + "\(words?.high.map { Format.scientific($0, digits: 1) } ?? "7e16") words. The 2024 "
        + "estimate counts quality-filtered web text that is good enough to train on, with a few "
        + "epochs of repetition allowed — about 300T tokens, twenty times the largest 2024 "
        + "training set. We do not recompute the 2022 high-quality dates: that stock's size was "
        + "not confirmed in our sources (Villalobos et al. 2022's figure reached us second-hand).")
    doc.bullets(notes)
    return doc
  }

  /// A data-stock row's value with its interval and unit.
  static func rowValue(_ r: DataStockRow) -> String {
    let f: (Double) -> String = r.unit == "tokens" ? { Format.si($0) } : { Format.number($0) }
    var s = r.value.map(f) ?? "—"
    if r.unit != "factor" && r.unit != "factor_per_year" { s += " \(r.unit)" }
    if r.unit == "factor_per_year" { s = "×" + s + "/yr" }
    if let lo = r.low, let hi = r.high, let lv = r.level {
      s += ", \(Format.fixed(lv * 100, decimals: 0))% CI \(f(lo))–\(f(hi))"
    }
    if let y = r.year { s += " (\(Format.fixed(y, decimals: 2)))" }
    return s
  }
}
