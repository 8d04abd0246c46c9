import Foundation
import PublicaCore
import PublicaIngest
import PublicaJSON
import PublicaTestSupport

/// Reads every record of a CSV file as text, collecting rejections.
func readAll(_ path: String, _ options: CSVReadOptions = CSVReadOptions()) throws
    -> (names: [String], rows: [[String]], rejected: [Rejection], reader: CSVReader)
{
    let reader = try CSVReader(path: path, options: options)
    var rows: [[String]] = []
    var rejected: [Rejection] = []
    while let record = try reader.next(onReject: { rejected.append($0) }) {
        rows.append(record.values.map { $0.textValue ?? "" })
    }
    return (reader.schema.fieldNames, rows, rejected, reader)
}

/// Writes bytes to a file in `directory` and returns its path.
func write(_ bytes: [UInt8], named name: String, in directory: borrowing TemporaryDirectory) throws -> String {
    let path = directory.path(name)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

func write(_ text: String, named name: String, in directory: borrowing TemporaryDirectory) throws -> String {
    try write(Array(text.utf8), named: name, in: directory)
}

/// Runs a command-line tool and returns its standard output.
func runTool(_ executable: String, _ arguments: [String]) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return data
}
