insert into "jobs" ("task", "payload_json", "dedupe_key", "status", "attempts", "max_attempts", "run_at", "created_at", "updated_at") values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict ("dedupe_key") do nothing returning "id";
-- parameters: ["notify.sms","{}","k","pending",0,10,"2026-11-24T02:00:00.000Z","2026-11-24T02:00:00.000Z","2026-11-24T02:00:00.000Z"]
