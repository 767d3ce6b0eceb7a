alter table "applications" add column "branch" text;
