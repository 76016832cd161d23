// Sequelize 6 probe (dialect postgres over pg): raw queries with bind parameters, managed
// transactions, authenticate() as the ping.
'use strict';

const { Sequelize, QueryTypes } = require('sequelize');
const { target, expect, expectRejects, Reporter } = require('./common');

function create(t, form) {
  const options = { dialect: 'postgres', logging: false,
    pool: { max: 2, min: 0, acquire: 10000 }, dialectOptions: { connectionTimeoutMillis: 10000 } };
  if (form === 'url') return new Sequelize(t.url('postgres'), options);
  if (form === 'keyword') return new Sequelize(t.db, t.user, t.password, { ...options, host: t.host, port: t.port });
  return new Sequelize(t.db, t.user, null, { ...options, host: t.unixDir, port: t.unixPort });
}

async function scalar(sequelize, sql, extra = {}) {
  const rows = await sequelize.query(sql, { type: QueryTypes.SELECT, raw: true, ...extra });
  if (rows.length !== 1 || Object.keys(rows[0]).length !== 1) {
    throw new Error(`${sql}: expected one row of one column, got ${JSON.stringify(rows)}`);
  }
  return Object.values(rows[0])[0];
}

async function probeForm(rep, t, form) {
  let sequelize;
  await rep.runForm(form, {
    connect: async () => {
      sequelize = create(t, form);
      const manager = sequelize.connectionManager;
      const conn = await manager.getConnection(); // runs Sequelize's on-connect SETs
      await manager.releaseConnection(conn);
      return `connectionManager.getConnection (server ${sequelize.options.databaseVersion})`;
    },
    select1: async () => { expect(await scalar(sequelize, 'SELECT 1'), 1, 'SELECT 1'); return '1'; },
    param: async () => {
      expect(await scalar(sequelize, 'SELECT $1::int + 1', { bind: [41] }), 42, 'SELECT $1::int + 1 (41)');
      return '42';
    },
    repeat7: async () => {
      for (let i = 0; i < 7; i++) {
        expect(await scalar(sequelize, 'SELECT $1::int + 1', { bind: [100 + i] }), 101 + i, `run ${i + 1}`);
      }
      return '7 runs';
    },
    txn: async () => {
      let tx;
      await sequelize.transaction(async (t1) => {
        tx = t1;
        expect(await scalar(sequelize, 'SELECT 2', { transaction: t1 }), 2, 'SELECT 2 in transaction');
      });
      expect(tx.finished, 'commit', 'transaction.finished');
      return 'sequelize.transaction: START TRANSACTION/SELECT 2/COMMIT';
    },
    error: async () => {
      const notes = [await expectRejects(sequelize.query('SELECT 1/0'), '22012', 'outside a transaction')];
      expect(await scalar(sequelize, 'SELECT 1'), 1, 'SELECT 1 after the error');
      let tx;
      notes.push(await expectRejects(sequelize.transaction(async (t1) => {
        tx = t1;
        await sequelize.query('SELECT 1/0', { transaction: t1 });
      }), '22012', 'in sequelize.transaction'));
      expect(tx && tx.finished, 'rollback', 'transaction.finished');
      expect(await scalar(sequelize, 'SELECT $1::int + 1', { bind: [1] }), 2, 'statement after rollback');
      return notes.join('; ');
    },
    ping: async () => { await sequelize.authenticate(); return 'authenticate() (SELECT 1+1 AS result)'; },
    close: async () => { await sequelize.close(); return 'sequelize.close'; },
    cleanup: async () => { if (sequelize) await sequelize.close(); },
  });
}

(async () => {
  const t = target();
  const rep = new Reporter('sequelize');
  for (const form of t.forms) await probeForm(rep, t, form);
})().then(() => process.exit(0), (err) => {
  process.stderr.write(`${err && err.stack}\n`);
  process.exit(1);
});
