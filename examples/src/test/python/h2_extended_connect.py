#!/usr/bin/env python3
"""One RFC 8441 extended CONNECT with python3-h2 (Debian's python3-h2), for the sample's tests.

Connects to 127.0.0.1:PORT over cleartext HTTP/2, either with prior knowledge or after an h2c
upgrade of an HTTP/1.1 request (RFC 7540 3.2: the upgraded request is stream 1, the CONNECT goes
on stream 3), waits for the server's SETTINGS to enable extended CONNECT (RFC 8441 3), sends
CONNECT with :protocol, then runs the steps given on the command line on the stream:

  send:HEX   send these bytes in one DATA frame
  read:N     read exactly N bytes of the stream; printed as hex
  line       read up to a newline; printed as text

It prints one JSON object: the answer's status and headers, each read, the body of an answer
other than 2xx, and the stream's reset code, if the server reset it. Every socket read has a
timeout (an upper bound, not an expectation); running out of it exits with status 2.
"""
import argparse
import json
import socket
import sys

import h2.config
import h2.connection
import h2.events
import h2.settings

TIMEOUT_SECONDS = 20


class Stream:
    def __init__(self, sock, conn):
        self.sock = sock
        self.conn = conn
        self.stream_id = None
        self.status = None
        self.headers = {}
        self.data = bytearray()
        self.ended = False
        self.reset = None
        self.connect_enabled = False
        self.settings_seen = False

    def flush(self):
        out = self.conn.data_to_send()
        if out:
            self.sock.sendall(out)

    def pump(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("connection closed by the server")
        for event in self.conn.receive_data(chunk):
            if isinstance(event, h2.events.RemoteSettingsChanged):
                self.settings_seen = True
                changed = event.changed_settings.get(h2.settings.SettingCodes.ENABLE_CONNECT_PROTOCOL)
                if changed is not None:
                    self.connect_enabled = changed.new_value == 1
            elif isinstance(event, h2.events.ResponseReceived) and event.stream_id == self.stream_id:
                for name, value in event.headers:
                    name = name.decode() if isinstance(name, bytes) else name
                    value = value.decode() if isinstance(value, bytes) else value
                    if name == ":status":
                        self.status = int(value)
                    else:
                        self.headers[name] = value
            elif isinstance(event, h2.events.DataReceived):
                if event.stream_id == self.stream_id:
                    self.data.extend(event.data)
                # Give the window back at once: this client is never the slow reader.
                self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            elif isinstance(event, h2.events.StreamEnded) and event.stream_id == self.stream_id:
                self.ended = True
            elif isinstance(event, h2.events.StreamReset) and event.stream_id == self.stream_id:
                self.reset = int(event.error_code)
                self.ended = True
            elif isinstance(event, h2.events.ConnectionTerminated):
                self.ended = True
        self.flush()

    def until(self, condition):
        while not condition():
            if self.ended and not condition():
                return False
            self.pump()
        return True


def upgrade(sock, conn, port):
    settings = conn.initiate_upgrade_connection()
    request = ("GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: Upgrade, HTTP2-Settings\r\n"
               "Upgrade: h2c\r\nHTTP2-Settings: %s\r\n\r\n" % (port, settings.decode()))
    sock.sendall(request.encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        if not chunk:
            raise EOFError("closed before the 101")
        head += chunk
    if not head.startswith(b"HTTP/1.1 101"):
        raise RuntimeError("no 101: " + head.decode(errors="replace").splitlines()[0])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mode", choices=["prior", "upgrade"], default="prior")
    parser.add_argument("--path", required=True)
    parser.add_argument("--protocol", required=True)
    parser.add_argument("--header", action="append", default=[], help="name: value")
    parser.add_argument("steps", nargs="*")
    args = parser.parse_args()

    sock = socket.create_connection(("127.0.0.1", args.port), timeout=TIMEOUT_SECONDS)
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True, header_encoding=None))
    # h2 announces ENABLE_CONNECT_PROTOCOL=0 in its SETTINGS unless told otherwise, and Jetty 12.1
    # takes the client's value for its own: with 0 it resets every extended CONNECT (JETTY-NOTES).
    conn.local_settings = h2.settings.Settings(client=True, initial_values={
        h2.settings.SettingCodes.ENABLE_CONNECT_PROTOCOL: 1})
    stream = Stream(sock, conn)
    if args.mode == "upgrade":
        upgrade(sock, conn, args.port)
    else:
        conn.initiate_connection()
    stream.flush()
    stream.until(lambda: stream.settings_seen)
    if not stream.connect_enabled:
        raise RuntimeError("the server's SETTINGS do not enable extended CONNECT")

    stream.stream_id = conn.get_next_available_stream_id()
    headers = [(":method", "CONNECT"), (":scheme", "http"), (":authority", "127.0.0.1:%d" % args.port),
               (":path", args.path), (":protocol", args.protocol)]
    for header in args.header:
        name, value = header.split(":", 1)
        headers.append((name.strip().lower(), value.strip()))
    conn.send_headers(stream.stream_id, headers, end_stream=False)
    stream.flush()
    stream.until(lambda: stream.status is not None)

    result = {"status": stream.status, "headers": stream.headers, "reads": []}
    if stream.status is not None and 200 <= stream.status < 300:
        for step in args.steps:
            if step.startswith("send:"):
                conn.send_data(stream.stream_id, bytes.fromhex(step[5:]))
                stream.flush()
            elif step.startswith("read:"):
                n = int(step[5:])
                stream.until(lambda: len(stream.data) >= n)
                result["reads"].append(bytes(stream.data[:n]).hex())
                del stream.data[:n]
            elif step == "line":
                stream.until(lambda: b"\n" in stream.data)
                end = stream.data.index(b"\n")
                result["reads"].append(stream.data[:end].decode())
                del stream.data[:end + 1]
    else:
        stream.until(lambda: stream.ended)
        result["body"] = stream.data.decode(errors="replace")
    result["reset"] = stream.reset
    print(json.dumps(result))
    conn.close_connection()
    stream.flush()
    sock.close()


if __name__ == "__main__":
    try:
        main()
    except socket.timeout:
        print("timed out after %d s" % TIMEOUT_SECONDS, file=sys.stderr)
        sys.exit(2)
