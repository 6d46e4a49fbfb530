// An S3-compatible server (s3rver) on loopback for the Cairn tests; ../../test.sh starts it.
// Usage: node server.js DATA_DIRECTORY [PORT]   (port 0 or absent: a free port)
// Prints "listening http://127.0.0.1:PORT" once it accepts requests. Buckets are created by the tests.
// s3rver 3.7.1 ignores If-None-Match on writes; conditionalCreate below adds AWS S3's conditional create to PutObject and
// CompleteMultipartUpload, so deduplication and immutability can be tested over S3. It has no Object Lock either;
// ./object-lock.js adds S3's Object Lock rules, so writes to a locking bucket can be tested too.
'use strict';
const S3rver = require('s3rver');
const S3Error = require('s3rver/lib/models/error');
const objectLock = require('./object-lock');

const directory = process.argv[2];
const port = Number(process.argv[3] || 0);
if (!directory) {
  console.error('usage: node server.js DATA_DIRECTORY [PORT]');
  process.exit(2);
}

// Keys ("bucket/key") a conditional create is writing right now, each with its request's token.
const creating = new Map();

// With "If-None-Match: *", a write of a key that exists fails with 412 PreconditionFailed, and one racing another
// conditional write of the same key with 409 ConditionalRequestConflict (retry), as AWS S3 documents. The check runs when
// s3rver's handler stores the object (after authentication), through a per-request view of its store.
async function conditionalCreate(ctx, next) {
  if (ctx.get('if-none-match') === '*' && (ctx.method === 'PUT' || ctx.method === 'POST')) {
    const store = ctx.store;
    const once = write => async (...args) => {
      const { bucket, key } = ctx.params;
      const name = `${bucket}/${key}`;
      if (creating.has(name)) {
        const conflict = new S3Error('ConditionalRequestConflict', 'A conflicting conditional operation is currently in progress against this resource. Please try again.');
        conflict.status = 409;
        throw conflict;
      }
      const token = {};
      const release = () => creating.get(name) === token && creating.delete(name);
      creating.set(name, token);
      // s3rver does not settle a write whose client went away mid-body: the key must not stay "in progress" for ever.
      ctx.req.once('close', () => ctx.req.complete || release());
      try {
        if (await store.existsObject(bucket, key)) {
          throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match' });
        }
        return await write.apply(store, args);
      } finally {
        release();
      }
    };
    ctx.store = Object.create(store, {
      putObject: { value: once(store.putObject) },
      putObjectMultipart: { value: once(store.putObjectMultipart) },
    });
  }
  await next();
}

const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true, allowMismatchedSignatures: false });
server.middleware.unshift(conditionalCreate);
objectLock.install();
server.run().then(
  address => console.log(`listening http://127.0.0.1:${address.port}`),
  error => {
    console.error(`s3rver did not start: ${error.message}`);
    process.exit(1);
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close().finally(() => process.exit(0)));
