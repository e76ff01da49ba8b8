// Sample quantiles of sorted data: linear interpolation between order statistics at position
// h = (n − 1)·p (Hyndman & Fan, "Sample quantiles in statistical packages", The American
// Statistician 50(4), 1996, definition 7; numpy's and R's default).

/// How `p` is given to `quantile(sorted:_:scale:)`; the two also round differently.
public enum QuantileScale: Sendable {
  /// p in [0, 1] (clamped), h = (n − 1)·p. Where the interpolation fraction is 0 or the two
  /// neighbours are equal the lower order statistic is returned as is, and an infinite upper
  /// neighbour is returned as is (Planner's percentiles of Monte Carlo draws).
  case fraction
  /// p in percent [0, 100], h = (n − 1)·p/100 (multiplied before dividing, so h can differ from
  /// `.fraction` with p/100 in the last bit), always x[lo] + (h − lo)·(x[hi] − x[lo]) (so −0 gives
  /// +0 and an infinite neighbour at fraction 0 gives NaN; Fitting's bootstrap intervals).
  case percent
}

/// The p-quantile of values sorted ascending, Hyndman–Fan type 7. NaN for an empty array.
public func quantile(sorted: [Double], _ p: Double, scale: QuantileScale = .fraction) -> Double {
  guard !sorted.isEmpty else { return .nan }
  switch scale {
  case .fraction:
    let h = Double(sorted.count - 1) * min(max(p, 0), 1)
    let lo = Int(h.rounded(.down))
    let hi = min(lo + 1, sorted.count - 1)
    let frac = h - Double(lo)
    if frac == 0 || sorted[lo] == sorted[hi] { return sorted[lo] }
    if !sorted[hi].isFinite { return sorted[hi] }
    return sorted[lo] + (sorted[hi] - sorted[lo]) * frac
  case .percent:
    let h = Double(sorted.count - 1) * min(max(p, 0), 100) / 100
    let lo = Int(h.rounded(.down))
    let hi = min(lo + 1, sorted.count - 1)
    return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
  }
}
