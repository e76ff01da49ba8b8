// Charts this field draws: log-log scatter and lines (loss vs N, cost vs year), isoFLOP curves
// with minima marked, fan charts (median line with a 10–90 % band), and grouped bar comparisons.
// Layout is fixed (margins, fonts, palette) so charts look alike across notebooks.

import Foundation

/// A colour-blind-safe palette (Okabe–Ito), used in order.
public let chartPalette = [
  "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C564B",
]

/// How a series is drawn.
public enum SeriesStyle: Sendable, Equatable {
  case line
  case dashedLine
  case markers
  case lineAndMarkers
}

/// A named list of (x, y) points.
public struct ChartSeries: Sendable {
  public var name: String
  public var points: [(x: Double, y: Double)]
  public var style: SeriesStyle
  public var color: String?

  public init(
    name: String, points: [(x: Double, y: Double)], style: SeriesStyle = .line, color: String? = nil
  ) {
    self.name = name
    self.points = points
    self.style = style
    self.color = color
  }
}

/// A shaded band between `low` and `high` at each x (a fan chart's 10–90 % interval).
public struct ChartBand: Sendable {
  public var name: String
  public var x: [Double]
  public var low: [Double]
  public var high: [Double]
  public var color: String?

  public init(name: String, x: [Double], low: [Double], high: [Double], color: String? = nil) {
    self.name = name
    self.x = x
    self.low = low
    self.high = high
    self.color = color
  }
}

/// A labelled point drawn on top (e.g. the minimum of an isoFLOP curve).
public struct ChartAnnotation: Sendable {
  public var x: Double
  public var y: Double
  public var label: String
  public init(x: Double, y: Double, label: String) {
    self.x = x
    self.y = y
    self.label = label
  }
}

/// An x–y chart with linear or log axes.
public struct XYChart: Sendable {
  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var xScale: ScaleKind
  public var yScale: ScaleKind
  public var series: [ChartSeries] = []
  public var bands: [ChartBand] = []
  public var annotations: [ChartAnnotation] = []
  public var width: Double = 720
  public var height: Double = 440
  /// Optional fixed domains; otherwise widened from the data to nice bounds.
  public var xDomain: (Double, Double)?
  public var yDomain: (Double, Double)?
  public var xTickFormat: @Sendable (Double) -> String = Scale.defaultLabel
  public var yTickFormat: @Sendable (Double) -> String = Scale.defaultLabel

  /// Default plot-area margins in pixels (left, right, top, bottom).
  public static let margins = (left: 78.0, right: 170.0, top: 40.0, bottom: 52.0)

  /// Margins for this chart: the right margin grows with the longest legend label.
  public var margins: (left: Double, right: Double, top: Double, bottom: Double) {
    let names = series.map(\.name) + bands.map(\.name)
    let longest = names.map(\.count).max() ?? 0
    let right = longest == 0 ? 30 : max(Self.margins.right, 44 + 6.4 * Double(longest))
    return (Self.margins.left, right, Self.margins.top, Self.margins.bottom)
  }

  public init(title: String, xLabel: String, yLabel: String, xScale: ScaleKind, yScale: ScaleKind) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.xScale = xScale
    self.yScale = yScale
  }

  /// The x and y scales the chart uses, from data and fixed domains.
  public func scales() -> (x: Scale, y: Scale) {
    let m = margins
    let xr = (m.left, width - m.right)
    let yr = (height - m.bottom, m.top)
    var xs: [Double] = series.flatMap { $0.points.map(\.x) } + bands.flatMap(\.x)
    var ys: [Double] = series.flatMap { $0.points.map(\.y) } + bands.flatMap { $0.low + $0.high }
    xs += annotations.map(\.x)
    ys += annotations.map(\.y)
    let x =
      xDomain.map { Scale(kind: xScale, domain: $0, range: xr) }
      ?? Scale.nice(kind: xScale, values: xs, range: xr)
    let y =
      yDomain.map { Scale(kind: yScale, domain: $0, range: yr) }
      ?? Scale.nice(kind: yScale, values: ys, range: yr)
    return (x, y)
  }

  /// Renders the chart as a standalone SVG document.
  public func svg() -> String {
    let m = margins
    let (xs, ys) = scales()
    var w = SVGWriter(width: width, height: height)
    let plotW = width - m.left - m.right
    let plotH = height - m.top - m.bottom
    w.text(title, x: m.left, y: 22, size: 15, weight: "bold")
    // Grid and ticks.
    for t in xs.ticks(format: xTickFormat) {
      let px = xs.map(t.value)
      w.line(px, m.top, px, m.top + plotH, stroke: t.major ? "#dddddd" : "#f0f0f0")
      w.line(px, m.top + plotH, px, m.top + plotH + (t.major ? 5 : 3), stroke: "#444444")
      if t.major { w.text(t.label, x: px, y: m.top + plotH + 18, anchor: "middle", size: 11) }
    }
    for t in ys.ticks(format: yTickFormat) {
      let py = ys.map(t.value)
      w.line(m.left, py, m.left + plotW, py, stroke: t.major ? "#dddddd" : "#f0f0f0")
      w.line(m.left - (t.major ? 5 : 3), py, m.left, py, stroke: "#444444")
      if t.major { w.text(t.label, x: m.left - 8, y: py + 4, anchor: "end", size: 11) }
    }
    w.rect(m.left, m.top, plotW, plotH, fill: "none", stroke: "#444444")
    w.text(xLabel, x: m.left + plotW / 2, y: height - 12, anchor: "middle", size: 12)
    w.text(
      yLabel, x: 18, y: m.top + plotH / 2, anchor: "middle", size: 12, rotate: -90)
    // Data, clipped to the plot area.
    w.beginClip(id: "plot", x: m.left, y: m.top, w: plotW, h: plotH)
    for (i, b) in bands.enumerated() {
      let color = b.color ?? chartPalette[i % chartPalette.count]
      let n = min(b.x.count, b.low.count, b.high.count)
      guard n > 1 else { continue }
      var poly: [(Double, Double)] = []
      for k in 0..<n { poly.append((xs.map(b.x[k]), ys.map(b.high[k]))) }
      for k in stride(from: n - 1, through: 0, by: -1) { poly.append((xs.map(b.x[k]), ys.map(b.low[k]))) }
      w.polygon(poly, fill: color, opacity: 0.18)
    }
    for (i, s) in series.enumerated() {
      let color = s.color ?? chartPalette[i % chartPalette.count]
      let pts = s.points.filter { $0.x.isFinite && $0.y.isFinite }.map { (xs.map($0.x), ys.map($0.y)) }
      switch s.style {
      case .line: w.polyline(pts, stroke: color)
      case .dashedLine: w.polyline(pts, stroke: color, dash: "6 4")
      case .markers: for p in pts { w.circle(p.0, p.1, r: 3.5, fill: color) }
      case .lineAndMarkers:
        w.polyline(pts, stroke: color)
        for p in pts { w.circle(p.0, p.1, r: 3, fill: color) }
      }
    }
    for a in annotations {
      let px = xs.map(a.x)
      let py = ys.map(a.y)
      w.circle(px, py, r: 5, fill: "none", stroke: "#000000")
      if !a.label.isEmpty { w.text(a.label, x: px + 7, y: py - 7, size: 10) }
    }
    w.endGroup()
    // Legend on the right.
    var ly = m.top + 8
    let lx = width - m.right + 14
    for (i, b) in bands.enumerated() where !b.name.isEmpty {
      w.rect(lx, ly - 8, 18, 10, fill: b.color ?? chartPalette[i % chartPalette.count], opacity: 0.18)
      w.text(b.name, x: lx + 24, y: ly + 1, size: 11)
      ly += 18
    }
    for (i, s) in series.enumerated() where !s.name.isEmpty {
      let color = s.color ?? chartPalette[i % chartPalette.count]
      switch s.style {
      case .markers: w.circle(lx + 9, ly - 3, r: 3.5, fill: color)
      case .dashedLine: w.line(lx, ly - 3, lx + 18, ly - 3, stroke: color, width: 2, dash: "6 4")
      default: w.line(lx, ly - 3, lx + 18, ly - 3, stroke: color, width: 2)
      }
      w.text(s.name, x: lx + 24, y: ly + 1, size: 11)
      ly += 18
    }
    return w.render(title: title)
  }
}

/// Grouped bars: one group per category, one bar per named value set.
public struct BarChart: Sendable {
  public var title: String
  public var yLabel: String
  public var categories: [String]
  public var groups: [(name: String, values: [Double])]
  public var yScale: ScaleKind = .linear
  public var width: Double = 720
  public var height: Double = 420
  public var yTickFormat: @Sendable (Double) -> String = Scale.defaultLabel

  public init(
    title: String, yLabel: String, categories: [String], groups: [(name: String, values: [Double])],
    yScale: ScaleKind = .linear
  ) {
    self.title = title
    self.yLabel = yLabel
    self.categories = categories
    self.groups = groups
    self.yScale = yScale
  }

  /// Renders the chart as a standalone SVG document.
  public func svg() -> String {
    let m = XYChart.margins
    var w = SVGWriter(width: width, height: height)
    let plotW = width - m.left - m.right
    let plotH = height - m.top - m.bottom - 20
    var values = groups.flatMap(\.values)
    if yScale == .linear { values.append(0) }
    let ys = Scale.nice(kind: yScale, values: values, range: (m.top + plotH, m.top))
    w.text(title, x: m.left, y: 22, size: 15, weight: "bold")
    for t in ys.ticks(format: yTickFormat) {
      let py = ys.map(t.value)
      w.line(m.left, py, m.left + plotW, py, stroke: t.major ? "#dddddd" : "#f0f0f0")
      if t.major { w.text(t.label, x: m.left - 8, y: py + 4, anchor: "end", size: 11) }
    }
    w.rect(m.left, m.top, plotW, plotH, fill: "none", stroke: "#444444")
    w.text(yLabel, x: 18, y: m.top + plotH / 2, anchor: "middle", size: 12, rotate: -90)
    let nCat = max(categories.count, 1)
    let slot = plotW / Double(nCat)
    let barW = slot * 0.8 / Double(max(groups.count, 1))
    let base = ys.map(yScale == .log10 ? ys.domain.low : 0)
    for (c, name) in categories.enumerated() {
      let x0 = m.left + Double(c) * slot + slot * 0.1
      for (g, group) in groups.enumerated() where c < group.values.count {
        let v = group.values[c]
        guard v.isFinite, yScale == .linear || v > 0 else { continue }
        let py = ys.map(v)
        w.rect(
          x0 + Double(g) * barW, min(py, base), barW * 0.92, abs(base - py),
          fill: chartPalette[g % chartPalette.count])
      }
      w.text(name, x: x0 + slot * 0.4, y: m.top + plotH + 16, anchor: "middle", size: 11)
    }
    var ly = m.top + 8
    let lx = width - m.right + 14
    for (g, group) in groups.enumerated() {
      w.rect(lx, ly - 8, 12, 10, fill: chartPalette[g % chartPalette.count])
      w.text(group.name, x: lx + 18, y: ly + 1, size: 11)
      ly += 18
    }
    return w.render(title: title)
  }
}
