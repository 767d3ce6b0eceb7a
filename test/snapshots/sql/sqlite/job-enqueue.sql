insert into "jobs" ("task", "payload_json", "dedupe_key", "status", "attempts", "max_attempts", "run_at", "created_at", "updated_at") values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict ("dedupe_key") do nothing returning "id";
-- parameters: ["notify.sms","{}","k","pending",0,10,"2026-11-24T02:00:00.000Z","2026-11-24T02:00:00.000Z","2026-11-24T02:00:00.000Z"]
