// `scaleplan notebook`: regenerate notebooks-export/ (or one notebook elsewhere).

import ArgumentParser
import Foundation
import Notebooks

/// `scaleplan notebook [NAME] [--all] [--out DIR]`.
public struct NotebookCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "notebook",
    abstract: "Generate notebooks (Markdown + SVG + HTML) from the catalogs, library and runs.",
    discussion: "Notebooks: "
      + NotebookName.allCases.map(\.rawValue).joined(separator: ", ") + ".")

  @Argument(help: "The notebook to build (omit with --all).")
  public var name: String?

  @Flag(name: .long, help: "Build every notebook.")
  public var all = false

  @Option(name: .long, help: "Output directory.")
  public var out: String = "notebooks-export"

  @Option(name: .long, help: "Run database for tiny-scaling (default: a fresh sweep).")
  public var db: String?

  @Option(name: .long, help: "Sweep preset for tiny-scaling: quick, standard or full.")
  public var preset: String = "standard"

  @Option(
    name: .long,
    help: "Published reference data (default: ../shared/reference when it exists).")
  public var reference: String?

  @Option(name: .long, help: "Benchmark results (Markdown) to embed in the benchmarks notebook.")
  public var benchmarks: String?

  @OptionGroup public var catalogOptions: CatalogOptions
  @OptionGroup public var output: JSONOptions

  public init() {}

  public func validate() throws {
    if all && name != nil {
      throw ValidationError("Give a notebook name or --all, not both.")
    }
    if !all && name == nil {
      throw ValidationError("Name a notebook or pass --all.")
    }
    if !["quick", "standard", "full"].contains(preset) {
      throw ValidationError("--preset must be quick, standard or full, got '\(preset)'.")
    }
  }

  public func run() throws {
    let names = try all ? NotebookName.allCases : [NotebookBuilder.name(name ?? "")]
    var refURL: URL?
    if let r = reference {
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: r, isDirectory: &isDir), isDir.boolValue else {
        throw ValidationError("--reference '\(r)' is not a directory.")
      }
      refURL = URL(fileURLWithPath: r, isDirectory: true)
    } else {
      let guess = URL(fileURLWithPath: "../shared/reference", isDirectory: true)
      if FileManager.default.fileExists(atPath: guess.path) { refURL = guess }
    }
    let context = NotebookContext(
      files: try catalogOptions.files(), referenceDirectory: refURL, databasePath: db,
      sweepPreset: preset, benchmarksPath: benchmarks, runner: selfRunner(catalog: catalogOptions.catalog))
    let dir = URL(fileURLWithPath: out, isDirectory: true)
    var written: [[String: String]] = []
    for n in names {
      let doc = try NotebookBuilder.build(n, context: context)
      try doc.write(to: dir)
      written.append(["notebook": n.rawValue, "markdown": dir.appendingPathComponent("\(doc.name).md").path])
      if !output.json {
        print("wrote \(dir.appendingPathComponent("\(doc.name).md").path) (+ .html, \(doc.figures.count) figures)")
      }
    }
    if output.json { try JSONOutput.print(["notebooks": written]) }
  }
}

/// Runs this same binary as a child process with `--json` (and the same `--catalog`), returning
/// its standard output; a failing command becomes an error carrying its one-sentence message.
func selfRunner(catalog: String?) -> CommandRunner {
  let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
  return { arguments in
    let process = Process()
    process.executableURL = executable
    var args = arguments + ["--json"]
    if let c = catalog { args += ["--catalog", c] }
    process.arguments = args
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let message = String(decoding: errData, as: UTF8.self)
        .split(separator: "\n").first.map(String.init) ?? "exit \(process.terminationStatus)"
      throw ValidationError("'scaleplan \(arguments.joined(separator: " "))' failed: \(message)")
    }
    return data
  }
}
