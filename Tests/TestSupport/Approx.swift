// Approximate comparison helpers for tests (swift-numerics style): report expected, observed and
// the relative error so a failing published-number test says by how much it missed.

import Foundation

/// The relative error |observed − expected| / |expected| (absolute error when expected is 0).
public func relativeError(_ observed: Double, _ expected: Double) -> Double {
  expected == 0 ? abs(observed) : abs(observed - expected) / abs(expected)
}

/// A message describing a comparison, for `#expect(..., Comment(rawValue: message))`.
public func closeness(_ observed: Double, _ expected: Double, _ label: String = "") -> String {
  "\(label) expected \(expected), observed \(observed), relative error \(relativeError(observed, expected))"
}

/// True when `observed` is within `rel` relative error of `expected`.
public func isClose(_ observed: Double, _ expected: Double, rel: Double) -> Bool {
  observed.isFinite && relativeError(observed, expected) <= rel
}
