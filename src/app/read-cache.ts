/**
 * Reads remembered until the database changes. A status page polled by its holder, or an
 * application open on several staff screens, is read far more often than it changes; while no
 * write has become visible (the database's change mark is the same), the same reads give the
 * same answer, so the answer is kept instead of read again.
 *
 * Correctness rests on four rules. Everything is forgotten at once when the mark moves (any
 * commit: this process's at once, another's on the same SQLite file from the next turn of the
 * event loop on, src/db/wal-probe.ts). An answer is kept only if the
 * mark was the same before its reads began and after they ended, so it never mixes states. An
 * answer that depends on the time carries the instant it stops being true (`until`). Keys name
 * whoever asks: two actors never share an answer. On PostgreSQL no mark is kept, so nothing is
 * remembered and every read goes to the database; nor inside a transaction (no mark either).
 *
 * An answer is kept from its key's second read on (the first only notes the key, in a
 * `Doorkeeper`): reads that are never repeated (a population of holders each looking once, staff
 * paging through applications) would otherwise fill the memory with answers nobody asks for
 * again, and push out the polled ones that are. In `bench/scale.ts` (5 s of reads at random over
 * 20 000 applications, a fifth of them repeats) the process's buffers peaked at 10–14 MB before,
 * 3–4 MB after.
 */

import { changeMark } from "../db/connect.js";
import type { Actor, AppDeps } from "./context.js";

/** What an entry costs besides its value: the Map's slot, the entry object (its key is counted as it is). */
export const ENTRY_OVERHEAD_BYTES = 160;

/**
 * An answer's bytes in a buffer of their own, to be remembered. `Buffer.from` cuts a small buffer
 * from a shared 8 KB slab, and a remembered slice keeps the whole slab (and whatever else was cut
 * from it) alive: measured, 16 MB of buffers held for 8 MB of answers.
 */
export function ownBytes(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}

/**
 * Which keys were asked for recently, in a fixed 128 KB: a Bloom filter (2^20 bits, three probes
 * by double hashing of a 32-bit FNV-1a hash). It may say "seen" for a key that was not (about 3 %
 * of keys when full), which only means that answer is kept on its first read. Once as many keys
 * as an eighth of its bits were noted it starts empty again, so it never fills up.
 */
export class Doorkeeper {
  readonly #bits: Uint32Array;
  readonly #mask: number;
  readonly #capacity: number;
  #noted = 0;

  constructor(log2Bits = 20) {
    this.#bits = new Uint32Array(2 ** (log2Bits - 5));
    this.#mask = 2 ** log2Bits - 1;
    this.#capacity = 2 ** (log2Bits - 3);
  }

  /** Notes `key`; true if it was (probably) noted before. */
  note(key: string): boolean {
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    // A second, independent-enough hash from the first (murmur3's finaliser), odd so probes differ.
    let g = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    g = Math.imul(g ^ (g >>> 13), 0xc2b2ae35);
    g = (g ^ (g >>> 16)) | 1;
    let seen = true;
    for (let i = 0; i < 3; i++) {
      const bit = (h + i * g) & this.#mask;
      const word = bit >>> 5;
      const flag = 1 << (bit & 31);
      if ((this.#bits[word]! & flag) === 0) {
        seen = false;
        this.#bits[word]! |= flag;
      }
    }
    if (!seen && ++this.#noted >= this.#capacity) {
      this.#bits.fill(0);
      this.#noted = 0;
    }
    return seen;
  }
}

interface Entry {
  value: unknown;
  /** Epoch milliseconds after which the answer is no longer true. */
  until: number;
  size: number;
}

export interface Computed<T> {
  value: T;
  /** Epoch milliseconds when the answer stops being true by itself (never, if absent; 0: not kept). */
  until?: number;
  /** Rough size in bytes, for the memory bound (a JSON answer: its length). */
  size: number;
}

export class ReadCache {
  readonly #mark: () => string | null;
  readonly #maxBytes: number;
  #at: string | null = null;
  readonly #entries = new Map<string, Entry>();
  /** Keys read before: outlives the mark moving, so a polled answer is kept again at its next read. */
  readonly #seen: Doorkeeper;
  #bytes = 0;
  hits = 0;
  misses = 0;

  constructor(mark: () => string | null, maxBytes: number, seen = new Doorkeeper()) {
    this.#mark = mark;
    this.#maxBytes = maxBytes;
    this.#seen = seen;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The remembered answer for `key`, or `compute()`'s, remembered when nothing changed meanwhile. */
  async get<T>(key: string, nowMs: number, compute: () => Promise<Computed<T>>): Promise<T> {
    const mark = this.#maxBytes > 0 ? this.#mark() : null;
    if (mark === null) return (await compute()).value;
    if (mark !== this.#at) this.#forget(mark);
    const hit = this.#entries.get(key);
    if (hit !== undefined && hit.until > nowMs) {
      this.hits++;
      return hit.value as T;
    }
    this.misses++;
    // A remembered answer that turned stale was read before: no need to ask the doorkeeper.
    const repeated = hit !== undefined || this.#seen.note(key);
    const fresh = await compute();
    // Kept only if no write became visible while it was read (else it may mix two states).
    const until = fresh.until ?? Number.POSITIVE_INFINITY;
    if (
      repeated &&
      until > nowMs &&
      fresh.size <= this.#maxBytes / 4 &&
      this.#mark() === mark &&
      this.#at === mark
    ) {
      this.#put(key, { value: fresh.value, until, size: fresh.size + key.length * 2 + ENTRY_OVERHEAD_BYTES });
    }
    return fresh.value;
  }

  #forget(mark: string): void {
    this.#entries.clear();
    this.#bytes = 0;
    this.#at = mark;
  }

  #put(key: string, entry: Entry): void {
    const old = this.#entries.get(key);
    if (old !== undefined) {
      this.#entries.delete(key);
      this.#bytes -= old.size;
    }
    // Oldest first out, until the new answer fits.
    for (const [k, e] of this.#entries) {
      if (this.#bytes + entry.size <= this.#maxBytes) break;
      this.#entries.delete(k);
      this.#bytes -= e.size;
    }
    this.#entries.set(key, entry);
    this.#bytes += entry.size;
  }
}

const caches = new WeakMap<object, ReadCache>();

/** The read cache of this database handle (one per open database, sized by ZHUXIAO_READ_CACHE_MB). */
export function readCache(deps: Pick<AppDeps, "db" | "config">): ReadCache {
  let cache = caches.get(deps.db);
  if (cache === undefined) {
    const db = deps.db;
    cache = new ReadCache(() => changeMark(db), Math.round(deps.config.readCacheMb * 1024 * 1024));
    caches.set(db, cache);
  }
  return cache;
}

/** Who asks, for a key: an answer shaped by permissions is only ever given to the same actor. */
export function actorKey(actor: Actor): string {
  return `${actor.type}:${actor.id}:${actor.role}:${"providerId" in actor ? (actor.providerId ?? "") : ""}`;
}
