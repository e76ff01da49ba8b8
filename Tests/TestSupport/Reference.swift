// The published data sets vendored in data/reference/ (each file's source repository, commit,
// paper and licence are in data/reference/README.md), read from the checkout this file was
// compiled in. A missing file is an error, never a skip: a clone carries them.

import Foundation

/// The checkout's root directory (the folder holding `Package.swift`), from this file's path
/// `Tests/TestSupport/Reference.swift`.
public func repositoryRoot(file: String = #filePath) -> URL {
  URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
}

/// The vendored published data sets, `data/reference/` in the checkout.
public func referenceDirectory(file: String = #filePath) -> URL {
  repositoryRoot(file: file).appendingPathComponent("data/reference", isDirectory: true)
}

/// A reference directory that holds nothing, for the notebooks' "reference data absent" paths
/// (without any directory they read the copies built into the binary).
public let absentReferenceDirectory = URL(
  fileURLWithPath: "/nonexistent/scaleplan-reference", isDirectory: true)

/// The vendored data sets by name; the raw values are the file names in `data/reference/`.
public enum ReferenceFile: String, CaseIterable, Sendable {
  /// Epoch AI's points digitised from Hoffmann et al. 2022 Figure 4 (Besiroglu et al. 2024).
  case epochChinchilla = "epoch_chinchilla_svg_extracted_data.csv"
  /// Sardana et al. 2024's 47 MPT training runs (Apache-2.0).
  case sardana = "sardana_beyond_chinchilla_trainingresults.csv"
  /// Epoch AI's dataset sizes of notable language models (Villalobos et al. 2024).
  case epochDatasetSizes = "epoch_datastock_dataset_sizes.csv"
  /// Hoffmann et al. 2022's isoFLOP points as digitised by Apple's ml-scalefit (Open Athena).
  case openAthenaIsoFLOPs = "openathena_chinchilla_isoflops.csv"

  /// The file's URL in the checkout.
  public var url: URL { referenceDirectory().appendingPathComponent(rawValue) }
}

/// A reference file split into its header and rows. The files have no quoted fields, so a plain
/// comma split is exact; `"\r\n"` line ends (the Sardana file's) are one `Character` in Swift.
/// - Throws: the read error when the file is missing or unreadable, `CocoaError(.fileReadCorruptFile)`
///   when it is empty.
public func referenceTable(_ file: ReferenceFile) throws -> (header: [String], rows: [[String]]) {
  let text = try String(contentsOf: file.url, encoding: .utf8)
  var lines = text.split(whereSeparator: \.isNewline).map(String.init)
  guard !lines.isEmpty else { throw CocoaError(.fileReadCorruptFile) }
  let split = { (line: String) in
    line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
  }
  let header = split(lines.removeFirst())
  return (header, lines.map(split))
}
