// S3 Object Lock for the test server (server.js), following AWS S3's API reference; s3rver 3.7.1 has none.
// - CreateBucket with "x-amz-bucket-object-lock-enabled: true" makes a bucket with Object Lock; PUT ?object-lock sets its
//   configuration (ObjectLockEnabled, optional default retention: Mode GOVERNANCE|COMPLIANCE with Days or Years) and
//   GET ?object-lock reads it, 404 ObjectLockConfigurationNotFoundError on a bucket without one.
// - PutObject and CreateMultipartUpload take x-amz-object-lock-mode, -retain-until-date and -legal-hold: refused with
//   400 on a bucket without Object Lock, for a mode without a date (or the reverse) and for a date not in the future.
// - A PutObject or UploadPart whose object gets Object Lock parameters (its own, its upload's or the bucket's default
//   retention) must carry Content-MD5 or an x-amz-checksum-* header, else 400 InvalidRequest.
// - HEAD and GET of a locked object return its mode, retain-until date and legal hold; GET ?retention returns the retention.
// - PUT ?retention (PutObjectRetention) places, extends, shortens or removes an object's retention: 400 InvalidRequest on
//   a bucket without Object Lock; extending in the same mode is always allowed; shortening, removing or changing the mode
//   of a retention in force is 403 AccessDenied, which a GOVERNANCE one gives way to with
//   "x-amz-bypass-governance-retention: true" and a COMPLIANCE one never does.
// - DELETE of an object under retention or legal hold is 403 AccessDenied; a GOVERNANCE retention gives way to
//   "x-amz-bypass-governance-retention: true". s3rver keeps one version per key where S3 (which requires versioning for
//   Object Lock) would keep the locked version beside a new one, so a write over a locked object is refused the same way,
//   unless it is a conditional create, which meets the existing object (412) as on S3.
// State lives beside s3rver's files, which its listings ignore: <bucket>/._S3rver_lock.json (the bucket's configuration,
// {} or {"mode", "days"|"years"}) and <key>._S3rver_lock.json (an object's {"mode", "until", "legalHold"}).
'use strict';
const fs = require('fs/promises');
const xmlParser = require('fast-xml-parser'); // s3rver's own XML parser
const S3Error = require('s3rver/lib/models/error');
const router = require('s3rver/lib/routes');
const bucketMethods = require('s3rver/lib/controllers/bucket').METHODS;
const objectMethods = require('s3rver/lib/controllers/object').METHODS;

const XMLNS = { '@': { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' } };
const MODES = ['GOVERNANCE', 'COMPLIANCE'];
const SUBRESOURCES = new Set([...bucketMethods, ...objectMethods]);
const uploadLocks = new Map(); // upload id -> the Object Lock headers its CreateMultipartUpload gave (or null)

const s3Error = (code, message, status) => Object.assign(new S3Error(code, message), status ? { status } : {});
const invalid = message => s3Error('InvalidArgument', message);
const missingConfiguration = () => s3Error('InvalidRequest', 'Bucket is missing Object Lock Configuration');

async function readJson(file) {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    if (error.code === 'ENOENT') return null;
    throw error;
  }
}

async function readXml(ctx) {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (xmlParser.validate(text) !== true) throw s3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
  return xmlParser.parse(text);
}

const hasChecksum = ctx =>
  Boolean(ctx.get('content-md5')) || Object.keys(ctx.headers).some(h => h.startsWith('x-amz-checksum-') || h === 'x-amz-sdk-checksum-algorithm');

// The Object Lock headers of a PutObject or CreateMultipartUpload, checked; null when it has none.
function requestedLock(ctx, configuration) {
  const mode = ctx.get('x-amz-object-lock-mode');
  const until = ctx.get('x-amz-object-lock-retain-until-date');
  const hold = ctx.get('x-amz-object-lock-legal-hold');
  if (!mode && !until && !hold) return null;
  if (!configuration) throw missingConfiguration();
  if (!mode !== !until) throw invalid('x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied');
  if (mode && !MODES.includes(mode)) throw invalid('Unknown wormMode directive.');
  if (hold && hold !== 'ON' && hold !== 'OFF') throw invalid("Legal Hold must be either of 'ON' or 'OFF'");
  const date = until ? new Date(until) : null;
  if (date && Number.isNaN(date.getTime())) throw invalid('The retain until date must be an ISO 8601 date and time');
  if (date && date.getTime() <= Date.now()) throw invalid('The retain until date must be in the future!');
  return { mode: mode || undefined, until: date ? date.toISOString() : undefined, legalHold: hold === 'ON' || undefined };
}

// What a new object gets: its own retention, else the bucket's default one (counted from now), and its legal hold.
function lockOf(requested, configuration) {
  const lock = { ...requested };
  if (!lock.mode && configuration && configuration.mode) {
    const until = new Date();
    if (configuration.days) until.setTime(until.getTime() + configuration.days * 86400000);
    else until.setUTCFullYear(until.getUTCFullYear() + configuration.years);
    Object.assign(lock, { mode: configuration.mode, until: until.toISOString() });
  }
  return lock.mode || lock.legalHold ? lock : null;
}

// Why this object may not be deleted or replaced now, or null.
function protection(lock, ctx) {
  if (!lock) return null;
  if (lock.legalHold) return 'Access Denied because object protected by object lock (legal hold).';
  if (!lock.mode || new Date(lock.until).getTime() <= Date.now()) return null;
  if (lock.mode === 'GOVERNANCE' && ctx.get('x-amz-bypass-governance-retention').toLowerCase() === 'true') return null;
  return `Access Denied because object protected by object lock (${lock.mode} until ${lock.until}).`;
}

async function refuseIfLocked(ctx, lockFile) {
  const reason = protection(await readJson(lockFile), ctx);
  if (reason) throw s3Error('AccessDenied', reason);
}

// CreateBucket and Get/PutObjectLockConfiguration.
async function bucketLock(ctx, next, configurationFile) {
  const subresource = Object.keys(ctx.query).find(q => SUBRESOURCES.has(q));
  if (ctx.method === 'PUT' && !subresource) {
    await next();
    if (ctx.get('x-amz-bucket-object-lock-enabled').toLowerCase() === 'true') await fs.writeFile(configurationFile, '{}');
    return;
  }
  if (subresource !== 'object-lock' || !['GET', 'PUT'].includes(ctx.method) || !(await ctx.app.store.getBucket(ctx.params.bucket))) return next();
  if (ctx.method === 'GET') {
    const configuration = await readJson(configurationFile);
    if (!configuration) throw s3Error('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', 404);
    const { mode, days, years } = configuration;
    const rule = mode ? { Rule: { DefaultRetention: { Mode: mode, ...(days ? { Days: days } : { Years: years }) } } } : {};
    ctx.body = { ObjectLockConfiguration: { ...XMLNS, ObjectLockEnabled: 'Enabled', ...rule } };
    return;
  }
  // S3 lets a bucket created without Object Lock turn it on this way too.
  if (!hasChecksum(ctx)) throw s3Error('InvalidRequest', 'Missing required header for this request: Content-MD5 OR x-amz-checksum-*');
  const configuration = (await readXml(ctx)).ObjectLockConfiguration;
  if (!configuration || configuration.ObjectLockEnabled !== 'Enabled') throw s3Error('MalformedXML', 'ObjectLockEnabled must be Enabled');
  const retention = configuration.Rule && configuration.Rule.DefaultRetention;
  let stored = {};
  if (retention) {
    const { Mode: mode, Days: days, Years: years } = retention;
    if (!MODES.includes(mode)) throw s3Error('MalformedXML', 'DefaultRetention needs a Mode of GOVERNANCE or COMPLIANCE');
    if ((days === undefined) === (years === undefined)) throw s3Error('MalformedXML', 'DefaultRetention needs either Days or Years');
    if (!(Number.isInteger(days ?? years) && (days ?? years) > 0)) throw invalid('Default retention period must be a positive integer value');
    stored = days ? { mode, days } : { mode, years };
  }
  await fs.writeFile(configurationFile, JSON.stringify(stored));
  ctx.body = '';
}

// PutObjectRetention: a retention may always be placed on an object without one (or whose retention has ended) and
// extended in its own mode; shortening or removing it, or changing its mode, is refused with 403 AccessDenied, except for
// a GOVERNANCE retention with "x-amz-bypass-governance-retention: true". COMPLIANCE gives way to nothing.
async function putRetention(ctx, configuration, lockFile) {
  const { bucket, key } = ctx.params;
  if (!configuration) throw missingConfiguration();
  if (!(await ctx.app.store.existsObject(bucket, key))) throw s3Error('NoSuchKey', 'The specified key does not exist.');
  if (!hasChecksum(ctx)) throw s3Error('InvalidRequest', 'Missing required header for this request: Content-MD5 OR x-amz-checksum-*');
  const body = (await readXml(ctx)).Retention;
  if (body === undefined) throw s3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
  const mode = body && body.Mode !== undefined ? String(body.Mode) : undefined;
  const until = body && body.RetainUntilDate !== undefined ? new Date(String(body.RetainUntilDate)) : undefined;
  if (!mode !== !until) throw s3Error('MalformedXML', 'Retention needs both a Mode and a RetainUntilDate, or neither (to remove it).');
  if (mode && !MODES.includes(mode)) throw s3Error('MalformedXML', 'Unknown wormMode directive.');
  if (until && Number.isNaN(until.getTime())) throw invalid('The retain until date must be an ISO 8601 date and time');
  if (until && until.getTime() <= Date.now()) throw invalid('The retain until date must be in the future!');

  const current = (await readJson(lockFile)) || {};
  const inForce = current.mode && new Date(current.until).getTime() > Date.now();
  if (inForce) {
    const weakened = !mode || mode !== current.mode || until.getTime() < new Date(current.until).getTime();
    if (weakened && current.mode === 'COMPLIANCE') {
      throw s3Error('AccessDenied', `Access Denied because object protected by object lock (COMPLIANCE until ${current.until}): a COMPLIANCE retention can only be extended.`);
    }
    if (weakened && ctx.get('x-amz-bypass-governance-retention').toLowerCase() !== 'true') {
      throw s3Error('AccessDenied', `Access Denied because object protected by object lock (GOVERNANCE until ${current.until}): shortening, removing or changing it needs x-amz-bypass-governance-retention.`);
    }
  }
  const lock = { legalHold: current.legalHold, ...(mode ? { mode, until: until.toISOString() } : {}) };
  await (lock.mode || lock.legalHold ? fs.writeFile(lockFile, JSON.stringify(lock)) : fs.rm(lockFile, { force: true }));
  ctx.body = '';
}

async function objectLock(ctx, next) {
  const { bucket, key } = ctx.params;
  const store = ctx.app.store;
  if (!bucket) return next();
  const configurationFile = store.getResourcePath(bucket, undefined, 'lock.json');
  if (!key) return bucketLock(ctx, next, configurationFile);
  if (!(await store.getBucket(bucket))) return next(); // s3rver answers NoSuchBucket
  const lockFile = store.getResourcePath(bucket, key, 'lock.json');
  const subresource = Object.keys(ctx.query).find(q => SUBRESOURCES.has(q));
  const conditional = ctx.get('if-none-match') === '*';
  const configuration = await readJson(configurationFile);

  if (ctx.method === 'PUT' && !subresource) {
    // PutObject (or CopyObject, which sends no body and so no checksum).
    const lock = lockOf(requestedLock(ctx, configuration), configuration);
    if (lock && !hasChecksum(ctx) && !('x-amz-copy-source' in ctx.headers)) {
      throw s3Error('InvalidRequest', 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters');
    }
    if (!conditional) await refuseIfLocked(ctx, lockFile);
    await next();
    await (lock ? fs.writeFile(lockFile, JSON.stringify(lock)) : fs.rm(lockFile, { force: true }));
  } else if (ctx.method === 'POST' && subresource === 'uploads') {
    const requested = requestedLock(ctx, configuration);
    await next();
    uploadLocks.set(ctx.body.InitiateMultipartUploadResult.UploadId, requested);
  } else if (ctx.method === 'PUT' && subresource === 'uploadId') {
    if (lockOf(uploadLocks.get(ctx.query.uploadId), configuration) && !hasChecksum(ctx)) {
      throw s3Error('InvalidRequest', 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters');
    }
    await next();
  } else if (ctx.method === 'POST' && subresource === 'uploadId') {
    if (!conditional) await refuseIfLocked(ctx, lockFile);
    await next();
    const lock = lockOf(uploadLocks.get(ctx.query.uploadId), configuration);
    uploadLocks.delete(ctx.query.uploadId);
    await (lock ? fs.writeFile(lockFile, JSON.stringify(lock)) : fs.rm(lockFile, { force: true }));
  } else if ((ctx.method === 'GET' || ctx.method === 'HEAD') && !subresource) {
    await next();
    const lock = ctx.status === 200 || ctx.status === 206 ? await readJson(lockFile) : null;
    if (lock && lock.mode) ctx.set({ 'x-amz-object-lock-mode': lock.mode, 'x-amz-object-lock-retain-until-date': lock.until });
    if (lock) ctx.set('x-amz-object-lock-legal-hold', lock.legalHold ? 'ON' : 'OFF');
  } else if (ctx.method === 'GET' && subresource === 'retention') {
    if (!configuration) throw missingConfiguration();
    if (!(await store.existsObject(bucket, key))) throw s3Error('NoSuchKey', 'The specified key does not exist.');
    const lock = await readJson(lockFile);
    if (!lock || !lock.mode) throw s3Error('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration', 404);
    ctx.body = { Retention: { ...XMLNS, Mode: lock.mode, RetainUntilDate: lock.until } };
  } else if (ctx.method === 'PUT' && subresource === 'retention') {
    await putRetention(ctx, configuration, lockFile);
  } else if (ctx.method === 'DELETE' && !subresource) {
    await refuseIfLocked(ctx, lockFile);
    await fs.rm(lockFile, { force: true });
    await next();
  } else {
    await next();
  }
}

// Runs objectLock in s3rver's router right after its authentication, with the bucket and key the router parsed.
exports.install = () => {
  const authentication = router.stack.findIndex(layer => layer.stack.some(fn => fn.name === 'authentication'));
  if (authentication < 0) throw new Error('s3rver changed: its authentication layer was not found');
  router.use('/:bucket?/:key*', objectLock);
  router.stack.splice(authentication + 1, 0, router.stack.pop());
};
