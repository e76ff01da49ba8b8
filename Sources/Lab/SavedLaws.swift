// Fitted laws saved in the run store, as Planner law presets, so `plan --law NAME` and
// `loss --law NAME` find them beside the published ones: pass `SavedLaws.presets(in:)` as the
// `extra` laws of a `LawRegistry`. The form is Hoffmann et al. 2022, eq. 2:
// L(N, D) = E + A/N^α + B/D^β.

import Fitting
import Foundation
import Planner
import RunStore

/// Converts between stored laws and Planner presets.
public enum SavedLaws {
  /// The Planner preset for a stored law: the same law and uncertainty (with the bootstrap's
  /// refits when saved, so intervals are percentiles over them); the provenance names the run
  /// database.
  public static func preset(_ law: StoredLaw) -> LawPreset {
    let intervals = law.intervals.keys.sorted().compactMap { key -> String? in
      guard let v = law.intervals[key], v.count == 2 else { return nil }
      return
        "\(key) ∈ [\(Format.significant(v[0], digits: 4)), \(Format.significant(v[1], digits: 4))]"
    }
    let date = String(Timestamp.text(law.createdAt).prefix(10))
    return LawPreset(
      id: law.name,
      law: .parametric(law.law),
      provenance: LawProvenance(
        paper: "Fitted with scaleplan (saved law '\(law.name)')", location: law.provenance,
        date: date, source: "the run database",
        notes: intervals.isEmpty
          ? "no intervals saved" : "95% intervals: " + intervals.joined(separator: "; ")),
      uncertainty: law.uncertainty)
  }

  /// Every saved law of the Chinchilla form as a preset, ordered by name.
  /// - Throws: `RunStoreError` if the database cannot be read.
  public static func presets(in store: RunDatabase) throws -> [LawPreset] {
    try store.laws().filter { $0.kind == "chinchilla" }.map(preset)
  }
}
