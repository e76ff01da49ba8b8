// `catalog refits`: the bootstrap refits behind the default law's intervals, made by the
// project's own fitter from the data that law was fitted to, and written as the catalog file
// data/law-refits.csv (read back by Catalog's `LawRefitsCatalog`). Besiroglu et al. 2024 (arXiv
// 2404.10102, §3) refit Chinchilla's law to Epoch AI's 245 digitised points of Hoffmann et al.
// 2022 Fig. 4 and published standard errors from a bootstrap, but not the refits or their
// covariance; independent normals over those SEs ignore the strong A–α and B–β correlation and
// give N*(C) intervals roughly 15× wider than the bootstrap's own. Same request, same bytes.

import Catalog
import Fitting
import Foundation
import Planner
import RunStore

/// What to refit and where to write it.
public struct LawRefitsRequest: Codable, Sendable, Equatable {
  /// The law whose data is resampled (only `epoch2024` ships its data).
  public var law: String?
  /// Bootstrap resamples (default 1,000).
  public var resamples: Int?
  /// Bootstrap seed (default 2024): resample i uses PRNG stream (seed, i).
  public var seed: UInt64?
  /// Worker threads (default 2); the result does not depend on it.
  public var threads: Int?
  /// Write the refits catalog here (`--out`); nil writes nothing.
  public var out: String?
  /// Replace an existing `out`.
  public var force: Bool?

  /// A request; every field optional (defaults above).
  public init(
    law: String? = nil, resamples: Int? = nil, seed: UInt64? = nil, threads: Int? = nil,
    out: String? = nil, force: Bool? = nil
  ) {
    self.law = law
    self.resamples = resamples
    self.seed = seed
    self.threads = threads
    self.out = out
    self.force = force
  }

  /// The defaults the shipped file was made with.
  public static let defaultResamples = 1000
  /// The shipped file's seed.
  public static let defaultSeed: UInt64 = 2024

  /// Checks the counts and the law.
  /// - Throws: `RequestError.invalid` with the allowed range.
  public func validate() throws {
    if let r = resamples {
      guard r >= LawRefitsCatalog.minimumRefits, r <= LawRefitsCatalog.maximumRefits else {
        throw RequestError.invalid(
          "--resamples must be from \(LawRefitsCatalog.minimumRefits) to "
            + "\(LawRefitsCatalog.maximumRefits) (the refits catalog's bounds); got \(r).")
      }
    }
    if let t = threads {
      guard t >= 1, t <= 256 else {
        throw RequestError.invalid("--threads must be from 1 to 256; got \(t).")
      }
    }
    let id = (law ?? RefitData.epoch.law).lowercased()
    guard id == RefitData.epoch.law else {
      throw RequestError.invalid(
        "Refits can be made for \(RefitData.epoch.law) only, the one law whose data ships with "
          + "scaleplan; for your own runs use `scaleplan fit --bootstrap N --save-as NAME`.")
    }
  }
}

/// The data a preset law was fitted to, as shipped in the catalog.
public struct RefitData: Sendable, Equatable {
  /// Law id.
  public var law: String
  /// Catalog file holding the points.
  public var file: String
  /// What the points are and how they are filtered.
  public var description: String

  /// Epoch AI's digitisation of Hoffmann et al. 2022 Fig. 4 (245 points; Besiroglu et al. 2024).
  public static let epoch = RefitData(
    law: "epoch2024", file: "reference/epoch_chinchilla_svg_extracted_data.csv",
    description:
      "Epoch AI's 245 points digitised from Hoffmann et al. 2022 Fig. 4 with D = C/(6N), the 5 "
      + "highest losses dropped as in Besiroglu et al. 2024's notebook (240 points)")

  /// The points: D = C/(6N), the five highest losses dropped (`losses < sorted(losses)[-5]`).
  /// - Throws: `CatalogError` for a missing column or a cell that is not a positive number.
  public func observations(_ files: CatalogFiles) throws -> [Observation] {
    let t = try files.table(file)
    let all = try t.rows.map { row -> Observation in
      let n = try t.positive(row, "Model Size")
      let c = try t.positive(row, "Training FLOP")
      return Observation(params: n, tokens: c / (6 * n), loss: try t.positive(row, "loss"))
    }
    guard all.count > 5 else {
      throw RequestError.invalid("\(file) holds \(all.count) points; the refits need more than 5.")
    }
    let cut = all.map(\.loss).sorted()[all.count - 5]
    return all.filter { $0.loss < cut }
  }
}

/// The refits and what they were made from.
public struct LawRefitsResult: Encodable, Sendable {
  /// Law id.
  public var law: String
  /// Points fitted.
  public var points: Int
  /// The data's description.
  public var data: String
  /// The full-data Approach 3 fit (Hoffmann's 4,500-start grid).
  public var fit: ParametricLaw
  /// Its Huber objective.
  public var objective: Double
  /// Resamples requested, and how many refits failed (left out).
  public var resamples: Int
  public var failed: Int
  /// The seed.
  public var seed: UInt64
  /// Resample number and (E, A, B, α, β) of each refit.
  public var refits: [Refit]
  /// Where the catalog file was written, if anywhere.
  public var written: String?
  /// The catalog file's text (not part of the JSON).
  public var csv: String

  /// One refit.
  public struct Refit: Encodable, Sendable, Equatable {
    public var resample: Int
    public var E: Double
    public var A: Double
    public var B: Double
    public var alpha: Double
    public var beta: Double
  }

  enum CodingKeys: String, CodingKey {
    case law, points, data, fit, objective, resamples, failed, seed, refits, written
  }
}

extension Engine {
  /// Fits the law's data (Hoffmann's grid), bootstraps it, and renders the refits catalog; writes
  /// it to `request.out` when given (never over an existing file without `force`).
  /// - Throws: `RequestError.invalid`, the fitter's `FitError`, `CatalogError` for the data,
  ///   `RunStoreError.refusedOutput` for the output file.
  public func lawRefits(_ request: LawRefitsRequest) throws -> LawRefitsResult {
    try request.validate()
    let data = RefitData.epoch
    let observations = try data.observations(try catalogFiles())
    let threads = request.threads ?? 2
    let resamples = request.resamples ?? LawRefitsRequest.defaultResamples
    let seed = request.seed ?? LawRefitsRequest.defaultSeed
    let fit = try Approach3.fit(observations, grid: .hoffmann, threads: threads)
    let boot = try Bootstrap.run(
      observations, fit: fit, resamples: resamples, seed: seed, threads: threads)
    let refits = zip(boot.sampleIndices, boot.samples).map { i, row in
      LawRefitsResult.Refit(
        resample: i, E: row[0], A: row[1], B: row[2], alpha: row[3], beta: row[4])
    }
    let p = fit.parameters
    var lines = [
      "# Bootstrap refits of \(data.law) (Besiroglu et al. 2024, arXiv 2404.10102, §3), made by "
        + "scaleplan's own fitter; read by the planner for \(data.law)'s intervals.",
      "# Each row: L(N, D) = E + A/N^alpha + B/D^beta fitted by Approach 3 (Hoffmann et al. 2022 "
        + "§3.3: Huber loss, delta 1e-3, on log loss; L-BFGS from the full-data fit) to one "
        + "resample with replacement of the \(observations.count) points of data/\(data.file):",
      "# \(data.description).",
      "# resample = the bootstrap's PRNG stream i (Xoshiro256** seeded with (seed, i)); refits "
        + "that fail to converge are left out.",
      "# Full-data fit (4,500-start grid): E = \(p.E), A = \(p.A), B = \(p.B), alpha = "
        + "\(p.alpha), beta = \(p.beta), objective \(fit.objective).",
      "# \(resamples) resamples, \(boot.failed) failed, seed \(seed).",
      "# Regenerate: swift run -c release scaleplan catalog refits --law \(data.law) "
        + "--resamples \(resamples) --seed \(seed) --out data/\(LawRefitsCatalog.fileName) "
        + "--force && .ci/embed-catalog",
      LawRefitsCatalog.columns.joined(separator: ","),
    ]
    for r in refits {
      lines.append(
        "\(data.law),\(r.resample),\(r.E),\(r.A),\(r.B),\(r.alpha),\(r.beta),"
          + "Approach 3 bootstrap of the 240 points of Besiroglu et al. 2024")
    }
    let csv = lines.joined(separator: "\n") + "\n"
    if let out = request.out {
      try OutputFile.write(csv, to: out, force: request.force ?? false, protecting: [])
    }
    return LawRefitsResult(
      law: data.law, points: observations.count, data: data.description, fit: p,
      objective: fit.objective, resamples: resamples, failed: boot.failed, seed: seed,
      refits: refits, written: request.out, csv: csv)
  }
}
