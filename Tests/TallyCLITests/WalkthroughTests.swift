import Foundation
import TallyServerTestSupport
import TallyTestSupport
import XCTest

/// Runs README.md's walkthrough as written: each `tally` line of its code blocks, in order, from a
/// directory that is not the repository, with a fresh home for the embedded database (so it also
/// shows that nothing depends on the working directory). `tally serve &` gets a free port instead
/// of 7411, and `export TALLY_TOKEN=tly_...` takes the token the previous `credential create` printed.
final class WalkthroughTests: XCTestCase {
    func testReadmeWalkthroughWorksFromAnotherDirectory() throws {
        let commands = try Self.walkthrough()
        XCTAssertGreaterThan(commands.filter { $0.hasPrefix("tally ") }.count, 10, "the walkthrough was found in README.md")
        let workDirectory = try CLIProcess.freshDirectory("walkthrough-cwd")
        let dataHome = try CLIProcess.freshDirectory("walkthrough-xdg-data")
        var environment = ["XDG_DATA_HOME": dataHome.path, "HOME": try CLIProcess.freshDirectory("walkthrough-home").path]
        var server: ServeProcess?
        defer { server?.stop() }
        var lastToken: String?
        var outputs: [(command: String, result: CLIResult)] = []
        var heredoc: (file: String, lines: [String])?

        for line in commands {
            if var open = heredoc {
                if line == "EOF" {
                    try Data((open.lines.joined(separator: "\n") + "\n").utf8).write(to: workDirectory.appendingPathComponent(open.file))
                    heredoc = nil
                } else {
                    open.lines.append(line)
                    heredoc = open
                }
                continue
            }
            if let match = line.firstMatch(of: /^cat > (\S+) <<'EOF'$/) {
                heredoc = (String(match.1), [])
            } else if line.hasPrefix("export TALLY_TOKEN=") {
                environment["TALLY_TOKEN"] = try XCTUnwrap(lastToken, "`\(line)` follows a `tally credential create`")
            } else if Self.words(line).first == "tally", Self.words(line).dropFirst().first == "serve" {
                server = try ServeProcess(database: nil, environment: CLIProcess.environment(environment), directory: workDirectory,
                                          timeout: 120)
                environment["TALLY_SERVER"] = server?.address
            } else if Self.words(line).first == "tally" {
                let arguments = Array(Self.words(line).dropFirst())
                let result = try CLIProcess.run(arguments, environment: environment, directory: workDirectory)
                XCTAssertEqual(result.status, 0, "`\(line)` failed:\n\(result.stderr)\n\(result.stdout)")
                if arguments.starts(with: ["credential", "create"]) {
                    lastToken = result.stdout.split(whereSeparator: \.isWhitespace).map(String.init).first { $0.hasPrefix("tly_") }
                }
                outputs.append((line, result))
            }
        }
        XCTAssertNotNil(server, "the walkthrough starts a server")

        func output(_ prefix: String) -> [String] { outputs.filter { $0.command.hasPrefix(prefix) }.map(\.result.stdout) }
        let imports = output("tally import")
        XCTAssertEqual(imports.count, 2)
        XCTAssertTrue(imports.first?.contains("Submitted") ?? false, imports.first ?? "")
        XCTAssertTrue(imports.last?.contains("already imported on 20") ?? false, "a re-import replays: \(imports.last ?? "")")
        let range = try XCTUnwrap(imports.first?.firstMatch(of: /#\d+–#\d+/).map { String($0.0) }, imports.first ?? "")
        XCTAssertTrue(imports.last?.contains("(\(range))") ?? false, "the first import's sequences \(range): \(imports.last ?? "")")
        let history = output("tally history").joined()
        XCTAssertTrue(history.contains("current figure: 2.5 → 2"), "labels, not field names, and --add -0.5 counted: \(history)")
        let centralList = output("tally list --department").joined()
        XCTAssertTrue(centralList.contains("Lead"), centralList)
        XCTAssertTrue(centralList.contains("p-shengyuan-liquid-protein"), "a project yinzhu co-reports: \(centralList)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: workDirectory.appendingPathComponent("进度.html").path))

        // The database is where the home says, not in the working directory.
        XCTAssertTrue(FileManager.default.fileExists(atPath: dataHome.appendingPathComponent("tally/pg/data/PG_VERSION").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: workDirectory.appendingPathComponent(".tally").path))
        server?.stop()
        XCTAssertEqual(server?.exitStatus, 0, server?.log ?? "")
    }

    /// The code lines of README's "Walkthrough" section, in order.
    static func walkthrough() throws -> [String] {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        guard let start = text.range(of: "\n## Walkthrough\n") else { throw CocoaError(.fileReadCorruptFile) }
        let rest = text[start.upperBound...]
        let section = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
        return section.split(separator: "\n", omittingEmptySubsequences: true)
            .filter { $0.hasPrefix("    ") }
            .map { String($0.dropFirst(4)) }
    }

    /// A command line split into words as a shell does for these lines: quotes group, `#` after
    /// a space starts a comment, `&` at the end is dropped.
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == " " {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else if character == "#" && !inWord {
                break
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        if words.last == "&" { words.removeLast() }
        return words
    }
}
