/**
 * A rate-limit store in the database, for many API processes: @fastify/rate-limit's own store
 * counts per process, so N processes would allow N times the limit. One upsert per request
 * counts and reads the window atomically; wall-clock time (not the service's clock) bounds it.
 */
import type { FastifyRateLimitOptions, FastifyRateLimitStore } from "@fastify/rate-limit";
import type { Db } from "../db/connect.js";
import { deleteExpiredRateLimits, incrementRateLimit, readRateLimit } from "../db/rate-limits-repository.js";

export function databaseRateLimitStore(db: Db) {
  class DatabaseStore implements FastifyRateLimitStore {
    constructor(
      _options: FastifyRateLimitOptions,
      private readonly prefix = "global",
    ) {}

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      const now = Date.now();
      incrementRateLimit(db, `${this.prefix}|${key}`, now, timeWindow)
        .then((r) => {
          callback(null, { current: r.count, ttl: Math.max(0, r.resetAt - now) });
          // Now and then, forget windows long over (one process's share of the cleaning).
          if (Math.random() < 0.01) void deleteExpiredRateLimits(db, now).catch(() => {});
        })
        .catch((err: Error) => callback(err));
    }

    read(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
    ): void {
      const now = Date.now();
      readRateLimit(db, `${this.prefix}|${key}`, now)
        .then((r) => callback(null, r ? { current: r.count, ttl: r.resetAt - now } : { current: 0, ttl: 0 }))
        .catch((err: Error) => callback(err));
    }

    child(routeOptions: { method?: unknown; path: string; prefix: string }): FastifyRateLimitStore {
      return new DatabaseStore({}, `${[routeOptions.method].flat().join(",")} ${routeOptions.path}`);
    }
  }
  return DatabaseStore;
}
