// Shared plumbing for the Node story clients: the drivers come from ../node/node_modules
// (the drivers suite's lockfile); one JSON object per line on stdout, read by harness.py.
'use strict';

const path = require('path');
const { createRequire } = require('module');

const driverRequire = createRequire(path.join(__dirname, '..', 'node', 'package.json'));

function emit(record) {
  process.stdout.write(JSON.stringify(record) + '\n');
}

// What a user sees of an error: class, code (SQLSTATE or errno name), message; Sequelize
// wraps the driver's error in .parent / .original.
function errorRecord(err) {
  const inner = err && (err.parent || err.original);
  const code = (err && err.code) || (inner && inner.code);
  return {
    error: err && err.name ? err.name : String(err),
    code: code === undefined ? null : code,
    message: err && err.message ? err.message : String(err),
    inner: inner ? { error: inner.name, code: inner.code, message: inner.message } : null,
  };
}

// Runs `fn` and reports {case: name, ok: true, value} or {case: name, ok: false, ...error}.
async function attempt(name, fn, extra = {}) {
  try {
    const value = await fn();
    emit({ case: name, ok: true, value: value === undefined ? null : value, ...extra });
  } catch (err) {
    emit({ case: name, ok: false, ...errorRecord(err), ...extra });
  }
}

// A whole client is bounded: the runner kills it when late, this makes it exit first.
function bound(ms) {
  setTimeout(() => {
    emit({ event: 'timeout', ms });
    process.exit(3);
  }, ms).unref();
}

module.exports = { driverRequire, emit, errorRecord, attempt, bound };
