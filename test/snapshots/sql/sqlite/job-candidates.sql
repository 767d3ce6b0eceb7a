select "id" from "jobs" where (("status" = ? and "run_at" <= ?) or "status" = ?) order by "run_at" asc, "id" asc limit ?;
-- parameters: ["pending","2026-11-24T02:00:00.000Z","running",20]
