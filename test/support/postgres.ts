/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a temporary directory,
 * pg_ctl on a free 127.0.0.1 port with its unix socket inside that directory, stopped and removed
 * afterwards. PostgreSQL refuses to run as root, so as root the cluster runs as `nobody`.
 * Without the server binaries this throws: a PostgreSQL suite must fail, not skip.
 */
import { type SpawnSyncOptions, spawnSync } from "node:child_process";
import {
  accessSync,
  chmodSync,
  chownSync,
  constants,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import pg from "pg";
import { freePort } from "./server-process.js";

const UNPRIVILEGED_UID = 65534; // nobody
const UNPRIVILEGED_GID = 65534; // nogroup

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The directory holding initdb, pg_ctl and postgres: PATH first, then Debian's versioned dirs. */
export function postgresBinDir(): string | undefined {
  const candidates = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, "bin")));
  }
  return candidates.find((d) => ["initdb", "pg_ctl", "postgres"].every((b) => executable(join(d, b))));
}

export interface PostgresCluster {
  /** Superuser connection string to the `postgres` database, over TCP on 127.0.0.1. */
  adminUrl: string;
  port: number;
  dir: string;
  /** A connection string to a new, empty database in this cluster. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server, keeping its files (fast shutdown: connections are cut). */
  stopServer(): void;
  /** Starts the server again on the same port and files. */
  startServer(): void;
  /** Stops the server and removes its files. */
  destroy(): void;
}

export interface ClusterOptions {
  /** fsync and full-page writes off: fine for tests, never for figures of durable commits. */
  fast?: boolean;
  maxConnections?: number;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
}

let databaseCounter = 0;

export async function startPostgres(o: ClusterOptions = {}): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  if (!bin) {
    throw new Error(
      "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found in PATH or /usr/lib/postgresql/*/bin: " +
        "install the Debian package `postgresql` (.ci/run does) to run the PostgreSQL suites",
    );
  }
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "zhuxiao-pg-"));
  const data = join(dir, "data");
  if (asRoot) chownSync(dir, UNPRIVILEGED_UID, UNPRIVILEGED_GID);
  chmodSync(dir, 0o700);

  const run = (cmd: string, args: string[], extra: SpawnSyncOptions = {}) => {
    const r = spawnSync(join(bin, cmd), args, {
      encoding: "utf8",
      timeout: 60_000,
      ...(asRoot ? { uid: UNPRIVILEGED_UID, gid: UNPRIVILEGED_GID } : {}),
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C", LC_ALL: "C" },
      cwd: dir,
      ...extra,
    });
    if (r.status !== 0) {
      throw new Error(`${cmd} ${args.join(" ")} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
    }
    return r;
  };

  // C collation: text (ISO timestamps, ids) sorts by bytes, as on SQLite.
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-locale", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  const settings: Record<string, string> = {
    listen_addresses: "127.0.0.1",
    port: String(port),
    unix_socket_directories: dir,
    max_connections: String(o.maxConnections ?? 300),
    ...(o.fast ? { fsync: "off", synchronous_commit: "off", full_page_writes: "off" } : {}),
    ...o.settings,
  };
  const serverArgs = Object.entries(settings)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(" ");
  const startServer = () => {
    run("pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-o", serverArgs, "-w", "-t", "60", "start"]);
  };
  const stopServer = () => {
    run("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "60", "stop"]);
  };
  let running = false;
  let removed = false;
  const destroy = () => {
    if (removed) return;
    removed = true;
    if (running) {
      try {
        stopServer();
      } catch {
        // Last resort: the directory goes anyway, and the server exits when its files vanish.
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"], { timeout: 10_000 });
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Whatever happens to the test process, the cluster does not outlive it.
  process.once("exit", destroy);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      destroy();
      process.kill(process.pid, signal);
    });
  }
  try {
    startServer();
    running = true;
  } catch (err) {
    destroy();
    throw err;
  }
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    adminUrl,
    port,
    dir,
    createDatabase: (name) => createDatabase(adminUrl, name),
    stopServer() {
      stopServer();
      running = false;
    },
    startServer() {
      startServer();
      running = true;
    },
    destroy,
  };
}

/** A new database in the cluster of `adminUrl`, a copy of `template`; returns its connection string. */
export async function createDatabase(
  adminUrl: string,
  name?: string,
  template = "template0",
): Promise<string> {
  databaseCounter += 1;
  const db = name ?? `zx_${process.pid}_${databaseCounter}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database "${db}" template "${template}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${db}`;
  return url.toString();
}

/** Drops a database made by `createDatabase` (its connections are cut first). */
export async function dropDatabase(adminUrl: string, url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}
