// A real non-Java client for InteropTest: Node's `ws`. Connects to argv[2] offering the
// subprotocols argv[3..], with permessage-deflate on every message (threshold 0), echoes a text,
// a binary and a large compressible text through the server, closes normally, and prints one
// JSON object with what it saw. Exit code 0 when it got that far, 1 on any failure.
import WebSocket from 'ws';

const [url, ...protocols] = process.argv.slice(2);
const ws = new WebSocket(url, protocols, { perMessageDeflate: { threshold: 0 } });
const big = 'switchboard '.repeat(2000);
const replies = [];
const fail = (what) => { console.error(what); process.exit(1); };
setTimeout(() => fail('timed out'), 20000).unref();

ws.on('error', (error) => fail(String(error)));
ws.on('open', () => {
  ws.send('hello from node');
  ws.send(Buffer.from([0, 1, 2, 254, 255]));
  ws.send(big);
});
ws.on('message', (data, isBinary) => {
  replies.push(isBinary ? { binary: Buffer.from(data).toString('base64') } : { text: data.toString() });
  if (replies.length === 3)
    ws.close(1000, 'done');
});
ws.on('close', (code) => {
  console.log(JSON.stringify({
    protocol: ws.protocol,
    extensions: ws.extensions,
    text: replies[0]?.text,
    binary: replies[1]?.binary,
    bigEchoed: replies[2]?.text === big,
    closeCode: code,
  }));
  process.exit(0);
});
