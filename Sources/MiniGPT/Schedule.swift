// Learning-rate schedule of the tiny-model recipe (data/learning-rate-scan.csv): linear warm-up over
// `warmup` steps, then a half-cosine (Loshchilov & Hutter 2017, SGDR eq. 5, without restarts)
// from the peak down to minFraction·peak, reached exactly at the last step.

import Foundation

/// The learning rate at each step of a run.
public struct LearningRateSchedule: Sendable, Equatable {
  public var peak: Double
  public var warmup: Int
  public var steps: Int
  public var minFraction: Double

  /// Creates a schedule of `steps` steps (≥ 1).
  public init(peak: Double, warmup: Int, steps: Int, minFraction: Double) {
    self.peak = peak
    self.warmup = warmup
    self.steps = steps
    self.minFraction = minFraction
  }

  /// The rate for 0-based `step`: peak·(step+1)/warmup during warm-up, then
  /// min + ½(peak − min)(1 + cos(π·progress)), progress going 0 → 1 from the first step after
  /// warm-up to the last step.
  public func rate(at step: Int) -> Double {
    if step < warmup { return peak * Double(step + 1) / Double(warmup) }
    let lo = peak * minFraction
    let span = steps - 1 - warmup
    guard span > 0 else { return lo }  // the only post-warm-up step is the last one
    let progress = min(1, Double(step - warmup) / Double(span))
    return lo + 0.5 * (peak - lo) * (1 + cos(Double.pi * progress))
  }
}
