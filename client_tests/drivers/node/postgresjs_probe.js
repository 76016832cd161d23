// postgres.js (`postgres` 3.x) probe: tagged-template queries, named statements, sql.begin.
'use strict';

const postgres = require('postgres');
const { target, expect, expectRejects, Reporter } = require('./common');

function options(t, form) {
  // max 1: every step runs on the same connection (as far as postgres.js allows).
  const common = { max: 1, connect_timeout: 10, onnotice: () => {} };
  if (form === 'url') return [t.url(), common];
  if (form === 'keyword') {
    return [{ ...common, host: t.host, port: t.port, user: t.user, password: t.password, database: t.db }];
  }
  return [{ ...common, host: t.unixDir, port: t.unixPort, user: t.user, database: t.db }];
}

async function scalar(query) {
  const rows = await query.values();
  if (rows.length !== 1 || rows[0].length !== 1) {
    throw new Error(`expected one row of one column, got ${JSON.stringify(rows)}`);
  }
  return rows[0][0];
}

async function probeForm(rep, t, form) {
  let sql;
  await rep.runForm(form, {
    connect: async () => {
      sql = postgres(...options(t, form));
      const reserved = await sql.reserve(); // opens the connection
      reserved.release();
      return `server_version ${sql.parameters.server_version}`;
    },
    select1: async () => { expect(await scalar(sql`SELECT 1`), 1, 'SELECT 1'); return '1'; },
    param: async () => {
      expect(await scalar(sql`SELECT ${41}::int + 1`), 42, 'SELECT $1::int + 1 (41)');
      return '42';
    },
    repeat7: async () => {
      for (let i = 0; i < 7; i++) {
        expect(await scalar(sql`SELECT ${100 + i}::int + 1`), 101 + i, `run ${i + 1}`);
      }
      return '7 runs (prepared once, named)';
    },
    txn: async () => {
      const result = await sql.begin(async (tx) => {
        expect(await scalar(tx`SELECT 2`), 2, 'SELECT 2 in transaction');
        return 'committed';
      });
      expect(result, 'committed', 'sql.begin result');
      return 'sql.begin: begin/SELECT 2/commit';
    },
    error: async () => {
      const notes = [await expectRejects(sql`SELECT 1/0`.execute(), '22012', 'outside a transaction')];
      expect(await scalar(sql`SELECT 1`), 1, 'SELECT 1 after the error');
      notes.push(await expectRejects(sql.begin(async (tx) => {
        expect(await scalar(tx`SELECT ${1}::int + 1`), 2, 'statement before the error');
        await tx`SELECT 1/0`;
      }), '22012', 'in sql.begin'));
      expect(await scalar(sql`SELECT ${1}::int + 1`), 2, 'statement after rollback');
      return notes.join('; ');
    },
    close: async () => { await sql.end({ timeout: 5 }); return 'sql.end'; },
    cleanup: async () => { if (sql) await sql.end({ timeout: 1 }); },
  }, { ping: 'postgres.js has no ping or pool health check' });
}

(async () => {
  const t = target();
  const rep = new Reporter('postgres.js');
  for (const form of t.forms) await probeForm(rep, t, form);
})().then(() => process.exit(0), (err) => {
  process.stderr.write(`${err && err.stack}\n`);
  process.exit(1);
});
