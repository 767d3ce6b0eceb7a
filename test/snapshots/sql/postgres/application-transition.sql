update "applications" set "status" = $1, "updated_at" = $2, "version" = "version" + $3 where "id" = $4 and "status" = $5 returning *;
-- parameters: ["under_review","2026-11-24T02:00:00.000Z",1,"app_1","submitted"]
