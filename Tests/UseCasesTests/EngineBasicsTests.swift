// The use-case layer's shared pieces: catalog and law access, defaults, errors.

import Catalog
import UseCases
import Planner
import Testing

@Suite struct EngineBasicsTests {
  @Test func defaultLawIsPublishedAndLoads() throws {
    let law = try Engine().law(named: nil)
    #expect(law.id == DefaultLaw.id)
  }

  @Test func explicitMissingDatabaseIsOneSentence() throws {
    let engine = Engine(databasePath: "/nonexistent/dir/runs.sqlite")
    #expect(throws: RequestError.missingDatabase("/nonexistent/dir/runs.sqlite")) {
      try engine.laws(named: "epoch2024")
    }
  }

  @Test func energyDefaultsMultiplyOverheadByAverageDraw() throws {
    let catalog = try Engine().catalog()
    let e = try EnergyDefaults(catalog)
    let factor = try catalog.energyDefault("server_overhead_factor").value
    let draw = try catalog.energyDefault("average_draw_factor").value
    #expect(e.overhead == factor * draw)
    #expect(e.sources.count == 4)
  }
}
