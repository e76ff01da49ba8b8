// Saved laws become Planner presets that a LawRegistry finds by name.

import Fitting
import Foundation
import Lab
import Planner
import RunStore
import Testing

@Suite("Saved laws")
struct SavedLawsTests {
  @Test("a saved law is found by plan's registry and predicts the same loss")
  func registryFindsSavedLaw() throws {
    // Given a law saved with standard errors and intervals
    let store = try RunDatabase.inMemory()
    let law = StoredLaw(
      name: "ours", law: ParametricLaw(E: 0.4, A: 150, B: 2_000, alpha: 0.7, beta: 0.9),
      uncertainty: ParametricUncertainty(seE: 0.01, seA: 10, seB: 100, seAlpha: 0.02, seBeta: 0.03),
      intervals: ["alpha": [0.65, 0.75]],
      provenance: "sweep 2 (standard), Approach 3", createdAt: Date(timeIntervalSince1970: 0))
    try store.saveLaw(law)
    // When the registry is built with the saved laws as extras
    let registry = try LawRegistry(presets: [], extra: try SavedLaws.presets(in: store))
    let preset = try registry.law(named: "OURS")
    // Then the law is the same function: L = E + A/N^α + B/D^β at N = 1e6, D = 2e7
    let expected = 0.4 + 150 / pow(1e6, 0.7) + 2_000 / pow(2e7, 0.9)
    let loss = try #require(preset.law.loss(params: 1e6, tokens: 2e7))
    #expect(abs(loss - expected) < 1e-12)
    #expect(preset.uncertainty?.seAlpha == 0.02)
    #expect(preset.provenance.location == "sweep 2 (standard), Approach 3")
    #expect(preset.provenance.date == "1970-01-01")
  }

  @Test("a law saved without uncertainty gives a preset without it")
  func noUncertainty() throws {
    let store = try RunDatabase.inMemory()
    try store.saveLaw(
      StoredLaw(
        name: "x", law: ParametricLaw(E: 1, A: 1, B: 1, alpha: 0.5, beta: 0.5),
        provenance: "p", createdAt: Date(timeIntervalSince1970: 0)))
    let law = try #require(try store.law(named: "x"))
    #expect(law.uncertainty == nil)
    #expect(SavedLaws.preset(law).uncertainty == nil)
  }

}
