select * from "jobs" where "id" = ?;
-- parameters: [1]
