import SwiftProtobuf

/// The protobuf message protocol, named here so client files need not import SwiftProtobuf.
typealias SwiftProtobufMessage = SwiftProtobuf.Message
/// The empty message of `/tally.v1.Health/Check`.
typealias SwiftProtobufEmpty = SwiftProtobuf.Google_Protobuf_Empty
