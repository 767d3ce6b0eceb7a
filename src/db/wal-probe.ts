/**
 * Whether anything was committed to a WAL-mode SQLite file, for the price of one small read. The
 * wal-index header at the start of the `-shm` file changes with every commit, by any connection
 * of any process (its change counter and last valid frame; https://sqlite.org/walformat.html, "The
 * WAL-Index Header"). `pragma data_version` answers the same question but begins a read
 * transaction, taking and releasing the shared-memory locks: several times the cost.
 *
 * A read racing a commit may see a half-written header: that only differs from every earlier one,
 * so it costs a needless miss, never a stale answer. When the header is not the layout this
 * expects (another wal-index version), `read()` answers null and the caller asks SQLite instead.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { endianness } from "node:os";

/** The wal-index version SQLite has written since 3.7.0. */
const WAL_INDEX_VERSION = 3007000;
/** The first copy of the header: version, unused, change counter, … salts and checksums. */
const HEADER_BYTES = 48;

export class WalChangeProbe {
  readonly #path: string;
  readonly #buf = Buffer.alloc(HEADER_BYTES);
  #fd: number | undefined;
  #broken = false;

  /** `shmPath`: the database file's name followed by `-shm`. */
  constructor(shmPath: string) {
    this.#path = shmPath;
  }

  /** The header's bytes as a string (equal strings: nothing committed in between), or null. */
  read(): string | null {
    if (this.#broken) return null;
    try {
      this.#fd ??= openSync(this.#path, "r");
      const n = readSync(this.#fd, this.#buf, 0, HEADER_BYTES, 0);
      const version = endianness() === "LE" ? this.#buf.readUInt32LE(0) : this.#buf.readUInt32BE(0);
      if (n === HEADER_BYTES && version === WAL_INDEX_VERSION)
        return this.#buf.toString("latin1", 0, HEADER_BYTES);
    } catch {
      // No -shm file (not in WAL mode, or exclusive locking): ask SQLite.
    }
    this.#broken = true;
    this.close();
    return null;
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

/**
 * The change mark of a SQLite file that other processes may write too: the wal-index header read
 * at most once per turn of the event loop, joined with the commits this process made itself,
 * counted as they happen. Two remembered reads per request (the session, then the answer) each
 * read the header before; profiled on the status read, those reads were ≈ 10 % of the server's
 * CPU. This process's own writes move the mark at once, as before; a commit by another process
 * (a separate worker, the CLI) moves it from the next turn on, so for the rest of the turn in
 * which it lands, answers remembered before it may still be given: the same as if those requests
 * had been answered a moment earlier.
 *
 * Where the header cannot be read (`read()` null), every call asks `fallback` (SQLite itself).
 */
export class TurnChangeMark {
  readonly #header: () => string | null;
  readonly #commits: () => number;
  readonly #fallback: () => string | null;
  #at: string | null = null;
  #readThisTurn = false;
  #commitsAt = -1;
  #mark = "";

  constructor(header: () => string | null, commits: () => number, fallback: () => string | null) {
    this.#header = header;
    this.#commits = commits;
    this.#fallback = fallback;
  }

  read(): string | null {
    if (!this.#readThisTurn) {
      this.#readThisTurn = true;
      setImmediate(this.#nextTurn);
      this.#at = this.#header();
      this.#commitsAt = -1;
    }
    if (this.#at === null) return this.#fallback();
    const commits = this.#commits();
    if (commits !== this.#commitsAt) {
      this.#commitsAt = commits;
      this.#mark = `${this.#at}.${commits}`;
    }
    return this.#mark;
  }

  readonly #nextTurn = (): void => {
    this.#readThisTurn = false;
  };
}
