import ArgumentParser

/// `scaleplan bench gemm` (not yet implemented).
public struct BenchGemmCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "gemm", abstract: "(not yet implemented)")
  @OptionGroup public var output: OutputOptions
  public init() {}
  public func run() throws {
    throw ValidationError("'bench gemm' is not implemented yet.")
  }
}
