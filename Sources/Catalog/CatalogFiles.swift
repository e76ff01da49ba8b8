// Where catalog files come from: a user's directory (`--catalog DIR`) first, then the data/
// folder bundled with the binary. A user directory may hold only some files; the rest fall back.

import Foundation

/// Resolves catalog file names (e.g. `accelerators.csv`) to readable URLs.
public struct CatalogFiles: Sendable {
  /// The user's override directory, if any.
  public let overrideDirectory: URL?

  /// Creates a resolver. `overrideDirectory` must exist when given.
  /// - Throws: `CatalogError.missingFile` if the directory does not exist.
  public init(overrideDirectory: String? = nil) throws {
    if let dir = overrideDirectory {
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
        throw CatalogError.missingFile(dir)
      }
      self.overrideDirectory = URL(fileURLWithPath: dir, isDirectory: true)
    } else {
      self.overrideDirectory = nil
    }
  }

  /// The bundled data directory.
  public static var bundledDirectory: URL? {
    Bundle.module.url(forResource: "data", withExtension: nil)
  }

  /// The URL of a catalog file: the override if it holds the file, else the bundled copy.
  /// - Throws: `CatalogError.missingFile` when neither has it.
  public func url(for name: String) throws -> URL {
    if let dir = overrideDirectory {
      let u = dir.appendingPathComponent(name)
      if FileManager.default.fileExists(atPath: u.path) { return u }
    }
    guard let bundled = Self.bundledDirectory?.appendingPathComponent(name),
      FileManager.default.fileExists(atPath: bundled.path)
    else { throw CatalogError.missingFile(name) }
    return bundled
  }

  /// Parses a catalog CSV file by name.
  public func table(_ name: String) throws -> CSVTable {
    try CSVTable(contentsOf: url(for: name))
  }
}
