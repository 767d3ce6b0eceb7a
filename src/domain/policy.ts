/**
 * Who may do what, declared as data (role × action). Every use case asks `can()` first; a test
 * generated from the route list checks that every route's action is declared here.
 */

export const ROLES = ["holder", "agent", "supervisor", "admin", "provider", "system"] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES = ["agent", "supervisor", "admin"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const ACTIONS = [
  "card.list_own",
  "card.read",
  "eligibility.read",
  "application.create",
  "application.update_draft",
  "application.submit",
  "application.withdraw",
  "application.supply_info",
  "application.read",
  "application.list",
  "application.start_review",
  "application.request_info",
  "application.approve",
  "application.reject",
  "application.start_processing",
  "application.complete",
  "application.fail",
  "application.retry",
  "application.close",
  "staff.add",
  "audit.verify",
  "number.restore",
  "stats.read",
  "holder.lookup",
  "me.update",
  "holder.data_request",
  "appointment.advise",
  "appointment.read",
  "appointment.list_own",
  "appointment.book",
  "appointment.reschedule",
  "appointment.cancel",
  "appointment.list_branch",
  "appointment.check_in",
  "appointment.serve",
  "appointment.no_show",
] as const;
export type Action = (typeof ACTIONS)[number];

const STAFF_REVIEW: Action[] = [
  "holder.lookup",
  "card.read",
  "eligibility.read",
  "application.create",
  "application.update_draft",
  "application.submit",
  "application.withdraw",
  "application.read",
  "application.list",
  "application.start_review",
  "application.request_info",
  "application.approve",
  "application.reject",
  "application.start_processing",
  "application.complete",
  "application.close",
  "appointment.advise",
  "appointment.read",
  "appointment.list_branch",
  "appointment.check_in",
  "appointment.serve",
  "appointment.no_show",
];

export const POLICY: Readonly<Record<Role, readonly Action[]>> = {
  // Holders act on their own cards and applications only; ownership is checked in the use case.
  holder: [
    "card.list_own",
    "card.read",
    "eligibility.read",
    "application.create",
    "application.update_draft",
    "application.submit",
    "application.withdraw",
    "application.supply_info",
    "application.read",
    "application.close",
    "number.restore",
    "me.update",
    "appointment.advise",
    "appointment.read",
    "appointment.list_own",
    "appointment.book",
    "appointment.reschedule",
    "appointment.cancel",
  ],
  agent: STAFF_REVIEW,
  supervisor: [...STAFF_REVIEW, "application.fail", "application.retry", "stats.read"],
  admin: [
    ...STAFF_REVIEW,
    "application.fail",
    "application.retry",
    "staff.add",
    "audit.verify",
    "stats.read",
    "holder.data_request",
  ],
  // Operator systems through the TMF API: order a cancellation, follow it, cancel the order.
  provider: [
    "card.read",
    "application.create",
    "application.submit",
    "application.withdraw",
    "application.read",
  ],
  // The processing pipeline and the CLI acting for the operator.
  system: ACTIONS,
};

export function can(role: Role, action: Action): boolean {
  return POLICY[role].includes(action);
}
