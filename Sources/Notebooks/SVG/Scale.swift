// Axis scales for charts: linear with "nice" 1-2-5 ticks, and log10 with ticks on decades.
// Pure functions; every coordinate is rounded to a fixed precision when written to SVG so that
// regenerating a chart gives byte-identical files.

import Foundation

/// How an axis maps data to pixels.
public enum ScaleKind: Sendable, Equatable {
  case linear
  case log10
}

/// A tick mark: its data value, its label, and whether it is a major (labelled) tick.
public struct Tick: Sendable, Equatable {
  public var value: Double
  public var label: String
  public var major: Bool
}

/// Maps a data interval onto a pixel interval, linearly or in log10.
public struct Scale: Sendable {
  public var kind: ScaleKind
  /// Data interval (low, high); for log scales both must be > 0.
  public var domain: (low: Double, high: Double)
  /// Pixel interval (start, end); `end < start` for a y axis that grows upwards.
  public var range: (start: Double, end: Double)

  /// Creates a scale. Degenerate domains are widened so that mapping never divides by zero.
  public init(kind: ScaleKind, domain: (Double, Double), range: (Double, Double)) {
    self.kind = kind
    var (lo, hi) = domain
    if kind == .log10 {
      lo = max(lo, Double.leastNormalMagnitude)
      hi = max(hi, lo)
      if hi == lo {
        lo /= 10
        hi *= 10
      }
    } else if hi == lo {
      let pad = lo == 0 ? 1 : abs(lo) * 0.1
      lo -= pad
      hi += pad
    }
    self.domain = (lo, hi)
    self.range = range
  }

  /// A scale whose domain is widened to "nice" boundaries: whole decades for log scales, tick
  /// steps for linear ones. `values` are the data the axis must show.
  public static func nice(kind: ScaleKind, values: [Double], range: (Double, Double)) -> Scale {
    let finite = values.filter { $0.isFinite && (kind == .linear || $0 > 0) }
    guard let lo = finite.min(), let hi = finite.max() else {
      return Scale(kind: kind, domain: kind == .log10 ? (1, 10) : (0, 1), range: range)
    }
    switch kind {
    case .log10:
      let a = floor(log10(lo) + 1e-9)
      var b = ceil(log10(hi) - 1e-9)
      if b <= a { b = a + 1 }
      return Scale(kind: .log10, domain: (decade(Int(a)), decade(Int(b))), range: range)
    case .linear:
      let step = Scale.niceStep((hi - lo) / 5)
      var a = floor(lo / step) * step
      var b = ceil(hi / step) * step
      if a == b {
        a -= step
        b += step
      }
      return Scale(kind: .linear, domain: (a, b), range: range)
    }
  }

  /// The 1-2-5 step nearest above `raw`.
  public static func niceStep(_ raw: Double) -> Double {
    guard raw > 0, raw.isFinite else { return 1 }
    let p = pow(10, floor(log10(raw)))
    let f = raw / p
    let m: Double = f <= 1 ? 1 : (f <= 2 ? 2 : (f <= 5 ? 5 : 10))
    return m * p
  }

  /// Pixel position of a data value.
  public func map(_ v: Double) -> Double {
    let t: Double
    switch kind {
    case .linear:
      t = (v - domain.low) / (domain.high - domain.low)
    case .log10:
      let lv = log10(max(v, Double.leastNormalMagnitude))
      t = (lv - log10(domain.low)) / (log10(domain.high) - log10(domain.low))
    }
    return range.start + t * (range.end - range.start)
  }

  /// Ticks inside the domain. Log scales: a major tick on every decade (thinned to at most
  /// `maxLabels` labels) and minor ticks at 2…9 × 10^k when few decades are shown.
  public func ticks(maxLabels: Int = 8, format: (Double) -> String = Scale.defaultLabel) -> [Tick] {
    var out: [Tick] = []
    switch kind {
    case .log10:
      let a = Int(floor(log10(domain.low) + 1e-9))
      let b = Int(ceil(log10(domain.high) - 1e-9))
      let decades = max(b - a, 1)
      let every = max(1, Int((Double(decades) / Double(maxLabels)).rounded(.up)))
      for e in a...b {
        let v = decade(e)
        if v >= domain.low * (1 - 1e-9) && v <= domain.high * (1 + 1e-9) {
          let labelled = (e - a) % every == 0
          out.append(Tick(value: v, label: labelled ? format(v) : "", major: labelled))
        }
        if decades <= 4 && e < b {
          for m in 2...9 {
            let mv = Double(m) * v
            if mv > domain.low && mv < domain.high { out.append(Tick(value: mv, label: "", major: false)) }
          }
        }
      }
      // A log axis spanning less than a decade would show no labels: label the 2…9 ticks too.
      if out.filter(\.major).count < 2 {
        out = out.map { Tick(value: $0.value, label: format($0.value), major: true) }
      }
      // A log axis spanning less than a decade would show no labels: label the 2…9 ticks too.
      if out.filter(\.major).count < 2 {
        out = out.map { Tick(value: $0.value, label: format($0.value), major: true) }
      }
    case .linear:
      let step = Scale.niceStep((domain.high - domain.low) / Double(max(maxLabels - 2, 2)))
      var v = ceil(domain.low / step - 1e-9) * step
      while v <= domain.high + step * 1e-9 {
        let clean = abs(v) < step * 1e-9 ? 0 : v
        out.append(Tick(value: clean, label: format(clean), major: true))
        v += step
      }
    }
    return out
  }

  /// Default tick label: powers of ten as `1e21`, SI-ish short numbers otherwise.
  public static func defaultLabel(_ v: Double) -> String {
    if v == 0 { return "0" }
    let l = log10(abs(v))
    if abs(l - l.rounded()) < 1e-9 && (abs(v) >= 1e4 || abs(v) < 1e-2) {
      return "1e\(Int(l.rounded()))"
    }
    let s = String(format: "%.4g", v)
    return s
  }
}

/// 10^k exactly as the decimal literal `1ek` parses (pow(10, 23) is off by one ulp).
func decade(_ k: Int) -> Double {
  Double("1e\(k)") ?? pow(10, Double(k))
}
