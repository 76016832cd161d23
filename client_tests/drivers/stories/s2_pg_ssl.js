// S2 client: node-postgres over the Cloud SQL-style Unix socket, with and without SSL.
// Usage: node s2_pg_ssl.js '{"unix_dir":..., "user":..., "password":..., "db":...}'
'use strict';

const { driverRequire, attempt, bound } = require('./story_common');

const pg = driverRequire('pg');
const t = JSON.parse(process.argv[2]);
bound(20000);

async function connectOnce(ssl) {
  const config = { host: t.unix_dir, port: t.unix_port, user: t.user, password: t.password,
                   database: t.db, connectionTimeoutMillis: 5000 };
  if (ssl !== undefined) config.ssl = ssl;
  const client = new pg.Client(config);
  client.on('error', () => {});  // a late socket error must not crash the probe
  try {
    await client.connect();
    const r = await client.query('SELECT 1 AS one');
    return r.rows[0].one;
  } finally {
    await client.end().catch(() => {});
  }
}

(async () => {
  await attempt('default', () => connectOnce(undefined));
  // What `ssl: true` / `?sslmode=require` gives, without certificate checks.
  await attempt('ssl', () => connectOnce({ rejectUnauthorized: false }));
  await attempt('ssl_false', () => connectOnce(false));
})();
