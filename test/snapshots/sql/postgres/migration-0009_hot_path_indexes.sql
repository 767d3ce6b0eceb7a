create index "applications_due" on "applications" ("due_at", "id");

create index "applications_created" on "applications" ("created_at" desc, "id");

create index "applications_status_due" on "applications" ("status", "due_at", "id");

create index "applications_provider_status_due" on "applications" ("provider_id", "status", "due_at", "id");

create index "applications_branch_status_due" on "applications" ("branch", "status", "due_at", "id");

drop index "applications_queue";

create index "cards_id_family" on "cards" ("id", "family");
