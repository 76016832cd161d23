// S2 example app for faults/scenarios/s2-ssl-unix-socket.yaml: node-postgres connecting
// over the Cloud SQL-style Unix socket (PGHOST is the socket directory).
//   good  ssl: false over the socket: connects
//   bad   ssl enabled over the socket: the SSLRequest is answered by closing,
//         "Connection terminated unexpectedly"
// Usage: node s2_pg_ssl_socket.js good|bad
'use strict';

const { driverRequire, mode, describe } = require('./common');

const pg = driverRequire('pg');
const m = mode('usage: node s2_pg_ssl_socket.js good|bad');

(async () => {
  const client = new pg.Client({
    host: process.env.PGHOST,
    port: Number(process.env.PGPORT),
    ssl: m === 'good' ? false : { rejectUnauthorized: false },
    connectionTimeoutMillis: 5000,
  });
  try {
    await client.connect();
    const { rows } = await client.query('SELECT 1 AS one');
    console.log(`connected over ${process.env.PGHOST}, SELECT 1 = ${rows[0].one}`);
    await client.end();
    process.exit(0);
  } catch (err) {
    console.log(`connect failed: ${describe(err)}`);
    process.exit(1);
  }
})();
