import Foundation
import XCTest
#if canImport(Glibc)
    import Glibc
#endif

/// Where the embedded database lives, who may create it, and how arguments parse; no server needed.
final class HomeAndArgumentTests: XCTestCase {
    func testCommandsOtherThanServeRefuseAHomeWithoutADatabase() throws {
        let home = try CLIProcess.freshDirectory("home")
        let cwd = try CLIProcess.freshDirectory("cwd")
        for arguments in [["credential", "list"], ["credential", "create", "--name", "x", "--role", "central"]] {
            let result = try CLIProcess.run(arguments, environment: ["HOME": home.path], directory: cwd)
            XCTAssertEqual(result.status, 6, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("no Tally database at \(home.path)/.local/share/tally; start `tally serve` first or pass --database"),
                          result.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: home.appendingPathComponent(".local/share/tally").path), "no cluster was made")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cwd.path), [], "nothing in the working directory")

        let chosen = try CLIProcess.run(["credential", "list", "--home", "elsewhere"], directory: cwd)
        XCTAssertEqual(chosen.status, 6)
        XCTAssertTrue(chosen.stderr.contains("no Tally database at \(cwd.path)/elsewhere"), chosen.stderr)
        let xdg = try CLIProcess.run(["config"], environment: ["XDG_DATA_HOME": "/srv/data"], directory: cwd)
        XCTAssertTrue(xdg.stdout.contains("home = /srv/data/tally    (default)"), xdg.stdout)
    }

    func testServeOnAPortInUseFailsBeforeTouchingAnyDatabase() throws {
        let (fd, port) = try Self.listeningSocket()
        defer { close(fd) }
        let home = try CLIProcess.freshDirectory("serve-home")
        let result = try CLIProcess.run(["serve", "--listen", "127.0.0.1:\(port)", "--home", home.path])
        XCTAssertEqual(result.status, 7, result.stderr)
        XCTAssertTrue(result.stderr.contains("cannot listen on 127.0.0.1:\(port): address already in use"), result.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: home.path), [], "no cluster was created")
    }

    func testNegativeValuesParseWithASpace() throws {
        // They reach the network (a closed port: queued in the outbox, exit 75), not a usage error (1).
        for arguments in [["report", "target", "t", "--add", "-5"], ["report", "target", "t", "--set", "-5"],
                          ["report", "project", "p", "--investment", "-5"], ["report", "target", "t", "--add=-0.5"],
                          ["report", "project", "p", "--stage", "under_construction"],
                          ["report", "project", "p", "--stage", "under-construction"]] {
            let result = try CLIProcess.run(arguments + ["--server", "127.0.0.1:1", "--token", "x"])
            XCTAssertEqual(result.status, 75, "\(arguments): \(result.stderr)")
        }
        let help = try CLIProcess.run(["report", "target", "--help"]).stdout
        XCTAssertTrue(help.contains("--add -5 and --add=-5 both work"), help)
    }

    func testAHostThatDoesNotResolveIsSaidSo() throws {
        let result = try CLIProcess.run(["list", "--server", "nosuch.invalid:7411", "--token", "x"])
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.stderr.contains("cannot reach nosuch.invalid:7411: the name nosuch.invalid does not resolve"), result.stderr)
        XCTAssertFalse(result.stderr.contains("closing"), result.stderr)
        let zh = try CLIProcess.run(["list", "--server", "nosuch.invalid:7411", "--token", "x", "--lang", "zh"])
        XCTAssertTrue(zh.stderr.contains("域名 nosuch.invalid 无法解析"), zh.stderr)
        XCTAssertFalse(zh.stderr.contains("cannot"), "one language at a time: \(zh.stderr)")
    }

    func testUsageErrorsComeInTheUsersLanguage() throws {
        let zh = try CLIProcess.run(["report", "target", "a", "--set", "1", "--add", "2"], environment: ["TALLY_LANG": "zh"])
        XCTAssertEqual(zh.status, 1)
        XCTAssertTrue(zh.stderr.hasPrefix("错误：--set 与 --add 须且只能给出一个"), zh.stderr)
        XCTAssertFalse(zh.stderr.contains("Error:") || zh.stderr.contains("give exactly"), zh.stderr)
        let missing = try CLIProcess.run(["report", "target", "a", "--add"], environment: ["TALLY_LANG": "zh"])
        XCTAssertTrue(missing.stderr.hasPrefix("错误：缺少 '--add <add>' 的值"), missing.stderr)
        let typo = try CLIProcess.run(["lisst"], environment: ["TALLY_LANG": "zh"])
        XCTAssertTrue(typo.stderr.contains("是否想用“list”"), typo.stderr)

        // The config file's language counts too, before any command reads its settings.
        let directory = try CLIProcess.freshDirectory("lang-conf")
        try Data("lang = zh\n".utf8).write(to: directory.appendingPathComponent("tally.conf"))
        let fromFile = try CLIProcess.run(["report", "project", "p", "--stage", "dreaming"], environment: ["TALLY_LANG": ""], directory: directory)
        XCTAssertTrue(fromFile.stderr.hasPrefix("错误：未知阶段“dreaming”"), fromFile.stderr)
        let english = try CLIProcess.run(["report", "project", "p", "--stage", "dreaming"])
        XCTAssertTrue(english.stderr.hasPrefix("Error: unknown stage `dreaming`"), english.stderr)
    }

    /// A socket listening on a free loopback port, and that port.
    static func listeningSocket() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 4) == 0
                && getsockname(fd, $0, &length) == 0 }
        }
        guard fd >= 0, bound else { throw CocoaError(.fileWriteUnknown) }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
