// S3 client: node-postgres with passwords full of URL delimiters.
// Usage: node s3_pg_passwords.js '{"host","port","db","users":[{"user","password"}...]}'
// For every user: the raw password pasted into a URL, the percent-encoded URL, and the
// keyword (config object) form.
'use strict';

const { driverRequire, attempt, bound } = require('./story_common');

const pg = driverRequire('pg');
const t = JSON.parse(process.argv[2]);
bound(20000);

async function connectOnce(config) {
  const client = new pg.Client({ ...config, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.query('SELECT 1 AS one')).rows[0].one;
  } finally {
    await client.end().catch(() => {});
  }
}

(async () => {
  for (const { user, password } of t.users) {
    const extra = { user };
    const raw = `postgresql://${user}:${password}@${t.host}:${t.port}/${t.db}`;
    const encoded = `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}` +
      `@${t.host}:${t.port}/${t.db}`;
    await attempt('url_raw', () => connectOnce({ connectionString: raw }), extra);
    await attempt('url_encoded', () => connectOnce({ connectionString: encoded }), extra);
    await attempt('keyword', () => connectOnce({ host: t.host, port: t.port, user, password,
                                                 database: t.db }), extra);
  }
})();
