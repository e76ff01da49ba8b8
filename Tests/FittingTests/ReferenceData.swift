// Loaders for the published data sets vendored in data/reference/ (origin, commit and licence in
// data/reference/README.md).

import Fitting
import Foundation
import TestSupport

/// A reference file's column is missing or a cell is not a number.
struct ReferenceDataError: Error, CustomStringConvertible {
  var description: String
}

/// The index of `name` in `header`.
private func column(_ name: String, _ header: [String], _ file: ReferenceFile) throws -> Int {
  guard let i = header.firstIndex(of: name) else {
    throw ReferenceDataError(description: "\(file.rawValue) has no column '\(name)'")
  }
  return i
}

/// The number in `row[i]`.
private func number(_ row: [String], _ i: Int, _ file: ReferenceFile) throws -> Double {
  guard i < row.count, let v = Double(row[i]) else {
    throw ReferenceDataError(description: "\(file.rawValue): not a number in \(row)")
  }
  return v
}

/// Epoch AI's 245 digitised Chinchilla points with D = C/(6N) and the 5 highest losses dropped
/// (`losses < sorted(losses)[-5]` in Besiroglu et al. 2024's `data_analysis.ipynb`) → 240.
func epochChinchillaObservations() throws -> [Observation] {
  let file = ReferenceFile.epochChinchilla
  let (header, rows) = try referenceTable(file)
  let iN = try column("Model Size", header, file)
  let iC = try column("Training FLOP", header, file)
  let iL = try column("loss", header, file)
  let all = try rows.map { r in
    let n = try number(r, iN, file)
    return Observation(params: n, tokens: try number(r, iC, file) / (6 * n), loss: try number(r, iL, file))
  }
  guard all.count > 5 else { throw ReferenceDataError(description: "\(file.rawValue): too few rows") }
  let cut = all.map(\.loss).sorted()[all.count - 5]
  return all.filter { $0.loss < cut }
}

/// Sardana et al. 2024's 47 MPT runs: `Parameters`, `Tokens`, `Smoothed Loss`.
func sardanaObservations() throws -> [Observation] {
  let file = ReferenceFile.sardana
  let (header, rows) = try referenceTable(file)
  let iN = try column("Parameters", header, file)
  let iD = try column("Tokens", header, file)
  let iL = try column("Smoothed Loss", header, file)
  return try rows.map { r in
    Observation(params: try number(r, iN, file), tokens: try number(r, iD, file), loss: try number(r, iL, file))
  }
}
