alter table "applications" add column "card_disposition" text;
