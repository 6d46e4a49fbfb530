// An S3-compatible server (s3rver) on loopback for the Cairn tests; ../../test.sh starts it.
// Usage: node server.js DATA_DIRECTORY [PORT]   (port 0 or absent: a free port)
// Prints "listening http://127.0.0.1:PORT" once it accepts requests. Buckets are created by the tests.
'use strict';
const S3rver = require('s3rver');

const directory = process.argv[2];
const port = Number(process.argv[3] || 0);
if (!directory) {
  console.error('usage: node server.js DATA_DIRECTORY [PORT]');
  process.exit(2);
}

const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true, allowMismatchedSignatures: false });
server.run().then(
  address => console.log(`listening http://127.0.0.1:${address.port}`),
  error => {
    console.error(`s3rver did not start: ${error.message}`);
    process.exit(1);
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close().finally(() => process.exit(0)));
