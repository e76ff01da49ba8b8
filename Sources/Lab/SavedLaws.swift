// Fitted laws saved in the run store, as Planner law presets, so `plan --law NAME` and
// `loss --law NAME` find them beside the published ones: pass `SavedLaws.presets(in:)` as the
// `extra` laws of a `LawRegistry`. The form is Hoffmann et al. 2022, eq. 2:
// L(N, D) = E + A/N^α + B/D^β.

import Foundation
import Planner
import RunStore

/// Converts between stored laws and Planner presets.
public enum SavedLaws {
  /// The Planner preset for a stored law. Standard errors become a `ParametricUncertainty`
  /// when all five (E, A, B, alpha, beta) are present, with the bootstrap's refits when saved
  /// (intervals are then percentiles over them); the provenance names the run database.
  public static func preset(_ law: StoredLaw) -> LawPreset {
    let se = law.standardErrors
    var uncertainty: ParametricUncertainty? = nil
    if let e = se["E"], let a = se["A"], let b = se["B"], let alpha = se["alpha"],
      let beta = se["beta"]
    {
      uncertainty = ParametricUncertainty(
        seE: e, seA: a, seB: b, seAlpha: alpha, seBeta: beta, seParamsExponent: se["a"],
        correlation: law.correlation, samples: law.samples)
    }
    let intervals = law.intervals.keys.sorted().compactMap { key -> String? in
      guard let v = law.intervals[key], v.count == 2 else { return nil }
      return
        "\(key) ∈ [\(Format.significant(v[0], digits: 4)), \(Format.significant(v[1], digits: 4))]"
    }
    let date = String(Timestamp.text(law.createdAt).prefix(10))
    return LawPreset(
      id: law.name,
      law: .parametric(
        ParametricLaw(E: law.E, A: law.A, B: law.B, alpha: law.alpha, beta: law.beta)),
      provenance: LawProvenance(
        paper: "Fitted with scaleplan (saved law '\(law.name)')", location: law.provenance,
        date: date, source: "the run database",
        notes: intervals.isEmpty
          ? "no intervals saved" : "95% intervals: " + intervals.joined(separator: "; ")),
      uncertainty: uncertainty)
  }

  /// Every saved law of the Chinchilla form as a preset, ordered by name.
  /// - Throws: `RunStoreError` if the database cannot be read.
  public static func presets(in store: RunStore) throws -> [LawPreset] {
    try store.laws().filter { $0.kind == "chinchilla" }.map(preset)
  }
}
