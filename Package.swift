// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "vtools",
  products: [
    .executable(name: "vframes", targets: ["vframes"]),
    .executable(name: "vprompt", targets: ["vprompt"]),
    .executable(name: "vinfer", targets: ["vinfer"]),
    .executable(name: "vmerge", targets: ["vmerge"]),
    .executable(name: "vscore", targets: ["vscore"]),
    .executable(name: "vdata", targets: ["vdata"]),
    .executable(name: "vreport", targets: ["vreport"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    // Already in async-http-client's graph; vdata uses its SHA256 to verify downloads.
    .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
  ],
  targets: [
    // C libraries (system). Debian 12: libavformat 59 / libavcodec 59 (FFmpeg 5.1).
    .systemLibrary(
      name: "CFFmpeg", pkgConfig: "libavformat",
      providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev", "libswresample-dev"])]),
    .systemLibrary(
      name: "CXLSXWriter", pkgConfig: "xlsxwriter",
      providers: [.apt(["libxlsxwriter-dev"])]),
    .systemLibrary(
      name: "CZlib", pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(
      name: "CArchive", pkgConfig: "libarchive",
      providers: [.apt(["libarchive-dev"])]),

    // Libraries: all logic lives here.
    .target(name: "VCore"),
    .target(name: "VMedia", dependencies: ["CFFmpeg", "VCore"]),
    .target(name: "VFrames", dependencies: ["VCore", "VMedia"]),
    .target(name: "VPrompt", dependencies: ["VCore"]),
    // The spreadsheet module: the only importer of libxlsxwriter (writing) and zlib (reading .xlsx).
    .target(name: "VSheet", dependencies: ["CXLSXWriter", "CZlib", "VCore"]),
    .target(name: "VMerge", dependencies: ["VCore", "VSheet"]),
    .target(name: "VScore", dependencies: ["VCore", "VSheet"]),
    .target(name: "VInference", dependencies: [
      "VCore", "VMedia", .product(name: "AsyncHTTPClient", package: "async-http-client"),
    ]),
    // Dataset preparation (the only importer of libarchive) and the hub cache layout.
    .target(name: "VData", dependencies: ["CArchive", "VCore"]),
    // The Hugging Face hub client: revision info, tree, resolve, ranged verified downloads.
    .target(name: "VHub", dependencies: [
      "VCore", "VData", .product(name: "AsyncHTTPClient", package: "async-http-client"),
      .product(name: "Crypto", package: "swift-crypto"),
    ]),
    // The benchmark registry: one file per VLMEvalKit family (configs, prompt, scoring, data).
    .target(name: "VBenchmarks", dependencies: ["VCore", "VData", "VPrompt", "VScore"]),
    // The static report of runs (HTML, SVG, JSON): reads run folders, tables and answer logs.
    .target(name: "VReport", dependencies: ["VCore", "VScore"]),
    .target(name: "VCLI", dependencies: [
      "VCore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]),

    // Tools (thin).
    .executableTarget(name: "vframes", dependencies: ["VCLI", "VFrames", "VBenchmarks", "VMedia", "VCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

    .executableTarget(name: "vprompt", dependencies: ["VCLI", "VPrompt", "VBenchmarks", "VCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

    .executableTarget(name: "vinfer", dependencies: ["VCLI", "VInference", "VCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

    .executableTarget(name: "vmerge", dependencies: ["VCLI", "VMerge", "VBenchmarks", "VCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

    .executableTarget(name: "vscore", dependencies: ["VCLI", "VScore", "VBenchmarks", "VCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

    .executableTarget(name: "vdata", dependencies: ["VCLI", "VHub", "VData", "VBenchmarks", "VCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

    .executableTarget(name: "vreport", dependencies: ["VCLI", "VReport", "VCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

    // Test support (belongs to no product).
    .target(name: "VTestSupport", dependencies: ["VCore", "VMedia"]),

    // Tests.
    .testTarget(name: "VCoreTests", dependencies: ["VCore", "VTestSupport"]),
    .testTarget(name: "VMediaTests", dependencies: ["VMedia", "VTestSupport"]),
    .testTarget(name: "VFramesTests", dependencies: ["VFrames", "VTestSupport"]),
    .testTarget(name: "VPromptTests", dependencies: ["VPrompt", "VBenchmarks", "VCore", "VTestSupport"]),
    .testTarget(name: "VInferenceTests", dependencies: ["VInference", "VCore", "VTestSupport"]),
    .testTarget(name: "VMergeTests", dependencies: ["VMerge", "VSheet", "VCore", "VTestSupport"]),
    .testTarget(name: "VScoreTests", dependencies: ["VScore", "VBenchmarks", "VSheet", "VCore", "VTestSupport"]),
    .testTarget(name: "VBenchmarksTests", dependencies: ["VBenchmarks", "VPrompt", "VScore", "VCore", "VTestSupport"]),
    .testTarget(name: "VCLITests", dependencies: ["VCLI", "VCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    .testTarget(name: "EndToEndTests", dependencies: ["VTestSupport", "VCore", "VMedia", "VBenchmarks", "VCLI"]),
    .testTarget(name: "VDataTests", dependencies: ["VData", "VHub", "VBenchmarks", "VCore", "VTestSupport"]),
    .testTarget(name: "VSheetTests", dependencies: ["VSheet", "VCore", "VTestSupport"]),
    .testTarget(name: "VReportTests", dependencies: ["VReport", "VCore", "VTestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
