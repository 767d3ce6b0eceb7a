select * from "applications" where "card_id" = ? and "status" not in (?, ?, ?);
-- parameters: ["card_1","closed","withdrawn","rejected"]
