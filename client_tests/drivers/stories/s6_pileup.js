// S6 client: a handler that opens its database connection per invocation (a new
// Sequelize instance, or a new pg.Pool) and, in the naive version, never closes it: the
// container keeps running between invocations, so the connections stay open.
// Usage: node s6_pileup.js '{"host","port","user","password","db","lib","close","invocations"}'
'use strict';

const { driverRequire, attempt, bound } = require('./story_common');

const pg = driverRequire('pg');
const { Sequelize } = driverRequire('sequelize');
const t = JSON.parse(process.argv[2]);
bound(25000);

async function sequelizeHandler() {
  const sequelize = new Sequelize(t.db, t.user, t.password, {
    host: t.host, port: t.port, dialect: 'postgres', logging: false,
    pool: { max: 2, min: 0, idle: 10000, acquire: 5000 },
  });
  try {
    return (await sequelize.query('SELECT 1 AS one', { type: 'SELECT' }))[0].one;
  } finally {
    if (t.close) await sequelize.close();
  }
}

async function pgHandler() {
  const pool = new pg.Pool({ host: t.host, port: t.port, user: t.user, password: t.password,
                             database: t.db, max: 2, connectionTimeoutMillis: 5000 });
  pool.on('error', () => {});
  try {
    return (await pool.query('SELECT 1 AS one')).rows[0].one;
  } finally {
    if (t.close) await pool.end();
  }
}

(async () => {
  const handler = t.lib === 'sequelize' ? sequelizeHandler : pgHandler;
  for (let n = 1; n <= t.invocations; n++) {
    await attempt(`invocation${n}`, handler, { invocation: n });
  }
  process.exit(0);  // leaked pools would keep the process alive
})();
