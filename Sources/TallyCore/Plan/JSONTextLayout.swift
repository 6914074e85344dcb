/// The layout of JSON text, read without building values: where each field starts, so that an
/// error can name its line. Paths read like `targets[3].target_figure`.
enum JSONTextLayout {
    private enum Frame {
        case object(key: String?)
        case array(index: Int)
    }

    /// The 1-based line on which each path's key or value starts.
    static func lines(of text: String) -> [String: Int] {
        var result: [String: Int] = [:]
        var stack: [Frame] = []
        var line = 1
        var expectingKey = false
        var iterator = text.unicodeScalars.makeIterator()

        func path() -> String {
            var path = ""
            for frame in stack {
                switch frame {
                case .object(let key?): path += path.isEmpty ? key : ".\(key)"
                case .object(nil): break
                case .array(let index): path += "[\(index)]"
                }
            }
            return path
        }
        func valueStarts() {
            let here = path()
            if result[here] == nil { result[here] = line }
        }

        while let scalar = iterator.next() {
            switch scalar {
            case "\n": line += 1
            case "\"":
                var string = ""
                while let next = iterator.next(), next != "\"" {
                    if next == "\\" {
                        if let escaped = iterator.next() { string.unicodeScalars.append(escaped) }
                    } else {
                        if next == "\n" { line += 1 }
                        string.unicodeScalars.append(next)
                    }
                }
                if expectingKey, case .object = stack.last {
                    stack[stack.count - 1] = .object(key: string)
                    expectingKey = false
                    valueStarts()
                } else {
                    valueStarts()
                }
            case "{":
                valueStarts()
                stack.append(.object(key: nil))
                expectingKey = true
            case "[":
                valueStarts()
                stack.append(.array(index: 0))
            case "}", "]":
                _ = stack.popLast()
                expectingKey = false
            case ",":
                switch stack.last {
                case .array(let index): stack[stack.count - 1] = .array(index: index + 1)
                case .object: expectingKey = true
                case nil: break
                }
            case " ", "\t", "\r", ":": break
            default:
                valueStarts()
            }
        }
        return result
    }
}
