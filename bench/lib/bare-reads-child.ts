/**
 * A second reference for reads: bare Fastify doing the reads a status read needs, straight
 * through better-sqlite3 with prepared statements on the server's database — the session by the
 * token's hash, the application, its card, its holder and its timeline — and answering them as
 * JSON (rows as stored, no presentation, no decryption, no permission rules, no logging, no
 * security headers). What a status read costs with the database in it and nothing of zhuxiao:
 * the floor under the real server, beside the reference (the same bytes from memory).
 */
import { createHash } from "node:crypto";
import BetterSqlite3 from "better-sqlite3";
import Fastify from "fastify";

const file = process.env.BENCH_DB_FILE ?? "";
const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
db.pragma("busy_timeout = 5000");
db.pragma("cache_size = -4096"); // the server's reader: ZHUXIAO_SQLITE_CACHE_MB's default
const session = db.prepare(
  `select s.subject_type, s.subject_id, s.expires_at, st.role from sessions s
   left join staff st on st.id = s.subject_id and s.subject_type = 'staff' where s.token_hash = ?`,
);
const application = db.prepare(`select * from applications where id = ?`);
const card = db.prepare(`select * from cards where id = ?`);
const holder = db.prepare(`select * from holders where id = ?`);
const timeline = db.prepare(`select * from audit_events where application_id = ? order by seq`);

const app = Fastify({ logger: false });
app.get<{ Params: { id: string } }>("/api/v1/applications/:id", (req, reply) => {
  const token = (req.headers.authorization ?? "").slice("Bearer ".length);
  const s = session.get(createHash("sha256").update(token).digest("hex")) as
    | { expires_at: string }
    | undefined;
  if (!s || s.expires_at <= new Date().toISOString())
    return reply.code(401).send({ code: "UNAUTHENTICATED" });
  const a = application.get(req.params.id) as { card_id: string; holder_id: string } | undefined;
  if (!a) return reply.code(404).send({ code: "APPLICATION_NOT_FOUND" });
  reply.type("application/json; charset=utf-8").send(
    JSON.stringify({
      application: a,
      card: card.get(a.card_id),
      holder: holder.get(a.holder_id),
      timeline: timeline.all(req.params.id),
    }),
  );
});
await app.listen({ host: "127.0.0.1", port: 0 });
process.send?.({ port: (app.server.address() as { port: number }).port });
process.on("SIGTERM", async () => {
  await app.close();
  db.close();
  process.exit(0);
});
