// The default law's plan intervals from the catalog's bootstrap refits (data/law-refits.csv):
// the file is what `catalog refits` regenerates, the plan's interval is the percentile of the
// refits' own closed-form N* computed here, an independent bootstrap (another seed, the fitter
// called directly) agrees within Monte-Carlo error, and the interval is far narrower than
// independent normals over the published SEs. Bad refits files and requests are refused.

import Catalog
import Fitting
import Foundation
import Planner
import TestSupport
import Testing
import UseCases

/// Type-7 (linear interpolation) quantile of sorted data, written here independently.
private func type7(_ sorted: [Double], _ p: Double) -> Double {
  let h = Double(sorted.count - 1) * p
  let lo = Int(h.rounded(.down))
  let hi = min(lo + 1, sorted.count - 1)
  return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
}

/// N*(C) = G·(C/6)^a, G = (αA/(βB))^(1/(α+β)), a = β/(α+β) (Hoffmann et al. 2022 eq. 4).
private func optimalParams(_ r: [Double], flops c: Double) -> Double {
  let (A, B, alpha, beta) = (r[1], r[2], r[3], r[4])
  let g = pow(alpha * A / (beta * B), 1 / (alpha + beta))
  return g * pow(c / 6, beta / (alpha + beta))
}

/// The shipped refits of epoch2024, as (E, A, B, α, β) rows.
private func shippedRefits() throws -> [[Double]] {
  let table = try CatalogFiles().table(LawRefitsCatalog.fileName)
  let all = try LawRefitsCatalog.parse(table)
  return try #require(all.first { $0.law == "epoch2024" }).rows
}

@Suite("epoch2024 intervals from bootstrap refits")
struct LawRefitsTests {
  let chinchillaC = 5.76e23

  @Test("the preset carries the 1,000 shipped refits; laws without refits carry none")
  func presetCarriesRefits() throws {
    let engine = Engine()
    let epoch = try engine.law(named: "epoch2024")
    #expect(epoch.uncertainty?.samples?.count == 1000)
    #expect(epoch.uncertainty?.samplesOrigin?.contains("law-refits.csv") == true)
    // Published SEs are kept beside the refits.
    #expect(epoch.uncertainty?.seA == 124.5)
    #expect(try engine.law(named: "hoffmann2022").uncertainty == nil)
  }

  @Test("the file is what `catalog refits` makes: the first 10 resamples regenerate to 1e-9")
  func regenerates() throws {
    let shipped = try shippedRefits()
    let r = try Engine().lawRefits(LawRefitsRequest(resamples: 10, seed: 2024, threads: 2))
    #expect(r.points == 240)
    #expect(r.refits.count == 10)
    for (k, refit) in r.refits.enumerated() {
      #expect(refit.resample == k)
      let got = [refit.E, refit.A, refit.B, refit.alpha, refit.beta]
      for j in 0..<5 {
        #expect(abs(got[j] / shipped[k][j] - 1) < 1e-9, "resample \(k) column \(j)")
      }
    }
    // The full-data fit is Epoch's published grid optimum (Besiroglu et al. 2024, to 4 digits).
    #expect(abs(r.fit.alpha - 0.34731) < 1e-4 && abs(r.fit.beta - 0.36718) < 1e-4)
  }

  @Test("plan's 80% interval at 5.76e23 is the 10th–90th percentile of the refits' own N*")
  func planIntervalIsRefitPercentile() throws {
    let rows = try shippedRefits()
    let ns = rows.map { optimalParams($0, flops: chinchillaC) }.sorted()
    let ds = ns.map { chinchillaC / (6 * $0) }.sorted()
    let ratios = ns.map { chinchillaC / (6 * $0 * $0) }.sorted()
    let plan = try #require(try Engine().plan(PlanRequest(compute: chinchillaC)).rows.first)
    #expect(plan.law == "epoch2024")
    let n = try #require(plan.paramsInterval)
    let d = try #require(plan.tokensInterval)
    let dn = try #require(plan.tokensPerParamInterval)
    let loss = try #require(plan.lossInterval)
    #expect(abs(n[0] / type7(ns, 0.1) - 1) < 1e-12 && abs(n[1] / type7(ns, 0.9) - 1) < 1e-12)
    #expect(abs(d[0] / type7(ds, 0.1) - 1) < 1e-12 && abs(d[1] / type7(ds, 0.9) - 1) < 1e-12)
    #expect(abs(dn[0] / type7(ratios, 0.1) - 1) < 1e-12)
    #expect(abs(dn[1] / type7(ratios, 0.9) - 1) < 1e-12)
    // The loss of the planned run under each refit, by hand.
    let losses = rows.map { r in
      r[0] + r[1] / pow(plan.params, r[3]) + r[2] / pow(plan.tokens, r[4])
    }.sorted()
    #expect(abs(loss[0] / type7(losses, 0.1) - 1) < 1e-12)
    #expect(abs(loss[1] / type7(losses, 0.9) - 1) < 1e-12)
    #expect(loss[0] < plan.loss ?? 0 && plan.loss ?? 0 < loss[1])
    // The issue's bootstrap figure: roughly 59B–99B.
    #expect(n[0] > 55e9 && n[0] < 63e9 && n[1] > 93e9 && n[1] < 105e9, "\(n)")
    #expect(plan.intervalMethod?.contains("bootstrap refits") == true)
  }

  @Test("an independent bootstrap (seed 99, 200 resamples) agrees within Monte-Carlo error")
  func independentBootstrapAgrees() throws {
    // The fitter called directly on the same points, another seed, N*(C) from Bootstrap itself.
    let files = try CatalogFiles()
    let obs = try RefitData.epoch.observations(files)
    let fit = try Approach3.fit(obs, grid: .hoffmann)
    let boot = try Bootstrap.run(
      obs, fit: fit, resamples: 200, seed: 99, budget: chinchillaC, threads: 2)
    let k = try #require(boot.names.firstIndex(of: "N_opt"))
    let fresh = boot.samples.map { $0[k] }.sorted()
    let shipped = try shippedRefits().map { optimalParams($0, flops: chinchillaC) }.sorted()
    // A 200-sample 10th percentile has a quantile SE of √(0.1·0.9/200) ≈ 0.021 (the shipped
    // 1,000 add √(0.09/1000) ≈ 0.009: 0.023 together); ±0.06 is 2.6 SE.
    for p in [0.1, 0.9] {
      let q = type7(fresh, p)
      #expect(q >= type7(shipped, p - 0.06) && q <= type7(shipped, p + 0.06), "p = \(p): \(q)")
    }
  }

  @Test("far narrower than independent normals over the published SEs, which say what they are")
  func narrowerThanNormals() throws {
    let epoch = try Engine().law(named: "epoch2024")
    guard case .parametric(let law) = epoch.law else { Issue.record("not parametric"); return }
    var published = try #require(epoch.uncertainty)
    let refits = planIntervals(
      law: law, uncertainty: published, target: .compute(chinchillaC),
      run: law.computeOptimal(flops: chinchillaC))
    published.samples = nil
    published.samplesOrigin = nil
    let normals = planIntervals(
      law: law, uncertainty: published, target: .compute(chinchillaC),
      run: law.computeOptimal(flops: chinchillaC))
    let refitSpread = refits.params.upperBound / refits.params.lowerBound
    let normalSpread = normals.params.upperBound / normals.params.lowerBound
    // Refits ≈ 59B–99B (1.7×); normals 15.4B–479B (31×), the figure that made them unusable.
    #expect(refitSpread < 2, "\(refits.params)")
    #expect(normalSpread > 10, "\(normals.params)")
    #expect(abs(normals.params.lowerBound / 15.4e9 - 1) < 0.05, "\(normals.params)")
    #expect(AllocationIntervalMethod.caveat(for: published).contains("independent normals"))
  }

  @Test("a malformed refits file is refused at file:line:column")
  func malformedRefused() throws {
    let header = "law,resample,E,A,B,alpha,beta,source\n"
    func rows(_ n: Int, bad: String? = nil) -> String {
      (0..<n).map { i in
        i == 3 && bad != nil ? bad! : "epoch2024,\(i),1.8,480,2100,0.35,0.37,test"
      }.joined(separator: "\n") + "\n"
    }
    let presets = try LawCatalog.parse(CatalogFiles().table(LawCatalog.fileName))
    let cases: [(String, String)] = [
      (header + rows(12, bad: "epoch2024,3,1.8,-480,2100,0.35,0.37,test"), "law-refits.csv:5:"),
      (header + rows(12, bad: "epoch2024,2,1.8,480,2100,0.35,0.37,test"), "appears twice"),
      (header + rows(5), "at least 10"),
      (header + rows(12).replacingOccurrences(of: "epoch2024", with: "nolaw"), "not in laws.csv"),
    ]
    for (text, expected) in cases {
      let table = try CSVTable(text: text, file: LawRefitsCatalog.fileName)
      do {
        _ = try LawRefitsCatalog.attach(table, to: presets, strict: true)
        Issue.record("accepted: \(expected)")
      } catch {
        #expect("\(error)".contains(expected), "\(error)")
      }
    }
  }

  @Test("refits requests outside their bounds are refused in one sentence")
  func requestBounds() {
    for request in [
      LawRefitsRequest(resamples: 5), LawRefitsRequest(resamples: 1_000_000),
      LawRefitsRequest(law: "hoffmann2022"), LawRefitsRequest(threads: 0),
    ] {
      #expect(throws: RequestError.self) { try request.validate() }
    }
  }
}
