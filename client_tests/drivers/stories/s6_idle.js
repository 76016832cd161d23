// S6 client: a Lambda-style handler with a node-postgres Pool and a Sequelize instance
// created once per container (the blog's fix for per-call setup), reused across calls.
// Usage: node s6_idle.js '{"host","port","user","password","db","idle_ms","wait_ms",
//                          "evict_ms","frozen":bool,"handler":bool,"libs":["pg.Pool","Sequelize"]}'
//
// Invocation 1 opens the connections; then the process sits idle for wait_ms (longer than
// the server's idle drop); then invocations 2 and 3 run.
// - frozen: the idle period is a frozen Lambda container (Atomics.wait: nothing runs, not
//   the driver's socket reads, not the pools' idle timers) and invocation 2 runs first
//   thing on thaw, before any socket event is read. The client learns of the drop only
//   when it writes, as with a NAT gateway that forgot the flow and answers with RST.
// - live: an ordinary process; timers and socket events run while idle.
// handler=false: no pool.on('error') listener (node-postgres' documented crash).
'use strict';

const { driverRequire, emit, attempt, bound } = require('./story_common');

const pg = driverRequire('pg');
const { Sequelize } = driverRequire('sequelize');
const t = JSON.parse(process.argv[2]);
bound(25000);

const handlers = {};
const closers = [];
if (t.libs.includes('pg.Pool')) {
  const pool = new pg.Pool({ host: t.host, port: t.port, user: t.user, password: t.password,
                             database: t.db, max: 1, idleTimeoutMillis: t.idle_ms,
                             connectionTimeoutMillis: 5000 });
  if (t.handler) {
    pool.on('error', (err) => emit({ lib: 'pg.Pool', event: 'pool_error',
                                     code: err.code || null, message: err.message }));
  }
  handlers['pg.Pool'] = async () => (await pool.query('SELECT 1 AS one')).rows[0].one;
  closers.push(() => pool.end());
}
if (t.libs.includes('Sequelize')) {
  const sequelize = new Sequelize(t.db, t.user, t.password, {
    host: t.host, port: t.port, dialect: 'postgres', logging: false,
    // evict: how often idle connections are looked at (default 1 s); idle alone is not enough
    pool: { max: 1, min: 0, idle: t.idle_ms, evict: t.evict_ms, acquire: 5000 },
  });
  handlers.Sequelize = async () =>
    (await sequelize.query('SELECT 1 AS one', { type: 'SELECT' }))[0].one;
  closers.push(() => sequelize.close());
}

async function invoke(n) {
  await Promise.all(Object.entries(handlers).map(([lib, fn]) =>
    attempt(`invocation${n}`, fn, { lib, invocation: n })));
}

(async () => {
  await invoke(1);
  emit({ event: 'idle', ms: t.wait_ms, frozen: t.frozen });
  if (t.frozen) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, t.wait_ms);
  } else {
    await new Promise((r) => setTimeout(r, t.wait_ms));  // waiting out the idle period
  }
  await invoke(2);
  await invoke(3);
  for (const close of closers) await close().catch(() => {});
  emit({ event: 'done' });
  process.exit(0);
})();
