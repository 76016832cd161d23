// S6 example app for faults/scenarios/s6-idle-reset.yaml: a long-running Node service with
// a node-postgres Pool; the server resets connections idle for 500 ms (a NAT gateway).
//   good  idleTimeoutMillis: 200, below the drop: the pool closes idle connections first
//   bad   idleTimeoutMillis: 10000 (the default), above it: the server resets the pooled
//         connections, and the pool reports ECONNRESET on its 'error' event
// The service handles a request, idles 800 ms, and does that three times.
// Usage: node s6_pg_idle.js good|bad
'use strict';

const { driverRequire, mode, describe } = require('./common');

const pg = driverRequire('pg');
const m = mode('usage: node s6_pg_idle.js good|bad');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

(async () => {
  const pool = new pg.Pool({ max: 2, idleTimeoutMillis: m === 'good' ? 200 : 10000,
                             connectionTimeoutMillis: 5000 });
  // Without a listener an idle client's error crashes the process (node-postgres docs).
  pool.on('error', (err) => console.log(`pool error on an idle connection: ${describe(err)}`));
  let failed = 0;
  for (let n = 1; n <= 3; n++) {
    try {
      const { rows } = await pool.query('SELECT 1 AS one');
      console.log(`request ${n}: SELECT 1 = ${rows[0].one}`);
    } catch (err) {
      failed++;
      console.log(`request ${n} failed: ${describe(err)}`);
    }
    if (n < 3) await sleep(800);
  }
  await pool.end();
  process.exit(failed ? 1 : 0);
})();
