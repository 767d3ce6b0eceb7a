select * from "jobs" where (("status" = ? and "run_at" <= ?) or ("status" = ? and "locked_at" < ?)) order by "run_at" asc, "id" asc limit ?;
-- parameters: ["pending","2026-11-24T02:00:00.000Z","running","2026-11-24T02:00:00.000Z",1]
