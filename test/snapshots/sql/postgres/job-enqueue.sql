with "j" as (insert into "jobs" ("task", "payload_json", "dedupe_key", "status", "attempts", "max_attempts", "run_at", "created_at", "updated_at") values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict ("dedupe_key") do nothing returning "id") select "j"."id", graphile_worker.add_job(
        $10::text,
        json_build_object('id', j.id),
        run_at => now() + make_interval(secs => $11::float8),
        max_attempts => 25,
        job_key => 'zhuxiao:' || j.id
      ) as "dispatched" from "j";
-- parameters: ["notify.sms","{}","k","pending",0,10,"2026-11-24T02:00:00.000Z","2026-11-24T02:00:00.000Z","2026-11-24T02:00:00.000Z","zhuxiao_job",0]
