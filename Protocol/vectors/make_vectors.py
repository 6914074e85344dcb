#!/usr/bin/env python3
"""Writes the Tally wire vectors (*.hex) in this directory from hand-encoded frames.

Independent of the Swift code on purpose: Tests/TallyWireTests/VectorTests.swift checks that
SwiftProtobuf + TallyWire produce and accept exactly these bytes. Run: python3 make_vectors.py
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
PREFACE = b"TALLY/1\n"
HELLO, CALL, MESSAGE, STATUS, CANCEL, PING, GOAWAY = range(1, 8)
END_STREAM = ACK = 0x01


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field_varint(number, value):
    return varint(number << 3 | 0) + varint(value) if value else b""


def field_bytes(number, data):
    if isinstance(data, str):
        data = data.encode()
    return varint(number << 3 | 2) + varint(len(data)) + data if data else b""


def frame(ftype, flags, stream, payload=b""):
    return struct.pack(">IBBI", len(payload), ftype, flags, stream) + payload


def hello(name, max_frame=0, max_calls=0):
    return (field_varint(1, 1) + field_bytes(2, name) + field_varint(3, max_frame)
            + field_varint(4, max_calls))


def call_header(method, metadata=None, timeout_ms=0):
    out = field_bytes(1, method)
    for key, value in (metadata or {}).items():  # at most one entry in a vector
        out += field_bytes(2, field_bytes(1, key) + field_bytes(2, value))
    return out + field_varint(3, timeout_ms)


def status(code, message=""):
    return field_varint(1, code) + field_bytes(2, message)


def change_event(sequence, old, new):
    # WatchEvent{change: ChangeEvent{change: Change{sequence, kind, subject_id, field, old_value, new_value}}}
    change = (field_varint(1, sequence) + field_bytes(5, "target") + field_bytes(6, "yinzhu/patents")
              + field_bytes(7, "current_figure") + field_bytes(8, old) + field_bytes(9, new))
    return field_bytes(2, field_bytes(1, change))


def hexline(direction, data):
    if data == PREFACE:
        return f"{direction}: {data.hex()}"
    return f"{direction}: {data[:4].hex()} {data[4:5].hex()} {data[5:6].hex()} {data[6:10].hex()} {data[10:].hex()}".rstrip()


CLIENT_HELLO = hello("tally-test/1")
SERVER_HELLO = hello("tally-server/1", 1048576, 100)


def write(name, header, lines):
    with open(os.path.join(HERE, name), "w") as f:
        for comment in header:
            f.write(f"# {comment}\n")
        for item in lines:
            if isinstance(item, str):
                f.write(f"# {item}\n")
            else:
                f.write(hexline(*item) + "\n")


write("hello-exchange.hex", [
    "Tally wire vector: the handshake. Format: README.md.",
], [
    "client preface \"TALLY/1\\n\"", ("C", PREFACE),
    "client HELLO, stream 0: Hello{protocol_version: 1, peer_name: \"tally-test/1\"} (limits 0 = defaults)",
    ("C", frame(HELLO, 0, 0, CLIENT_HELLO)),
    "server preface, sent only after a valid client preface", ("S", PREFACE),
    "server HELLO: Hello{protocol_version: 1, peer_name: \"tally-server/1\", max_frame_size: 1048576, max_concurrent_calls: 100}",
    ("S", frame(HELLO, 0, 0, SERVER_HELLO)),
])

write("unary-call.hex", [
    "Tally wire vector: one unary call, /tally.v1.Health/Check, pipelined right after the client's HELLO.",
    "Format: README.md.",
], [
    ("C", PREFACE), ("C", frame(HELLO, 0, 0, CLIENT_HELLO)),
    "CALL stream 1: CallHeader{method: \"/tally.v1.Health/Check\", timeout_ms: 1000}",
    ("C", frame(CALL, 0, 1, call_header("/tally.v1.Health/Check", timeout_ms=1000))),
    "MESSAGE stream 1, END_STREAM: the empty request",
    ("C", frame(MESSAGE, END_STREAM, 1)),
    ("S", PREFACE), ("S", frame(HELLO, 0, 0, SERVER_HELLO)),
    "MESSAGE stream 1: the empty response",
    ("S", frame(MESSAGE, 0, 1)),
    "STATUS stream 1: Status{code: 0} encodes as an empty payload",
    ("S", frame(STATUS, 0, 1)),
])

write("server-streaming.hex", [
    "Tally wire vector: one server-streaming call, /tally.v1.Oversight/Watch, with tiny messages.",
    "The watch resumes after sequence 41, receives two changes and ends at its 5 s deadline.",
    "Format: README.md.",
], [
    ("C", PREFACE), ("C", frame(HELLO, 0, 0, CLIENT_HELLO)),
    "CALL stream 1: CallHeader{method: \"/tally.v1.Oversight/Watch\", metadata: {\"authorization\": \"Bearer s3cr3t\"}, timeout_ms: 5000}",
    ("C", frame(CALL, 0, 1, call_header("/tally.v1.Oversight/Watch",
                                         {"authorization": "Bearer s3cr3t"}, 5000))),
    "MESSAGE stream 1, END_STREAM: WatchRequest{after_sequence: 41}",
    ("C", frame(MESSAGE, END_STREAM, 1, field_varint(1, 41))),
    ("S", PREFACE), ("S", frame(HELLO, 0, 0, SERVER_HELLO)),
    "MESSAGE stream 1: WatchEvent{change: {change: {sequence: 42, kind: \"target\", subject_id: \"yinzhu/patents\", field: \"current_figure\", old_value: \"180\", new_value: \"190\"}}}",
    ("S", frame(MESSAGE, 0, 1, change_event(42, "180", "190"))),
    "MESSAGE stream 1: WatchEvent{change: {change: {sequence: 43, ..., old_value: \"190\", new_value: \"195.5\"}}}",
    ("S", frame(MESSAGE, 0, 1, change_event(43, "190", "195.5"))),
    "STATUS stream 1: Status{code: 4 (DEADLINE_EXCEEDED), message: \"deadline exceeded\"}",
    ("S", frame(STATUS, 0, 1, status(4, "deadline exceeded"))),
])
