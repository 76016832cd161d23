// Toxiproxy compatibility with Toxiproxy's own Node client (toxiproxy-node-client from npm,
// unmodified) against a real fauxgres started with --api 127.0.0.1:0, and node-postgres
// through the proxies it creates: create a proxy, connect through it, add, read, update and
// remove toxics (a Toxiproxy latency and a fauxgres idle_drop), disable the proxy, reset,
// populate, delete, versions and errors. Every wait is bounded; the server is always stopped.
//
//   node toxiproxy_client_test.js --server PATH/fauxgres --node-modules DIR/node_modules
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

function arg(name) {
  const at = process.argv.indexOf(name);
  if (at < 0 || at + 1 >= process.argv.length) throw new Error(`missing ${name}`);
  return process.argv[at + 1];
}

const server = arg("--server");
const modules = path.resolve(arg("--node-modules"));
for (const m of ["toxiproxy-node-client", "pg"]) {
  if (!fs.existsSync(path.join(modules, m))) {
    console.error(`${m} is not installed in ${modules}: run npm ci in client_tests/drivers/node`);
    process.exit(1);
  }
}
const { Toxiproxy } = require(path.join(modules, "toxiproxy-node-client"));
const pg = require(path.join(modules, "pg"));

// Rejects after `ms` with `what` unless `promise` settles first.
function within(ms, what, promise) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]);
}

// fauxgres with the API on a free port; resolves with {child, api, dir} at its ready line.
function startFauxgres() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fauxgres-toxiproxy-"));
  const child = spawn(server, ["--api", "127.0.0.1:0", "--listen", "127.0.0.1:0",
                               "--unix-socket-dir", dir],
                      { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => { stderr += d; });
  const ready = new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const line = out.split("\n").find((l) => l.startsWith("fauxgres ready on "));
      if (!line) return;
      const api = /, api (http:\/\/\S+)/.exec(line);
      if (!api) reject(new Error(`no api address in: ${line}`));
      else resolve({ child, api: api[1], dir });
    });
    child.on("exit", (code) => reject(new Error(`fauxgres exited with ${code}: ${stderr}`)));
  });
  return within(10000, "fauxgres ready line", ready).catch((e) => {
    child.kill("SIGKILL");
    throw e;
  });
}

function stopFauxgres(f) {
  if (!f) return Promise.resolve();
  const exited = new Promise((resolve) => {
    if (f.child.exitCode !== null || f.child.signalCode !== null) return resolve();
    f.child.once("exit", resolve);
  });
  f.child.kill("SIGTERM");
  return within(5000, "fauxgres exit", exited)
    .catch(() => f.child.kill("SIGKILL"))
    .finally(() => fs.rmSync(f.dir, { recursive: true, force: true }));
}

function portOf(listen) {
  return Number(listen.slice(listen.lastIndexOf(":") + 1));
}

async function connectTo(port) {
  const client = new pg.Client({ host: "127.0.0.1", port, user: "app", database: "app",
                                 connectionTimeoutMillis: 3000, query_timeout: 5000 });
  client.on("error", () => {});  // a dropped connection is checked where it matters
  await within(5000, "pg connect", client.connect());
  return client;
}

async function timedSelect(client) {
  const start = process.hrtime.bigint();
  const r = await client.query("SELECT 1 AS one");
  assert.equal(r.rows[0].one, 1);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

test("toxiproxy-node-client drives fauxgres", { timeout: 90000 }, async (t) => {
  const f = await startFauxgres();
  t.after(() => stopFauxgres(f));
  const toxiproxy = new Toxiproxy(f.api);
  const clients = [];
  t.after(() => Promise.all(clients.map((c) => c.end().catch(() => {}))));

  await t.test("version and the existing listeners as proxies", async () => {
    const version = JSON.parse(await toxiproxy.getVersion());
    assert.equal(typeof version.version, "string");
    const all = await toxiproxy.getAll();
    assert.ok(all.tcp0, "tcp0 is listed");
    assert.equal(all.tcp0.upstream, "fake");
    assert.equal(all.tcp0.enabled, true);
  });

  const proxy = await toxiproxy.createProxy({ name: "pg", listen: "localhost:0", upstream: "fake" });
  const port = portOf(proxy.listen);

  await t.test("a proxy on a free port, reached by node-postgres", async () => {
    assert.equal(proxy.name, "pg");
    assert.match(proxy.listen, /^127\.0\.0\.1:\d+$/);
    assert.ok(port > 0);
    const client = await connectTo(port);
    clients.push(client);
    await timedSelect(client);
  });

  await t.test("a latency toxic slows answers; removed, they are fast again", async () => {
    const toxic = await proxy.addToxic({ type: "latency", attributes: { latency: 300 } });
    assert.equal(toxic.name, "latency_downstream");
    assert.equal(toxic.stream, "downstream");
    assert.equal(toxic.toxicity, 1);
    assert.deepEqual(toxic.attributes, { latency: 300 });
    const read = await proxy.getToxic("latency_downstream");
    assert.equal(read.type, "latency");
    const updated = await read.update({ attributes: { latency: 400 }, toxicity: 1 });
    assert.equal(updated.attributes.latency, 400);

    const slow = await connectTo(port);
    clients.push(slow);
    assert.ok(await timedSelect(slow) >= 350, "SELECT took at least the latency");
    await updated.remove();
    const fast = await connectTo(port);
    clients.push(fast);
    assert.ok(await timedSelect(fast) < 350, "SELECT is fast without the toxic");
  });

  await t.test("a fauxgres idle_drop toxic resets idle connections", async () => {
    const toxic = await proxy.addToxic({ type: "idle_drop", name: "nat",
                                         attributes: { after: "200ms", mode: "reset" } });
    assert.equal(toxic.name, "nat");
    assert.deepEqual(toxic.attributes, { after: "200ms", mode: "reset" });
    const idle = new pg.Client({ host: "127.0.0.1", port, user: "app", database: "app",
                                 connectionTimeoutMillis: 3000 });
    const dropped = new Promise((resolve) => idle.on("error", resolve));
    await within(5000, "pg connect", idle.connect());
    const error = await within(5000, "idle connection reset", dropped);
    assert.equal(error.code, "ECONNRESET");
    await toxic.remove();
    await assert.rejects(proxy.getToxic("nat"), /404/);
  });

  await t.test("a disabled proxy refuses; reset enables it and removes toxics", async () => {
    await proxy.addToxic({ type: "startup_error", attributes: { preset: "starting_up" } });
    const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: "fake" });
    assert.equal(disabled.enabled, false);
    await assert.rejects(connectTo(port), (e) => e.code === "ECONNREFUSED");

    await toxiproxy.reset();
    const again = await toxiproxy.get("pg");
    assert.equal(again.enabled, true);
    const raw = await (await fetch(`${f.api}/proxies/pg/toxics`)).json();
    assert.deepEqual(raw, []);
    const client = await connectTo(port);
    clients.push(client);
    await timedSelect(client);
  });

  await t.test("populate, delete and Toxiproxy's errors", async () => {
    const populated = await toxiproxy.populate([
      { name: "pg2", listen: "127.0.0.1:0", upstream: "fake" },
    ]);
    assert.ok(populated.pg2);
    assert.equal(populated.pg2.enabled, true);
    const client = await connectTo(portOf(populated.pg2.listen));
    clients.push(client);
    await timedSelect(client);

    await assert.rejects(
      toxiproxy.createProxy({ name: "pg", listen: "127.0.0.1:0", upstream: "fake" }), /409/);
    await assert.rejects(
      toxiproxy.createProxy({ name: "other", listen: "127.0.0.1:0", upstream: "db:5432" }), /400/);
    await assert.rejects(proxy.addToxic({ type: "nope" }), /400/);

    await populated.pg2.remove();
    await proxy.remove();
    await assert.rejects(toxiproxy.get("pg"), /404/);
    const body = await (await fetch(`${f.api}/proxies/pg`)).json();
    assert.deepEqual(body, { error: "proxy not found", status: 404 });
    await assert.rejects(connectTo(port), (e) => e.code === "ECONNREFUSED");
  });
});
