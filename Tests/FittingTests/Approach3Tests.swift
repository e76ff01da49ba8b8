import Fitting
import Foundation
import Testing
import TestSupport

@Suite("Approach 3 on published data")
struct Approach3ReferenceTests {
  @Test(
    "Epoch's 240 Chinchilla points: the 4,500-start grid lands on the published grid optimum",
    .enabled(if: sharedReferenceDirectory() != nil, "shared/reference is absent; skipped"))
  func epochChinchilla() throws {
    let obs = try #require(epochChinchillaObservations())
    #expect(obs.count == 240)
    let t0 = Date()
    let fit = try Approach3.fit(obs, grid: .hoffmann)
    let dt = Date().timeIntervalSince(t0)
    print("epoch fit \(dt) s, evals \(fit.evaluations), at optimum \(fit.startsAtOptimum), conv \(fit.convergedStarts), \(fit.parameters) obj \(fit.objective)")
  }
}
