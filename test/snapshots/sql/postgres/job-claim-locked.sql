select * from "jobs" where "id" = $1;
-- parameters: [1]
