// Shared by the Node example apps: the drivers come from the driver suite's node_modules
// (client_tests/drivers/node, pinned by its package-lock.json).
'use strict';

const path = require('path');
const { createRequire } = require('module');

const driverRequire = createRequire(
  path.join(__dirname, '..', 'drivers', 'node', 'package.json'));

// good|bad from argv, or exit with the usage.
function mode(usage) {
  const m = process.argv[2];
  if (m !== 'good' && m !== 'bad') {
    console.error(usage);
    process.exit(2);
  }
  return m;
}

function describe(err) {
  const inner = err && (err.parent || err.original);
  const code = (err && err.code) || (inner && inner.code);
  return `${err && err.name ? err.name : 'Error'}${code ? ' ' + code : ''}: ${
    err && err.message ? err.message : String(err)}`;
}

module.exports = { driverRequire, mode, describe };
