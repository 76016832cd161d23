// S6 example app for faults/scenarios/s6-connection-pileup.yaml: a Lambda-style handler
// invoked 6 times in one warm container, against a server that allows 4 connections.
//   good  one Sequelize instance for the container, created once, shared by every
//         invocation (pool max 2)
//   bad   a new Sequelize instance per invocation, never closed: each leaves its
//         connection open, and the 5th invocation gets 53300
// Usage: node s6_sequelize_pileup.js good|bad
'use strict';

const { driverRequire, mode, describe } = require('./common');

const { Sequelize } = driverRequire('sequelize');
const m = mode('usage: node s6_sequelize_pileup.js good|bad');
const url = process.env.DATABASE_URL;
const options = { dialect: 'postgres', logging: false,
                  pool: { max: 2, min: 0, idle: 10000, acquire: 5000 } };

const shared = m === 'good' ? new Sequelize(url, options) : null;

async function handler() {
  const sequelize = shared || new Sequelize(url, options);  // bad: per invocation, leaked
  const rows = await sequelize.query('SELECT 1 AS one', { type: 'SELECT' });
  return rows[0].one;
}

(async () => {
  let failed = 0;
  for (let n = 1; n <= 6; n++) {
    try {
      console.log(`invocation ${n}: SELECT 1 = ${await handler()}`);
    } catch (err) {
      failed++;
      console.log(`invocation ${n} failed: ${describe(err)}`);
    }
  }
  if (shared) await shared.close();
  process.exit(failed ? 1 : 0);  // leaked instances would keep the process alive
})();
