// node-postgres (`pg`) probe: pg.Client for the steps, pg.Pool for the pool check.
'use strict';

const pg = require('pg');
const { target, expect, expectRejects, Reporter } = require('./common');

function config(t, form) {
  const common = { connectionTimeoutMillis: 10000 };
  if (form === 'url') return { ...common, connectionString: t.url() };
  if (form === 'keyword') {
    return { ...common, host: t.host, port: t.port, user: t.user, password: t.password, database: t.db };
  }
  return { ...common, host: t.unixDir, port: t.unixPort, user: t.user, database: t.db };
}

async function scalar(client, text, values, name) {
  const res = await client.query({ text, values, name, rowMode: 'array' });
  if (res.rows.length !== 1 || res.rows[0].length !== 1) {
    throw new Error(`${text}: expected one row of one column, got ${JSON.stringify(res.rows)}`);
  }
  return res.rows[0][0];
}

async function probeForm(rep, t, form) {
  let client;
  await rep.runForm(form, {
    connect: async () => {
      client = new pg.Client(config(t, form));
      client.on('error', () => {});
      await client.connect();
      return 'Client.connect';
    },
    select1: async () => { expect(await scalar(client, 'SELECT 1'), 1, 'SELECT 1'); return '1'; },
    param: async () => {
      expect(await scalar(client, 'SELECT $1::int + 1', [41]), 42, 'SELECT $1::int + 1 (41)');
      return '42';
    },
    repeat7: async () => {
      for (let i = 0; i < 7; i++) {
        expect(await scalar(client, 'SELECT $1::int + 1', [100 + i], 'probe_add_one'), 101 + i, `run ${i + 1}`);
      }
      return '7 runs of a named statement';
    },
    txn: async () => {
      // pg has no transaction API: BEGIN/COMMIT are queries (as its docs show).
      await client.query('BEGIN');
      expect(await scalar(client, 'SELECT 2'), 2, 'SELECT 2 in transaction');
      const res = await client.query('COMMIT');
      expect(res.command, 'COMMIT', 'COMMIT tag');
      return 'BEGIN/SELECT 2/COMMIT';
    },
    error: async () => {
      const notes = [await expectRejects(client.query('SELECT 1/0'), '22012', 'outside a transaction')];
      expect(await scalar(client, 'SELECT 1'), 1, 'SELECT 1 after the error');
      await client.query('BEGIN');
      notes.push(await expectRejects(client.query('SELECT 1/0'), '22012', 'in transaction'));
      const res = await client.query('ROLLBACK');
      expect(res.command, 'ROLLBACK', 'ROLLBACK tag');
      expect(await scalar(client, 'SELECT $1::int + 1', [1]), 2, 'statement after ROLLBACK');
      return notes.join('; ');
    },
    ping: async () => {
      // pg.Pool has no ping: check out, query, release, check out again (same client).
      const pool = new pg.Pool({ ...config(t, form), max: 2 });
      pool.on('error', () => {});
      try {
        const c1 = await pool.connect();
        expect(await scalar(c1, 'SELECT 1'), 1, 'SELECT 1 on a pooled client');
        c1.release();
        const c2 = await pool.connect();
        expect(c2 === c1, true, 'the pool reuses the released client');
        expect(await scalar(c2, 'SELECT 1'), 1, 'SELECT 1 after reuse');
        c2.release();
        expect(pool.totalCount, 1, 'pool.totalCount');
      } finally {
        await pool.end();
      }
      return 'pg.Pool connect/release x2';
    },
    close: async () => { await client.end(); return 'Client.end'; },
    cleanup: async () => { if (client) await client.end(); },
  });
}

(async () => {
  const t = target();
  const rep = new Reporter('pg');
  for (const form of t.forms) await probeForm(rep, t, form);
})().then(() => process.exit(0), (err) => {
  process.stderr.write(`${err && err.stack}\n`);
  process.exit(1);
});
