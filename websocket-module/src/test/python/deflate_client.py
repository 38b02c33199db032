"""A raw-socket WebSocket client whose inflater honours what it asked for (RFC 7692 §7.1.2.1).

Usage: python3 deflate_client.py PORT PATH OFFER

Sends the opening handshake to 127.0.0.1:PORT with ``Sec-WebSocket-Extensions: OFFER``, then one
masked text message of 4,000 bytes (2,000 pseudo-random letters twice, so a compressor whose window
exceeds 2,000 bytes refers back 2,000 bytes), and decodes the echo the way a client that offered
OFFER must be able to: with zlib's raw inflater and the LZ77 window the answer allows it. That is
the answer's server_max_window_bits, or, when the answer has none, 15 bits if one of the offers let
the server use its default window, else the smallest window offered (a client that only offered
small windows allocated no more). Prints one JSON object: status, extensions, rsv1, windowBits,
echoed (bool) or error (str). Exits 0 whenever it could talk to the server.
"""
import base64
import json
import os
import random
import socket
import struct
import sys
import zlib


def params(element):
    parts = [p.strip() for p in element.split(';')]
    values = {}
    for p in parts[1:]:
        name, _, value = p.partition('=')
        values[name.strip()] = value.strip().strip('"') or None
    return parts[0].lower(), values


def window_bits(offer, answer):
    answered = [params(e) for e in answer.split(',') if e.strip()]
    deflate = [p for name, p in answered if name == 'permessage-deflate']
    if not deflate:
        return None
    if deflate[0].get('server_max_window_bits'):
        return int(deflate[0]['server_max_window_bits'])
    offered = [p for name, p in (params(e) for e in offer.split(',') if e.strip()) if name == 'permessage-deflate']
    if any('server_max_window_bits' not in p for p in offered):
        return 15
    return min(int(p['server_max_window_bits']) for p in offered)


def inflate(bits, data):
    """Raw inflate with a 2**bits window, 256 bytes of output per call: within one call zlib also
    refers back into that call's output, so only small calls make it keep no more history than the
    window, as a client that allocated that window does."""
    inflater, out = zlib.decompressobj(-bits), b''
    while True:
        chunk = inflater.decompress(data, 256)
        out += chunk
        data = inflater.unconsumed_tail
        if not chunk:
            return out


def main():
    port, path, offer = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    rnd = random.Random(7692)
    half = ''.join(rnd.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(2000))
    text = (half + half).encode('ascii')

    sock = socket.create_connection(('127.0.0.1', port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode('ascii')
    sock.sendall((f'GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
                  f'Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n'
                  f'Sec-WebSocket-Extensions: {offer}\r\n\r\n').encode('latin-1'))
    stream = sock.makefile('rb')
    result = {'status': int(stream.readline().split()[1])}
    extensions = []
    while True:
        line = stream.readline().decode('latin-1').rstrip('\r\n')
        if not line:
            break
        name, _, value = line.partition(':')
        if name.strip().lower() == 'sec-websocket-extensions':
            extensions.append(value.strip())
    if result['status'] != 101:
        print(json.dumps(result))
        return
    answer = ', '.join(extensions)
    result['extensions'] = answer
    bits = window_bits(offer, answer)
    result['windowBits'] = bits

    mask = os.urandom(4)
    sock.sendall(bytes([0x81, 0x80 | 126]) + struct.pack('!H', len(text)) + mask
                 + bytes(b ^ mask[i % 4] for i, b in enumerate(text)))
    payload, first = b'', None
    while True:
        b0, b1 = stream.read(2)
        length = b1 & 0x7F
        if length == 126:
            length = struct.unpack('!H', stream.read(2))[0]
        elif length == 127:
            length = struct.unpack('!Q', stream.read(8))[0]
        payload += stream.read(length)
        first = b0 if first is None else first
        if b0 & 0x80:
            break
    result['rsv1'] = bool(first & 0x40)
    if not result['rsv1']:
        result['echoed'] = payload == text
    elif bits is None:
        result['error'] = 'RSV1 set although permessage-deflate was not negotiated'
    else:
        try:
            result['echoed'] = inflate(bits, payload + b'\x00\x00\xff\xff') == text
        except zlib.error as e:
            result['error'] = f'zlib with a {bits}-bit window: {e}'
    sock.close()
    print(json.dumps(result))


if __name__ == '__main__':
    main()
