/** argon2id password hashing (@node-rs/argon2), with OWASP's recommended minimum cost. */
import { hash, verify } from "@node-rs/argon2";
import type { PasswordHasher } from "../ports/index.js";

export function createArgon2Hasher(opts: { memoryCost?: number; timeCost?: number } = {}): PasswordHasher {
  const params = {
    algorithm: 2 as const,
    memoryCost: opts.memoryCost ?? 19_456,
    timeCost: opts.timeCost ?? 2,
    parallelism: 1,
  };
  return {
    hash: (password) => hash(password, params),
    verify: async (h, password) => {
      try {
        return await verify(h, password);
      } catch {
        return false;
      }
    },
  };
}
