select * from "applications" where "card_id" = $1 and "status" not in ($2, $3, $4);
-- parameters: ["card_1","closed","withdrawn","rejected"]
