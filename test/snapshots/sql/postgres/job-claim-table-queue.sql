select * from "jobs" where (("status" = $1 and "run_at" <= $2) or ("status" = $3 and "locked_at" < $4)) order by "run_at" asc, "id" asc limit $5;
-- parameters: ["pending","2026-11-24T02:00:00.000Z","running","2026-11-24T02:00:00.000Z",1]
