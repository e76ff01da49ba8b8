// Running the built `scaleplan` binary from tests: it sits beside the test bundle in
// .build/<configuration>/. Tests that need it skip visibly when it is absent.

import Foundation

/// The `scaleplan` executable next to the test bundle, if built.
public func builtScaleplanBinary() -> URL? {
  var dirs: [URL] = []
  if let arg0 = CommandLine.arguments.first {
    dirs.append(URL(fileURLWithPath: arg0).deletingLastPathComponent())
  }
  dirs.append(Bundle.main.bundleURL)
  dirs.append(Bundle.main.bundleURL.deletingLastPathComponent())
  for d in dirs {
    let u = d.appendingPathComponent("scaleplan")
    if FileManager.default.isExecutableFile(atPath: u.path) { return u }
  }
  return nil
}

/// What one run of the binary printed and returned.
public struct CLIRun: Sendable {
  public var status: Int32
  public var stdout: Data
  public var stderr: String
}

/// Runs the built binary with `arguments` (in `directory` when given).
/// - Throws: `CocoaError(.fileNoSuchFile)` when the binary is absent, or launch errors.
public func runBuiltScaleplan(_ arguments: [String], in directory: URL? = nil) throws -> CLIRun {
  guard let bin = builtScaleplanBinary() else { throw CocoaError(.fileNoSuchFile) }
  let p = Process()
  p.executableURL = bin
  p.arguments = arguments
  if let d = directory { p.currentDirectoryURL = d }
  let out = Pipe()
  let err = Pipe()
  p.standardOutput = out
  p.standardError = err
  try p.run()
  let o = out.fileHandleForReading.readDataToEndOfFile()
  let e = err.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  return CLIRun(status: p.terminationStatus, stdout: o, stderr: String(decoding: e, as: UTF8.self))
}
