// A database written by an earlier scaleplan (schema v1, before laws kept their bootstrap refits)
// opens with today's RunStore: the v2 migration adds the column and the old law reads back with
// no refits, so `plan --law` falls back to its standard errors.

import Foundation
import Testing

@testable import RunStore

@Suite("RunStore upgrades")
struct MigrationUpgradeTests {
  @Test("a v1 database gains law.samples; its laws read back without refits, new ones keep theirs")
  func v1ToV2() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "scaleplan-upgrade-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("old.sqlite").path
    try RunDatabase.createLegacy(
      path: path, through: "2026-11-29 v1: run, lossPoint, sweep, fit, law",
      sql: """
        INSERT INTO law (name, kind, E, A, B, alpha, beta, intervals, standardErrors,
          correlation, provenance, createdAt)
        VALUES ('old', 'chinchilla', 0.4, 120, 3400, 0.7, 0.9, '{}',
          '{"A":12,"B":300,"E":0.01,"alpha":0.02,"beta":0.03}', NULL, 'an earlier fit',
          '2026-11-28T12:00:00.000Z');
        INSERT INTO law (name, kind, E, A, B, alpha, beta, intervals, standardErrors,
          correlation, provenance, createdAt)
        VALUES ('partial', 'chinchilla', 0.4, 120, 3400, 0.7, 0.9, '{}', '{"E":0.01}', NULL,
          'a fit whose other errors were not finite', '2026-11-28T12:00:00.000Z')
        """)
    let store = try RunDatabase(path: path)
    #expect(
      try store.appliedMigrations() == [
        "2026-11-29 v1: run, lossPoint, sweep, fit, law", "2026-11-29 v2: law bootstrap samples",
        "2026-12-03 v3: sweep slot claims",
      ])
    let old = try #require(try store.law(named: "old"))
    #expect(
      old.uncertainty?.samples == nil && old.law.A == 120 && old.uncertainty?.seBeta == 0.03)
    // Standard errors of only some parameters read as no uncertainty.
    #expect(try store.law(named: "partial")?.uncertainty == nil)
    var new = old
    new.name = "new"
    new.uncertainty?.samples = [[0.4, 118, 3300, 0.69, 0.91], [0.41, 121, 3500, 0.71, 0.89]]
    try store.saveLaw(new)
    #expect(try store.law(named: "new")?.uncertainty?.samples == new.uncertainty?.samples)
    #expect(try store.integrityCheck() == ["ok"])
  }
}
