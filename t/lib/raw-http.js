// Raw HTTP clients on net.Socket, for tests that must send what node's http client will not.
'use strict';
const net = require('node:net');

// Connect to 127.0.0.1:port. Resolves {sock, text(), closed, write(s), end()};
// closed resolves, once the connection is closed, with the milliseconds it was open.
function connect(port) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const opened = Date.now();
    let text = '';
    let isClosed = false;
    const c = {
      sock,
      text: () => text,
      isClosed: () => isClosed,
      write: (s) => { if (!isClosed && !sock.destroyed) sock.write(s); },
      end: () => sock.destroy(),
    };
    c.closed = new Promise((done) => sock.on('close', () => { isClosed = true; done(Date.now() - opened); }));
    sock.on('data', (d) => { text += d; });
    sock.once('connect', () => { sock.on('error', () => {}); resolve(c); });
    sock.once('error', reject);
  });
}

// The status of the first response on c, once it is whole (or the connection closed), or null after ms.
async function status(c, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    const m = /^HTTP\/1\.[01] (\d{3}) [^\r]*\r\n[\s\S]*?\r\n\r\n/.exec(c.text());
    if (m) return Number(m[1]);
    if (c.isClosed() || Date.now() > end) return null;
    await new Promise((r) => setTimeout(r, 20));
  }
}

// The promise's value, or the string 'timeout' after ms.
function within(promise, ms) {
  let timer;
  return Promise.race([promise, new Promise((r) => { timer = setTimeout(() => r('timeout'), ms); })])
    .finally(() => clearTimeout(timer));
}

// A GET of path, as the bytes of one request.
function get(path) {
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
}

module.exports = { connect, status, within, get };
