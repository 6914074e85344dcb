#!/usr/bin/env python3
"""Health/Check against a Tally server with only the standard library (socket, ssl, struct).

    python3 health_check.py [--host 127.0.0.1] [--port 7411] [--tls [--ca CA.pem] [--server-name NAME]]

With --tls it does what Protocol/SPEC.md section 2.1 asks of a client: TLS 1.2 or later, the
server's certificate verified against --ca (or the system's CAs) for the host's name, ALPN tally/1.
Everything after the handshake is the same bytes as over plaintext.
"""
import argparse, socket, ssl, struct, sys

def varint(n):
    out = b""
    while True:
        low, n = n & 0x7F, n >> 7
        out += bytes([low | (0x80 if n else 0)])
        if not n:
            return out

def field(number, data):  # a length-delimited protobuf field (wire type 2)
    return varint(number << 3 | 2) + varint(len(data)) + data

def frame(ftype, flags, stream, payload=b""):
    return struct.pack(">IBBI", len(payload), ftype, flags, stream) + payload

def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("connection closed")
        data += chunk
    return data

def connect(args):
    sock = socket.create_connection((args.host, args.port), timeout=5)
    if not args.tls:
        return sock
    context = ssl.create_default_context(cafile=args.ca)       # verifies chain and host name
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_alpn_protocols(["tally/1"])
    tls = context.wrap_socket(sock, server_hostname=args.server_name or args.host)
    if tls.selected_alpn_protocol() != "tally/1":
        raise ConnectionError("the server did not agree to ALPN tally/1")
    return tls

def main():
    parser = argparse.ArgumentParser(description="Tally Health/Check")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7411)
    parser.add_argument("--tls", action="store_true", help="connect with TLS (a tallys:// server)")
    parser.add_argument("--ca", help="CA certificate(s), PEM (default: the system's)")
    parser.add_argument("--server-name", help="name the certificate must carry (default: --host)")
    args = parser.parse_args()
    sock = connect(args)
    hello = b"\x08\x01" + field(2, b"tally-py/1")                  # protocol_version 1, peer_name
    call = field(1, b"/tally.v1.Health/Check") + b"\x18\xe8\x07"   # method, timeout_ms 1000
    sock.sendall(b"TALLY/1\n" + frame(1, 0, 0, hello) + frame(2, 0, 1, call) + frame(3, 1, 1))
    if read_exact(sock, 8) != b"TALLY/1\n":
        raise ConnectionError("not a Tally server")
    while True:
        length, ftype, flags, stream = struct.unpack(">IBBI", read_exact(sock, 10))
        payload = read_exact(sock, length)
        if ftype == 6 and not flags & 1:                           # PING: answer with ACK
            sock.sendall(frame(6, 1, 0, payload))
        elif ftype == 7:                                           # GOAWAY
            raise ConnectionError(f"server said goodbye: {payload!r}")
        elif ftype == 4 and stream == 1:                           # STATUS ends our call
            code = payload[1] if payload[:1] == b"\x08" else 0     # field 1, codes < 128
            insecure = b"insecure-plaintext" in payload            # trailing metadata (section 2.1)
            print("Health/Check:", "OK" if code == 0 else f"failed with code {code}",
                  "(TLS)" if args.tls else "(plaintext, INSECURE beyond loopback)" if insecure else "(plaintext)")
            sock.close()
            return 0 if code == 0 else 1

if __name__ == "__main__":
    sys.exit(main())
