// Approach 1 of Hoffmann et al. 2022 (§3.1, Fig. 2): take the envelope of all training curves — at
// each FLOP level, the run with the lowest loss — and fit the sizes achieving it, N_opt ∝ C^a, and
// D_opt = C/(6N) ∝ C^b. FLOP levels are log-uniform bins over the observed range (the paper uses
// 1,500 log-spaced FLOP values). With a discrete set of sizes the smallest (largest) size wins
// every bin below (above) the range it can resolve, which would flatten the slope, so bins won by
// the smallest or largest size are dropped by default.

import Foundation

/// A training curve: one run's (FLOP, loss) checkpoints and its size.
public struct TrainingCurve: Sendable, Equatable {
  /// Model size N.
  public var params: Double
  /// Checkpoints as (training FLOP so far, loss).
  public var points: [(flops: Double, loss: Double)]

  /// Creates a curve.
  public init(params: Double, points: [(flops: Double, loss: Double)]) {
    self.params = params
    self.points = points
  }

  public static func == (l: TrainingCurve, r: TrainingCurve) -> Bool {
    l.params == r.params && l.points.count == r.points.count
      && zip(l.points, r.points).allSatisfy { $0.flops == $1.flops && $0.loss == $1.loss }
  }
}

/// One point of the loss envelope.
public struct EnvelopePoint: Sendable, Equatable, Codable {
  /// FLOP of the winning checkpoint.
  public var flops: Double
  /// Size of the winning run.
  public var params: Double
  /// D = C/(6N).
  public var tokens: Double
  /// Its loss.
  public var loss: Double
}

/// The result of Approach 1.
public struct EnvelopeResult: Sendable {
  /// Envelope points used in the fit, by increasing FLOP.
  public var points: [EnvelopePoint]
  /// Bins dropped because the smallest or largest size won them.
  public var droppedBins: Int
  /// N_opt = k·C^a.
  public var paramsLaw: PowerLaw
  /// D_opt = k·C^b.
  public var tokensLaw: PowerLaw
  /// Exponent a of N_opt ∝ C^a.
  public var a: Double { paramsLaw.exponent }
  /// Largest over smallest FLOP of the points the exponents were fitted to (1 when empty).
  public var computeRange: Double {
    guard let lo = points.map(\.flops).min(), let hi = points.map(\.flops).max(), lo > 0
    else { return 1 }
    return hi / lo
  }
  /// Exponent b of D_opt ∝ C^b.
  public var b: Double { tokensLaw.exponent }
}

/// Approach 1: the envelope of training curves.
public enum EnvelopeFit {
  /// Fits N_opt ∝ C^a and D_opt ∝ C^b to the lowest-loss run in each log-uniform FLOP bin.
  ///
  /// - Parameters:
  ///   - curves: runs with positive sizes, FLOP and losses.
  ///   - bins: number of log-uniform FLOP bins over the observed range.
  ///   - dropExtremeSizes: drop bins won by the smallest or largest size.
  /// - Throws: `FitError.tooFewObservations` (fewer than 2 curves), `.invalidValue`,
  ///   `.tooFewBudgets` (fewer than 2 usable bins).
  public static func fit(
    _ curves: [TrainingCurve], bins: Int = 30, dropExtremeSizes: Bool = true
  ) throws -> EnvelopeResult {
    let method = "The envelope fit (Approach 1)"
    guard curves.count >= 2 else {
      throw FitError.tooFewObservations(count: curves.count, minimum: 2, method: method)
    }
    guard bins >= 2 else { throw FitError.invalidOption("Approach 1 needs at least 2 FLOP bins.") }
    var all: [(flops: Double, loss: Double, params: Double)] = []
    for (i, c) in curves.enumerated() {
      guard c.params > 0 && c.params.isFinite else {
        throw FitError.invalidValue(name: "parameter count N", value: c.params, index: i)
      }
      for p in c.points {
        guard p.flops > 0 && p.flops.isFinite else {
          throw FitError.invalidValue(name: "FLOP count", value: p.flops, index: i)
        }
        guard p.loss > 0 && p.loss.isFinite else {
          throw FitError.invalidValue(name: "loss", value: p.loss, index: i)
        }
        all.append((p.flops, p.loss, c.params))
      }
    }
    let logC = all.map { Foundation.log($0.flops) }
    guard let lo = logC.min(), let hi = logC.max(), hi > lo else {
      throw FitError.tooFewBudgets(count: 1, method: method)
    }
    let smallest = curves.map(\.params).min() ?? 0
    let largest = curves.map(\.params).max() ?? 0
    var best = [Int?](repeating: nil, count: bins)
    for (i, p) in all.enumerated() {
      let bin = min(bins - 1, Int(Double(bins) * (logC[i] - lo) / (hi - lo)))
      // Lowest loss wins; ties go to the earlier point so the result is order-stable.
      if let j = best[bin], all[j].loss <= p.loss { continue }
      best[bin] = i
    }
    var points: [EnvelopePoint] = []
    var dropped = 0
    for case let j? in best {
      let p = all[j]
      if dropExtremeSizes && (p.params == smallest || p.params == largest) {
        dropped += 1
        continue
      }
      points.append(
        EnvelopePoint(
          flops: p.flops, params: p.params, tokens: p.flops / (6 * p.params), loss: p.loss))
    }
    let c = points.map(\.flops)
    return EnvelopeResult(
      points: points, droppedBins: dropped,
      paramsLaw: try PowerLaw.fit(x: c, y: points.map(\.params), method: method),
      tokensLaw: try PowerLaw.fit(x: c, y: points.map(\.tokens), method: method))
  }
}
