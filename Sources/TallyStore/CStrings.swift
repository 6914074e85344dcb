import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// C string arrays for libpq calls: strdup'd copies that live for the duration of a closure.
enum CStrings {
    /// Calls `body` with C copies of `strings` (nil stays NULL), freed afterwards.
    static func with<R>(
        _ strings: [String?], _ body: ([UnsafePointer<CChar>?]) throws(StoreError) -> R
    ) throws(StoreError) -> R {
        var pointers: [UnsafePointer<CChar>?] = []
        pointers.reserveCapacity(strings.count)
        defer { for pointer in pointers { free(UnsafeMutablePointer(mutating: pointer)) } }
        for (position, string) in strings.enumerated() {
            guard let string else {
                pointers.append(nil)
                continue
            }
            guard !string.utf8.contains(0) else {
                throw StoreError(kind: .query, "value \(position + 1) contains a NUL byte, which PostgreSQL text cannot hold")
            }
            // strdup: NULL only when out of memory; never pass that on as an SQL NULL.
            guard let copy = strdup(string) else {
                throw StoreError(kind: .query, "out of memory copying value \(position + 1)")
            }
            pointers.append(UnsafePointer(copy))
        }
        return try body(pointers)
    }

    /// Calls `body` with (count, type OIDs, text values) ready for PQexecParams/PQsendQueryParams.
    static func withParameters<R>(
        _ parameters: [PostgresValue],
        _ body: (Int32, UnsafePointer<UInt32>?, UnsafePointer<UnsafePointer<CChar>?>?) -> R
    ) throws(StoreError) -> R {
        let types = parameters.map(\.typeOID)
        return try with(parameters.map(\.textValue)) { pointers in
            types.withUnsafeBufferPointer { typeBuffer in
                pointers.withUnsafeBufferPointer { valueBuffer in
                    body(Int32(parameters.count), typeBuffer.baseAddress, valueBuffer.baseAddress)
                }
            }
        }
    }
}
