// Shared helpers for the gradient checks: seeded random arrays, Float buffers, and central finite
// differences of a Double objective.

import Foundation
import Testing

@testable import MiniGPT

/// Seeded uniform/normal values for tests (independent of the library's generator).
struct TestRNG {
  var state: UInt64
  init(_ seed: UInt64) { state = seed &+ 0x2545_F491_4F6C_DD1D }
  mutating func next() -> UInt64 {
    state ^= state << 13
    state ^= state >> 7
    state ^= state << 17
    return state
  }
  mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }
  /// Values spread over roughly [−scale, scale].
  mutating func array(_ n: Int, scale: Double = 1) -> [Double] {
    (0..<n).map { _ in (2 * uniform() - 1) * scale }
  }
}

/// Calls `body` with a mutable Float copy of `values` and returns the buffer's final contents.
func withFloats<R>(_ values: [Double], _ body: (UnsafeMutablePointer<Float>) -> R) -> ([Float], R) {
  var f = values.map { Float($0) }
  let r = f.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
  return (f, r)
}

/// Central difference d objective / d x_i for every index in `indices` (step h, in Double).
func finiteDifferences(
  _ x: [Double], indices: [Int]? = nil, h: Double = 1e-5, _ objective: ([Double]) -> Double
) -> [Int: Double] {
  var out: [Int: Double] = [:]
  var y = x
  for i in indices ?? Array(x.indices) {
    let x0 = y[i]
    y[i] = x0 + h
    let up = objective(y)
    y[i] = x0 - h
    let down = objective(y)
    y[i] = x0
    out[i] = (up - down) / (2 * h)
  }
  return out
}

/// Largest violation of |a − b| ≤ atol + rtol·|b| (≤ 0 means all within), with its index.
func worstMismatch(_ a: [Int: Double], _ b: [Int: Double], atol: Double, rtol: Double)
  -> (excess: Double, index: Int, got: Double, want: Double)
{
  var worst = (excess: -Double.infinity, index: -1, got: 0.0, want: 0.0)
  for (i, want) in b {
    let got = a[i] ?? .nan
    let excess = abs(got - want) - (atol + rtol * abs(want))
    if !(excess <= worst.excess) { worst = (excess.isNaN ? .infinity : excess, i, got, want) }
  }
  return worst
}

/// Expects every analytic gradient to match its finite difference.
func expectGradients(
  _ name: String, analytic: [Float], numeric: [Int: Double], atol: Double, rtol: Double,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  var a: [Int: Double] = [:]
  for i in numeric.keys { a[i] = Double(analytic[i]) }
  let w = worstMismatch(a, numeric, atol: atol, rtol: rtol)
  #expect(
    w.excess <= 0,
    Comment(
      rawValue: "\(name)[\(w.index)]: backward \(w.got), finite difference \(w.want) "
        + "(atol \(atol), rtol \(rtol))"),
    sourceLocation: sourceLocation)
}

/// Expects two forward outputs to agree within atol + rtol·|reference|.
func expectForward(
  _ name: String, _ got: [Float], _ want: [Double], atol: Double, rtol: Double,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(got.count == want.count, sourceLocation: sourceLocation)
  var worst = 0
  var excess = -Double.infinity
  for i in want.indices {
    let e = abs(Double(got[i]) - want[i]) - (atol + rtol * abs(want[i]))
    if !(e <= excess) { excess = e.isNaN ? .infinity : e; worst = i }
  }
  #expect(
    excess <= 0,
    Comment(
      rawValue: "\(name)[\(worst)]: Float kernel \(got[worst]), Double reference \(want[worst]) "
        + "(atol \(atol), rtol \(rtol))"),
    sourceLocation: sourceLocation)
}
