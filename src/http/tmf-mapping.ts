/**
 * Our states in TM Forum vocabulary (docs/integration.md has the table): TMF622 ProductOrder and
 * ProductOrderItem states for applications, TMF637 Product status for cards.
 */
import type { ApplicationStatus } from "../domain/states.js";

export const TMF622_ORDER_STATE: Readonly<Record<ApplicationStatus, string>> = {
  draft: "acknowledged",
  submitted: "acknowledged",
  under_review: "inProgress",
  // Waiting for the customer: TMF's "held" is an order stopped for an external reason.
  needs_info: "held",
  approved: "inProgress",
  processing: "inProgress",
  // Our failed is recoverable by staff, so the order is held rather than terminally failed.
  failed: "held",
  completed: "completed",
  closed: "completed",
  withdrawn: "cancelled",
  rejected: "rejected",
};

export const TMF637_PRODUCT_STATUS: Readonly<Record<string, string>> = {
  active: "active",
  lost: "suspended",
  suspended: "suspended",
  pending_cancellation: "pendingTerminate",
  cancelled: "terminated",
};
