alter table "staff" add column "totp_secret_sealed" text;

alter table "staff" add column "totp_enabled" integer default 0 not null;
