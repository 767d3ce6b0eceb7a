update "applications" set "status" = ?, "updated_at" = ?, "version" = "version" + ? where "id" = ? and "status" = ? returning *;
-- parameters: ["under_review","2026-11-24T02:00:00.000Z",1,"app_1","submitted"]
