// data/laws.csv against the published figures (Hoffmann 2022, Kaplan 2020, Besiroglu 2024, Llama 3, Sardana 2024), and error positions for a broken file.

import Catalog
import Fitting
import Foundation
import Planner
import TestSupport
import Testing

@Suite("Laws catalog")
struct LawCatalogTests {
  func bundled() throws -> LawRegistry { try LawCatalog.registry(CatalogFiles()) }

  @Test("Bundled laws.csv holds every preset with the published constants (exact)")
  func presets() throws {
    let r = try bundled()
    let ids = r.presets.map(\.id)
    for id in [
      "hoffmann2022", "hoffmann2022-tex", "epoch2024", "sardana2024", "kaplan2020",
      "hoffmann2022-approach1", "hoffmann2022-approach2", "llama3",
    ] {
      #expect(ids.contains(id), "missing \(id)")
    }
    #expect(try r.law(named: "chinchilla").id == "hoffmann2022")
    #expect(
      try r.law(named: "hoffmann2022").law
        == .parametric(ParametricLaw(E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28)))
    #expect(
      try r.law(named: "hoffmann2022-tex").law
        == .parametric(
          ParametricLaw(E: 1.6934, A: 406.40, B: 410.72, alpha: 0.33917, beta: 0.28491)))
    let e = try r.law(named: "epoch2024")
    #expect(
      e.law == .parametric(ParametricLaw(E: 1.817, A: 482.0, B: 2085.4, alpha: 0.348, beta: 0.366)))
    // The published SEs, with the bootstrap refits of law-refits.csv attached beside them.
    var published = e.uncertainty
    #expect(published?.samples?.count == 1000)
    published?.samples = nil
    published?.samplesOrigin = nil
    #expect(
      published
        == ParametricUncertainty(
          seE: 0.026, seA: 124.5, seB: 1293.3, seAlpha: 0.015, seBeta: 0.021,
          seParamsExponent: 0.020))
    #expect(
      try r.law(named: "sardana2024").law
        == .parametric(ParametricLaw(E: 1.4563, A: 33.73, B: 141.73, alpha: 0.1759, beta: 0.2347)))
    #expect(try r.law(named: "sardana2024").provenance.location.contains("not published"))
    guard case .kaplan(let k) = try r.law(named: "kaplan2020").law else {
      Issue.record("kaplan2020 is not a Kaplan law")
      return
    }
    #expect(k.alphaN == 0.076 && k.Nc == 8.8e13 && k.alphaD == 0.095 && k.Dc == 5.4e13)
    #expect(k.allocation.paramsExponent == 0.73)
    guard case .allocation(let a1) = try r.law(named: "hoffmann2022-approach1").law,
      case .allocation(let a2) = try r.law(named: "hoffmann2022-approach2").law
    else {
      Issue.record("approach presets are not allocation laws")
      return
    }
    #expect(a1.paramsExponent == 0.50 && a2.paramsExponent == 0.49)
    // Published Epoch point at the Chinchilla budget (Besiroglu et al. 2024): 72B.
    #expect(isClose(e.law.computeOptimal(flops: 5.76e23).params, 72.2e9, rel: 0.01))
  }

  @Test("Every preset carries provenance: paper, location, date and source")
  func provenance() throws {
    for p in try bundled().presets {
      #expect(!p.provenance.paper.isEmpty && !p.provenance.location.isEmpty, "\(p.id)")
      #expect(!p.provenance.date.isEmpty && !p.provenance.source.isEmpty, "\(p.id)")
    }
  }

  @Test("A malformed row is reported as file:line:column with a reason")
  func malformed() throws {
    let header =
      "id,aliases,kind,E,A,B,alpha,beta,E_se,A_se,B_se,alpha_se,beta_se,a_se,alpha_N,N_c,alpha_D,"
      + "D_c,params_exponent,anchor_flops,anchor_params,tokens_coefficient,tokens_exponent,paper,"
      + "location,date,source,notes"
    let bad = header + "\nmine,,parametric,1.7,abc,400,0.3,0.3,,,,,,,,,,,,,,,,p,l,d,s,n\n"
    let table = try CSVTable(text: bad, file: "laws.csv")
    do {
      _ = try LawCatalog.parse(table)
      Issue.record("expected an error")
    } catch let e as CatalogError {
      #expect(e.description.hasPrefix("laws.csv:2:22:"), "\(e)")
      #expect(e.description.contains("'A'"))
    }
    let badKind = header + "\nmine,,cubic,,,,,,,,,,,,,,,,,,,,,p,l,d,s,n\n"
    #expect(throws: CatalogError.self) {
      try LawCatalog.parse(CSVTable(text: badKind, file: "laws.csv"))
    }
  }
}
