import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real headless Chromium driven through chromedriver's WebDriver protocol (JSON over HTTP).
/// Launching fails, never skips, when chromedriver or Chromium cannot run.
final class WebDriver {
    enum Failure: Error, CustomStringConvertible {
        case cannotLaunch(String)
        case command(String, String)

        var description: String {
            switch self {
            case .cannotLaunch(let why): "cannot run headless Chromium (deploy/test.sh installs chromium and chromium-driver): \(why)"
            case .command(let path, let why): "WebDriver \(path): \(why)"
            }
        }
    }

    private let process: Process
    private let port: Int
    private var session = ""
    private let profile: URL

    /// Starts chromedriver on a free port and opens a Chromium session with a window of this size;
    /// `arguments` go to Chromium as well.
    static func launch(width: Int, height: Int, arguments: [String] = []) async throws -> WebDriver {
        let driver = try WebDriver()
        do {
            try await driver.open(width: width, height: height, arguments: arguments)
        } catch {
            await driver.quit()
            throw error
        }
        return driver
    }

    /// Runs `body` with a new browser; the browser and `harness` are stopped afterwards, whether
    /// `body` throws or not.
    static func session(width: Int, height: Int, arguments: [String] = [], with harness: SideDoorHarness,
                        _ body: (WebDriver) async throws -> Void) async throws {
        let browser: WebDriver
        do {
            browser = try await launch(width: width, height: height, arguments: arguments)
        } catch {
            await harness.stop()
            throw error
        }
        do {
            try await body(browser)
        } catch {
            await browser.quit()
            await harness.stop()
            throw error
        }
        await browser.quit()
        await harness.stop()
    }

    private init() throws {
        guard let executable = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first(where: FileManager.default.isExecutableFile) else {
            throw Failure.cannotLaunch("chromedriver not found")
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--port=0"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // chromedriver says which port it took once it listens.
        var text = ""
        var port: Int?
        while port == nil {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { throw Failure.cannotLaunch("chromedriver exited: \(text)") }
            text += String(decoding: data, as: UTF8.self)
            if let range = text.range(of: "started successfully on port ") {
                port = Int(text[range.upperBound...].prefix { $0.isNumber })
            }
        }
        self.port = port ?? 0
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("tally-chromium-\(UUID().uuidString)")
    }

    private func open(width: Int, height: Int, arguments: [String]) async throws {
        let binary = ["/usr/bin/chromium", "/usr/lib/chromium/chromium"].first(where: FileManager.default.isExecutableFile) ?? "chromium"
        let options: [String: Any] = [
            "binary": binary,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                     "--lang=zh-CN", "--window-size=\(width),\(height)", "--user-data-dir=\(profile.path)"] + arguments,
        ]
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": options]]]
        let reply = try await call("POST", "/session", capabilities)
        guard let value = reply as? [String: Any], let id = value["sessionId"] as? String else {
            throw Failure.cannotLaunch("no session in \(String(describing: reply))")
        }
        session = id
        _ = try await call("POST", "/session/\(id)/timeouts", ["script": 20_000, "pageLoad": 20_000])
    }

    func navigate(_ url: URL) async throws {
        _ = try await call("POST", "/session/\(session)/url", ["url": url.absoluteString])
    }

    /// Runs `body` (a function body; `arguments` holds `args`) in the page and returns its value.
    @discardableResult
    func run(_ body: String, _ args: [Any] = []) async throws -> Any? {
        try await call("POST", "/session/\(session)/execute/sync", ["script": body, "args": args])
    }

    /// Waits, without polling, until `condition` (a function body returning a truthy value) holds in
    /// the page: it is checked on every DOM change, up to the 20-second script timeout.
    @discardableResult
    func waitFor(_ condition: String, _ args: [Any] = []) async throws -> Any? {
        let script = """
            const done = arguments[arguments.length - 1];
            const check = (...args) => { \(condition) };
            const args = Array.prototype.slice.call(arguments, 0, arguments.length - 1);
            const test = () => { let v = null; try { v = check(...args); } catch (e) {} if (v) { observer.disconnect(); done(v); } return v; };
            const observer = new MutationObserver(test);
            if (!test()) observer.observe(document.documentElement, {subtree: true, childList: true, characterData: true, attributes: true});
            """
        return try await call("POST", "/session/\(session)/execute/async", ["script": script, "args": args])
    }

    /// Types the token into the dashboard's login form and sends it, as a person would.
    func logIn(_ token: String) async throws {
        try await run("""
            document.getElementById('token').value = arguments[0];
            document.getElementById('login-form').requestSubmit();
            """, [token])
    }

    /// Sizes the window so that the page's viewport is exactly `width`×`height`.
    func resize(width: Int, height: Int) async throws {
        _ = try await call("POST", "/session/\(session)/window/rect", ["width": width, "height": height])
        let chrome = try await run("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight]") as? [Int] ?? [0, 0]
        if chrome.contains(where: { $0 != 0 }) {
            _ = try await call("POST", "/session/\(session)/window/rect", ["width": width + chrome[0], "height": height + chrome[1]])
        }
    }

    /// The cookies the browser holds for the page, as WebDriver reports them (name, value, secure, httpOnly, sameSite).
    func cookies() async throws -> [[String: Any]] {
        try await call("GET", "/session/\(session)/cookie", nil) as? [[String: Any]] ?? []
    }

    /// A PNG of the viewport.
    func screenshot() async throws -> Data {
        guard let text = try await call("GET", "/session/\(session)/screenshot", nil) as? String,
              let data = Data(base64Encoded: text) else { throw Failure.command("screenshot", "no image") }
        return data
    }

    /// Ends the session and chromedriver (the process this object started).
    func quit() async {
        if !session.isEmpty {
            _ = try? await PlainHTTP.exchange(port: port, method: "DELETE", path: "/session/\(session)", body: nil, timeout: 10)
            session = ""
        }
        // chromedriver's own way out, then a signal if it is still there.
        _ = try? await PlainHTTP.exchange(port: port, method: "GET", path: "/shutdown", body: nil, timeout: 5)
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: profile)
    }

    private func call(_ method: String, _ path: String, _ body: [String: Any]?) async throws -> Any? {
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let (_, data) = try await PlainHTTP.exchange(port: port, method: method, path: path, body: payload)
        let reply = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any]
        let value = reply?["value"]
        if let error = value as? [String: Any], let code = error["error"] as? String {
            throw Failure.command(path, "\(code): \(error["message"] as? String ?? "")")
        }
        return value is NSNull ? nil : value
    }
}
