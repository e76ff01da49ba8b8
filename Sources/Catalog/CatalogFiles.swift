// Where catalog files come from: a user's directory (`--catalog DIR`) first, then the data/
// folder bundled with the binary. A user directory may hold only some files; the rest fall back.

import Foundation

/// Resolves catalog file names (e.g. `accelerators.csv`) to readable URLs.
public struct CatalogFiles: Sendable {
  /// The user's override directory, if any.
  public let overrideDirectory: URL?
  /// The bundled catalogs' directory used as the fallback (nil when it cannot be found).
  public let bundled: URL?

  /// Creates a resolver. `overrideDirectory` must exist when given.
  /// - Parameter bundled: the fallback directory; defaults to `bundledDirectory` (tests pass their
  ///   own, or nil to see what a binary separated from its resources does).
  /// - Throws: `CatalogError.missingDirectory` if the directory does not exist.
  public init(overrideDirectory: String? = nil, bundled: URL? = CatalogFiles.bundledDirectory)
    throws
  {
    if let dir = overrideDirectory {
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
        throw CatalogError.missingDirectory(dir)
      }
      self.overrideDirectory = URL(fileURLWithPath: dir, isDirectory: true)
    } else {
      self.overrideDirectory = nil
    }
    self.bundled = bundled
  }

  /// Name of the resource bundle SwiftPM builds for this target, beside the executable.
  static let bundleNames = ["scaleplan_Catalog.resources", "scaleplan_Catalog.bundle"]

  /// The bundled data directory, or nil when the binary has been separated from its resources.
  ///
  /// SwiftPM's generated `Bundle.module` calls `fatalError` when the bundle is missing both beside
  /// the executable and at the absolute build path, so it is not used: this looks for the bundle
  /// beside the running executable (following symlinks), then beside `Bundle.main`, then for the
  /// `data/` folder of the source checkout this file was compiled from.
  public static var bundledDirectory: URL? {
    var dirs: [URL] = []
    if let exe = Bundle.main.executableURL {
      dirs.append(exe.resolvingSymlinksInPath().deletingLastPathComponent())
      dirs.append(exe.deletingLastPathComponent())
    }
    if let arg0 = CommandLine.arguments.first, arg0.contains("/") {
      dirs.append(URL(fileURLWithPath: arg0).resolvingSymlinksInPath().deletingLastPathComponent())
    }
    dirs.append(Bundle.main.bundleURL)
    for dir in dirs {
      for name in bundleNames {
        let path = dir.appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: path), let bundle = Bundle(path: path),
          let data = bundle.url(forResource: "data", withExtension: nil)
        else { continue }
        return data
      }
    }
    let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("data")
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: checkout.path, isDirectory: &isDir), isDir.boolValue {
      return checkout
    }
    return nil
  }

  /// The URL of a catalog file: the override if it holds the file, else the bundled copy.
  /// - Throws: `CatalogError.bundleMissing` when the override lacks the file and the bundled
  ///   catalogs cannot be found; `CatalogError.missingFile` when neither has it.
  public func url(for name: String) throws -> URL {
    if let dir = overrideDirectory {
      let u = dir.appendingPathComponent(name)
      if FileManager.default.fileExists(atPath: u.path) { return u }
    }
    guard let dir = bundled else {
      throw CatalogError.bundleMissing(name)
    }
    let bundled = dir.appendingPathComponent(name)
    guard FileManager.default.fileExists(atPath: bundled.path) else {
      throw CatalogError.missingFile(bundled.path)
    }
    return bundled
  }

  /// Parses a catalog CSV file by name.
  public func table(_ name: String) throws -> CSVTable {
    try CSVTable(contentsOf: url(for: name))
  }

  /// Whether a file comes from the user's override directory rather than the bundled catalogs.
  public func isOverridden(_ name: String) -> Bool {
    guard let dir = overrideDirectory else { return false }
    return FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path)
  }
}
