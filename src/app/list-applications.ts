/** The staff work queue: filters, paging and sort; staff of one provider see only its applications. */
import {
  listQueue,
  type QueueFilter,
  type QueuePage,
  type QueueSort,
} from "../db/applications-repository.js";
import { type Actor, type AppDeps, authorize } from "./context.js";

export interface QueueQuery extends QueueFilter {
  limit: number;
  offset: number;
  sort: QueueSort;
  order: "asc" | "desc";
}

export async function listApplications(deps: AppDeps, actor: Actor, query: QueueQuery): Promise<QueuePage> {
  authorize(actor, "application.list");
  const { limit, offset, sort, order, ...filter } = query;
  const scoped =
    actor.type === "staff" && actor.providerId ? { ...filter, providerId: actor.providerId } : filter;
  return listQueue(deps.db, scoped, { limit, offset, sort, order });
}
