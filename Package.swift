// swift-tools-version: 6.1
// scaleplan: a scaling-law and cost planning calculator for language models.
// Dependency direction (leaves first): Randomness → Fitting, Kernels*, RunStore → Planner → Catalog
// → MiniGPT → Lab → Notebooks → ScalePlanCLI → scaleplan. Only RunStore imports GRDB; only
// ScalePlanCLI imports ArgumentParser. Numeric targets carry `-O` even in debug builds so
// `swift test` stays fast.
import PackageDescription

/// Optimise numeric code in every configuration (debug SIMD code is 500–800× slower).
let optimised: [SwiftSetting] = [.unsafeFlags(["-O"])]

// x86-64 instruction-set levels for the two wide kernel builds; on other hosts (e.g. arm64, where
// SIMD fused multiply-add is always there) the same sources build with -O only.
#if arch(x86_64)
  let avx2Flags = ["-O", "-Xcc", "-march=x86-64-v3"]
  let avx512Flags = ["-O", "-Xcc", "-march=x86-64-v4"]
#else
  let avx2Flags = ["-O"]
  let avx512Flags = ["-O"]
#endif

let package = Package(
  name: "scaleplan",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "scaleplan", targets: ["scaleplan"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
  ],
  targets: [
    // MARK: - Library (leaves first)
    // Seeded generators, normal samplers and the sample quantile (no dependencies).
    .target(name: "Randomness", exclude: ["README.md"], swiftSettings: optimised),
    .target(
      name: "Fitting", dependencies: ["Randomness"], exclude: ["README.md"],
      swiftSettings: optimised),
    .target(name: "Planner", dependencies: ["Fitting", "Randomness"], exclude: ["README.md"]),
    // The catalogs in data/ are compiled in (EmbeddedCatalog.swift, from .ci/embed-catalog), so
    // the binary needs no resource bundle beside it.
    .target(name: "Catalog", dependencies: ["Planner", "Fitting"], exclude: ["README.md"]),
    // The kernels (GEMM and the other inner loops) of Sources/KernelsShared, compiled three times
    // for three instruction sets: each target is its own ISA.swift plus `Shared`, a link to that
    // folder (SwiftPM refuses one file in two targets). MiniGPT picks one build at run time from
    // the CPU's features, so the binary never dies of an illegal instruction.
    .target(name: "KernelsPortable", swiftSettings: optimised),
    .target(name: "KernelsAVX2", swiftSettings: [.unsafeFlags(avx2Flags)]),
    .target(name: "KernelsAVX512", swiftSettings: [.unsafeFlags(avx512Flags)]),
    .target(
      name: "MiniGPT", dependencies: ["Randomness", "KernelsPortable", "KernelsAVX2", "KernelsAVX512"],
      exclude: ["README.md"], swiftSettings: optimised),
    .target(
      name: "RunStore", dependencies: ["Fitting", .product(name: "GRDB", package: "GRDB.swift")],
      exclude: ["README.md"]),
    .target(
      name: "Lab", dependencies: ["RunStore", "MiniGPT", "Fitting", "Planner", "Catalog"],
      exclude: ["README.md"]),
    .target(
      name: "Notebooks",
      dependencies: ["UseCases", "Lab", "Planner", "Catalog", "Fitting", "RunStore", "Randomness"],
      exclude: ["README.md"]),
    // The use-case layer: Codable requests and results, one per question; every face calls it.
    .target(
      name: "UseCases",
      dependencies: ["Planner", "Catalog", "Fitting", "MiniGPT", "RunStore", "Lab"],
      exclude: ["README.md"]),
    // The web calculator (`scaleplan serve`): pages and JSON API over the use-case layer.
    .target(
      name: "WebCalculator",
      dependencies: [
        "UseCases", "Planner", "Catalog", .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
      ],
      exclude: ["README.md"]),
    .target(
      name: "ScalePlanCLI",
      dependencies: [
        "UseCases", "WebCalculator", "Planner", "Catalog", "MiniGPT", "RunStore", "Lab", "Notebooks",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      exclude: ["README.md"]),
    .executableTarget(name: "scaleplan", dependencies: ["ScalePlanCLI"]),

    // MARK: - Test support (lives under Tests/, is not a test bundle)
    .target(name: "TestSupport", path: "Tests/TestSupport"),

    // MARK: - Tests, one target per module
    .testTarget(
      name: "UseCasesTests", dependencies: ["UseCases", "Planner", "Catalog", "Fitting", "TestSupport"]),
    .testTarget(
      name: "WebCalculatorTests",
      dependencies: ["WebCalculator", "UseCases", "scaleplan", "TestSupport"]),
    .testTarget(name: "RandomnessTests", dependencies: ["Randomness"]),
    .testTarget(
      name: "PlannerTests", dependencies: ["Planner", "Fitting", "Randomness", "TestSupport"]),
    .testTarget(
      name: "CatalogTests", dependencies: ["Catalog", "Planner", "Fitting", "TestSupport"]),
    .testTarget(name: "FittingTests", dependencies: ["Fitting", "Randomness", "TestSupport"]),
    .testTarget(name: "MiniGPTTests", dependencies: ["MiniGPT", "Randomness"]),
    .testTarget(
      name: "RunStoreTests",
      dependencies: [
        "RunStore", "Fitting", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
      ]),
    .testTarget(
      name: "LabTests",
      dependencies: ["Lab", "Catalog", "Fitting", "MiniGPT", "Planner", "RunStore", "TestSupport"]),
    .testTarget(
      name: "NotebooksTests",
      dependencies: [
        "Notebooks", "UseCases", "Catalog", "Planner", "Fitting", "Lab", "RunStore", "scaleplan",
        "TestSupport",
      ]),
    .testTarget(
      name: "ScalePlanCLITests",
      dependencies: ["Fitting", "Lab", "RunStore", "scaleplan", "TestSupport"]),
  ]
)
