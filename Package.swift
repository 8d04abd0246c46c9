// swift-tools-version: 6.1
import PackageDescription

// Dependencies: kept few, since CI builds from scratch every run.
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let yams: Target.Dependency = .product(name: "Yams", package: "Yams")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let zipFoundation: Target.Dependency = .product(name: "ZIPFoundation", package: "ZIPFoundation")

let package = Package(
    name: "Publica",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "PublicaCore", targets: ["PublicaCore"]),
        .library(name: "PublicaJSON", targets: ["PublicaJSON"]),
        .library(name: "PublicaIngest", targets: ["PublicaIngest"]),
        .library(name: "PublicaExport", targets: ["PublicaExport"]),
        .library(name: "PublicaXML", targets: ["PublicaXML"]),
        .library(name: "PublicaXLSX", targets: ["PublicaXLSX"]),
        .library(name: "PublicaFetch", targets: ["PublicaFetch"]),
        .library(name: "PublicaSQLite", targets: ["PublicaSQLite"]),
        .library(name: "PublicaParquet", targets: ["PublicaParquet"]),
        .library(name: "PublicaValidation", targets: ["PublicaValidation"]),
        .library(name: "PublicaPipeline", targets: ["PublicaPipeline"]),
        .library(name: "PublicaCommands", targets: ["PublicaCommands"]),
        .executable(name: "publica", targets: ["publica"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19")
    ],
    targets: [
        // Core library: values, records, provenance, errors, stage protocols. No I/O (the C
        // system helpers only for the termination flag).
        .target(name: "PublicaCore", dependencies: ["CPublicaSystem"]),

        // JSON: values -> JSON text (escaping, objects, pretty descriptors), a value's text as a CSV
        // cell shows it (an object's is its JSON), and the fused JSON-lines path a source can offer.
        .target(name: "PublicaJSON", dependencies: ["PublicaCore"]),

        // Ingest: bytes -> records (CSV, JSON, NDJSON), text decoding.
        .target(name: "PublicaIngest", dependencies: ["PublicaCore", "PublicaJSON"]),

        // XML: libxml2 (system library) -> records. The only module that imports CLibXML2.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .target(name: "PublicaXML", dependencies: ["PublicaCore", "PublicaJSON", "PublicaIngest", "CLibXML2"]),

        // XLSX: workbook (zip via ZIPFoundation) -> sheet XML streamed through the SAX parser -> records.
        .target(
            name: "PublicaXLSX",
            dependencies: ["PublicaCore", "PublicaJSON", "PublicaIngest", "PublicaXML", "CPublicaSystem", zipFoundation]
        ),

        // Fetch: agency APIs and remote files (URLSession), their paging and result codes -> fetched pages.
        .target(name: "PublicaFetch", dependencies: ["PublicaCore", "PublicaJSON", "PublicaIngest", "PublicaXML"]),

        // Validation: Frictionless Table Schema, validation reports, schema inference.
        .target(name: "PublicaValidation", dependencies: ["PublicaCore", "PublicaJSON", "PublicaIngest"]),

        // Export: records -> CSV, JSON, NDJSON; atomic file output.
        .target(name: "PublicaExport", dependencies: ["PublicaCore", "PublicaJSON", "CPublicaSystem"]),

        // SQLite: records -> a database (its C library, with FTS5, as a system library). The only
        // module that imports CSQLite.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        .target(name: "PublicaSQLite", dependencies: ["PublicaCore", "PublicaJSON", "PublicaExport", "CSQLite"]),

        // Parquet: records -> a Parquet file, written by hand (Thrift footer, pages, dictionaries);
        // Zstandard (a system library) compresses the pages. The only module that imports CZstd.
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]),
        .target(name: "PublicaParquet", dependencies: ["PublicaCore", "PublicaJSON", "PublicaExport", "CZstd"]),

        // C helpers: atomic exchange, direct I/O, writeback, the termination signal flag.
        .target(name: "CPublicaSystem"),

        // Pipeline: declarative files -> wired stages -> locked, atomic, incremental runs.
        .target(
            name: "PublicaPipeline",
            dependencies: [
                "PublicaCore", "PublicaJSON", "PublicaIngest", "PublicaXML", "PublicaXLSX", "PublicaFetch",
                "PublicaValidation", "PublicaExport", "PublicaSQLite", "PublicaParquet", "CPublicaSystem", yams, logging
            ]
        ),

        // Commands: the CLI as a library, so it can be tested.
        .target(
            name: "PublicaCommands",
            dependencies: [
                "PublicaCore", "PublicaJSON", "PublicaIngest", "PublicaXML", "PublicaXLSX", "PublicaValidation",
                "PublicaExport", "PublicaPipeline", argumentParser
            ]
        ),
        .executableTarget(name: "publica", dependencies: ["PublicaCommands"]),

        // Tests
        .target(
            name: "PublicaTestSupport",
            dependencies: ["PublicaCore", "PublicaJSON", "PublicaIngest"],
            path: "Tests/PublicaTestSupport",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "PublicaCoreTests", dependencies: ["PublicaCore"]),
        .testTarget(name: "PublicaJSONTests", dependencies: ["PublicaJSON"]),
        .testTarget(
            name: "PublicaIngestTests", dependencies: ["PublicaIngest", "PublicaTestSupport"],
            exclude: ["Bulletin/Golden"]),  // golden files, read through #filePath
        .testTarget(name: "PublicaXMLTests", dependencies: ["PublicaXML", "PublicaTestSupport"]),
        .testTarget(name: "PublicaFetchTests", dependencies: ["PublicaFetch", "PublicaIngest", "PublicaTestSupport"]),
        .testTarget(
            name: "PublicaXLSXTests",
            dependencies: ["PublicaXLSX", "PublicaValidation", "PublicaTestSupport", zipFoundation]),
        .testTarget(name: "PublicaValidationTests", dependencies: ["PublicaValidation", "PublicaTestSupport"]),
        .testTarget(name: "PublicaPipelineTests", dependencies: ["PublicaPipeline", "PublicaTestSupport", logging]),
        .testTarget(
            name: "PublicaSQLiteTests",
            dependencies: ["PublicaSQLite", "PublicaExport", "PublicaCore", "PublicaTestSupport"]),
        .testTarget(
            name: "PublicaParquetTests",
            dependencies: ["PublicaParquet", "PublicaExport", "PublicaCore", "PublicaTestSupport"]),
        .testTarget(name: "PublicaExportTests", dependencies: ["PublicaExport", "PublicaIngest", "PublicaTestSupport"]),
        .testTarget(
            name: "PublicaCommandsTests",
            dependencies: ["PublicaCommands", "PublicaTestSupport"]
        )
    ]
)

// libFuzzer targets, built only by Fuzz/run.sh (which sets PUBLICA_FUZZ and the sanitizer flags),
// so ordinary builds and CI never see them.
if Context.environment["PUBLICA_FUZZ"] != nil {
    package.targets.append(.target(name: "CFuzzDriver", path: "Fuzz/Driver"))
    package.targets.append(
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver", "PublicaCore"], path: "Fuzz/Support"))
    let fuzzers: [(name: String, modules: [Target.Dependency])] = [
        ("FuzzCSV", ["PublicaIngest", "PublicaTestSupport"]),
        ("FuzzXML", ["PublicaXML"]),
        ("FuzzXLSX", ["PublicaXLSX"]),
        ("FuzzBulletin", ["PublicaIngest"]),
        ("FuzzPipeline", ["PublicaPipeline"]),
        ("FuzzSchema", ["PublicaValidation"])
    ]
    for fuzzer in fuzzers {
        package.targets.append(
            .executableTarget(
                name: fuzzer.name, dependencies: ["FuzzSupport", "PublicaCore"] + fuzzer.modules,
                path: "Fuzz/\(fuzzer.name)"))
    }
}
