// Shared plumbing for the Node.js driver probes: the target (PROBE_* variables set by
// ../run_drivers.py) and one JSON line per step on stdout.
'use strict';

const STEPS = ['connect', 'select1', 'param', 'repeat7', 'txn', 'error', 'ping', 'close'];
const STEP_TIMEOUT_MS = 15000;

function env(name) {
  const v = process.env[name];
  if (v === undefined) {
    process.stderr.write(`probe: ${name} is not set\n`);
    process.exit(2);
  }
  return v;
}

function target() {
  const t = {
    host: env('PROBE_HOST'), port: Number(env('PROBE_PORT')),
    unixDir: env('PROBE_UNIX_DIR'), unixPort: Number(env('PROBE_UNIX_PORT')),
    db: env('PROBE_DB'), user: env('PROBE_USER'), password: env('PROBE_PASSWORD'),
    forms: (process.env.PROBE_FORMS || 'url,keyword,unix').split(',').filter(Boolean),
  };
  t.url = (scheme = 'postgresql') =>
    `${scheme}://${encodeURIComponent(t.user)}:${encodeURIComponent(t.password)}` +
    `@${t.host}:${t.port}/${t.db}`;
  return t;
}

class StepFailed extends Error {}

function expect(actual, expected, what) {
  if (actual !== expected) {
    throw new StepFailed(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
  return actual;
}

// Checks that `err` (a driver error, or a wrapper with .parent/.original) has SQLSTATE `code`.
function expectSqlstate(err, code, what) {
  let got;
  for (let e = err; e && got === undefined; e = e.parent || e.original || e.cause) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) got = e.code;
    if (e === (e.parent || e.original || e.cause)) break;
  }
  if (got !== code) {
    throw new StepFailed(`${what}: expected SQLSTATE ${code}, got ${got} (${describe(err)})`);
  }
  return `${what}: ${code}`;
}

async function expectRejects(promise, code, what) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  if (!err) throw new StepFailed(`${what}: did not fail`);
  return expectSqlstate(err, code, what);
}

function describe(err) {
  if (!(err instanceof Error)) return String(err);
  const code = err.code ? ` [${err.code}]` : '';
  return `${err.name}${code}: ${err.message}`.replace(/\s+/g, ' ').slice(0, 600);
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new StepFailed(`${what}: timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

class Reporter {
  constructor(driver) { this.driver = driver; }

  emit(form, step, ok, detail = '') {
    process.stdout.write(JSON.stringify({
      driver: this.driver, form, step, ok, detail: String(detail).slice(0, 800),
    }) + '\n');
  }

  // Runs the steps in order (after a failed connect: the rest not run, cleanup instead).
  async runForm(form, steps, na = {}) {
    let connected = true;
    for (const step of STEPS) {
      if (step in na) {
        this.emit(form, step, 'n/a', na[step]);
      } else if (!connected) {
        this.emit(form, step, false, 'not run: connect failed');
      } else {
        try {
          const detail = await withTimeout(Promise.resolve().then(steps[step]), STEP_TIMEOUT_MS, step);
          this.emit(form, step, true, detail === undefined ? '' : detail);
        } catch (err) {
          this.emit(form, step, false, describe(err));
          if (step === 'connect') connected = false;
        }
      }
    }
    if (!connected && steps.cleanup) {
      try {
        await withTimeout(Promise.resolve().then(steps.cleanup), 5000, 'cleanup');
      } catch (_) { /* best effort */ }
    }
  }
}

module.exports = { STEPS, target, expect, expectRejects, expectSqlstate, Reporter, StepFailed };
