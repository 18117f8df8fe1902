// A TCP port on 127.0.0.1 that nothing listens on just now, for the tests
// and the benchmarks alike.
'use strict';
const net = require('node:net');

// The port, once the listener that found it has closed.
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

module.exports = { freePort };
