/**
 * Applications: create (or get back the open one), read with timeline, update a draft, the staff
 * queue, and one POST per state transition. Every write takes an Idempotency-Key.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  closeSchema,
  commentSchema,
  createApplicationSchema,
  draftFieldsSchema,
  failSchema,
  rejectSchema,
  requestInfoSchema,
  supplyInfoSchema,
} from "../../app/application-input.js";
import { approveApplication } from "../../app/approve-application.js";
import { closeApplication } from "../../app/close-application.js";
import { completeApplication } from "../../app/complete-application.js";
import type { Actor, AppDeps } from "../../app/context.js";
import { createApplication } from "../../app/create-application.js";
import { failApplication } from "../../app/fail-application.js";
import { getApplication } from "../../app/get-application.js";
import { listApplications } from "../../app/list-applications.js";
import { actorKey, ownBytes, readCache } from "../../app/read-cache.js";
import { rejectApplication } from "../../app/reject-application.js";
import { requestInfo } from "../../app/request-info.js";
import { retryApplication } from "../../app/retry-application.js";
import { startProcessing } from "../../app/start-processing.js";
import { startReview } from "../../app/start-review.js";
import { submitApplication } from "../../app/submit-application.js";
import { supplyInfo } from "../../app/supply-info.js";
import { updateDraftApplication } from "../../app/update-draft.js";
import { withdrawApplication } from "../../app/withdraw-application.js";
import { listApplicationsOfHolder, QUEUE_SORTS } from "../../db/applications-repository.js";
import { findHolder } from "../../db/holders-repository.js";
import { findProvider } from "../../db/providers-repository.js";
import type { ApplicationRow } from "../../db/schema.js";
import { APPLICATION_CHANNELS, CARD_FAMILIES } from "../../domain/model.js";
import { slaStateUntil } from "../../domain/sla.js";
import { APPLICATION_STATUSES, type ApplicationStatus } from "../../domain/states.js";
import { requireActor } from "../auth.js";
import { idempotent } from "../idempotency.js";
import {
  presentApplication,
  presentCard,
  presentEvent,
  presentHolder,
  presentProvider,
} from "../presenters.js";

const idParams = z.object({ id: z.string().min(1).max(100) });
const idempotencyHeader = z.object({ "idempotency-key": z.string().optional() }).passthrough();

function scopeOf(actor: Actor): string {
  return `${actor.type}:${actor.id}`;
}

/** The transitions exposed as `POST /applications/{id}/{action}`, with their bodies. */
const ACTION_ROUTES: Array<{
  action: string;
  summary: string;
  body: z.ZodType;
  run: (deps: AppDeps, actor: Actor, id: string, body: never) => Promise<ApplicationRow>;
}> = [
  {
    action: "submit",
    summary: "Submit a draft (every check runs here)",
    body: z.object({}).strict(),
    run: (d, a, id) => submitApplication(d, a, { applicationId: id }),
  },
  {
    action: "withdraw",
    summary: "Withdraw, until processing starts",
    body: commentSchema,
    run: (d, a, id, b: { comment?: string }) => withdrawApplication(d, a, { applicationId: id, ...b }),
  },
  {
    action: "start_review",
    summary: "Staff: take into review",
    body: z.object({}).strict(),
    run: (d, a, id) => startReview(d, a, { applicationId: id }),
  },
  {
    action: "request_info",
    summary: "Staff: ask the holder for information",
    body: requestInfoSchema,
    run: (d, a, id, b: { message: string }) => requestInfo(d, a, { applicationId: id, ...b }),
  },
  {
    action: "supply_info",
    summary: "Holder: answer an information request",
    body: supplyInfoSchema,
    run: (d, a, id, b: { response: string }) => supplyInfo(d, a, { applicationId: id, ...b }),
  },
  {
    action: "approve",
    summary: "Staff: approve",
    body: commentSchema,
    run: (d, a, id, b: { comment?: string }) => approveApplication(d, a, { applicationId: id, ...b }),
  },
  {
    action: "reject",
    summary: "Staff: reject with a reason code",
    body: rejectSchema,
    run: (d, a, id, b: z.infer<typeof rejectSchema>) => rejectApplication(d, a, { applicationId: id, ...b }),
  },
  {
    action: "start_processing",
    summary: "Start processing (no withdrawal after this)",
    body: z.object({}).strict(),
    run: (d, a, id) => startProcessing(d, a, { applicationId: id }),
  },
  {
    action: "complete",
    summary: "The provider cancelled the card",
    body: commentSchema,
    run: (d, a, id, b: { comment?: string }) => completeApplication(d, a, { applicationId: id, ...b }),
  },
  {
    action: "fail",
    summary: "Processing failed, with the cause",
    body: failSchema,
    run: (d, a, id, b: { cause: string }) => failApplication(d, a, { applicationId: id, ...b }),
  },
  {
    action: "retry",
    summary: "Supervisor: send a failed application back to processing",
    body: commentSchema,
    run: (d, a, id, b: { comment?: string }) => retryApplication(d, a, { applicationId: id, ...b }),
  },
  {
    action: "close",
    summary: "Close: the card destroyed, returned, profile deleted, or declared",
    body: closeSchema,
    run: (d, a, id, b: z.infer<typeof closeSchema>) => closeApplication(d, a, { applicationId: id, ...b }),
  },
];

export const APPLICATION_ACTIONS = ACTION_ROUTES.map((r) => r.action);

export function applicationRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      "/applications",
      {
        schema: {
          tags: ["applications"],
          summary: "Create an application for a card (201), or get back the card's open application (200)",
          description:
            "With `submit: true` the application is submitted at once. A card already cancelled answers 409 CARD_ALREADY_CANCELLED naming the application that cancelled it.",
          headers: idempotencyHeader,
          body: createApplicationSchema,
        },
      },
      async (req, reply) => {
        const actor = await requireActor(deps, req);
        return idempotent(
          deps,
          req,
          reply,
          scopeOf(actor),
          async (d) => {
            const r = await createApplication(d, actor, req.body);
            if (!r.created) reply.header("location", `/api/v1/applications/${r.application.id}`);
            return {
              status: r.created ? 201 : 200,
              body: { created: r.created, application: presentApplication(r.application) },
            };
          },
          { scopedUseCase: true },
        );
      },
    );

    app.get(
      "/applications",
      {
        schema: {
          tags: ["applications"],
          summary: "Staff: the work queue (filters, paging, sort). Holders: their own applications.",
          querystring: z
            .object({
              status: z
                .union([z.enum(APPLICATION_STATUSES), z.array(z.enum(APPLICATION_STATUSES))])
                .optional(),
              family: z.enum(CARD_FAMILIES).optional(),
              providerId: z.string().max(100).optional(),
              channel: z.enum(APPLICATION_CHANNELS).optional(),
              branch: z.string().max(80).optional(),
              dueBefore: z.string().datetime().optional(),
              q: z.string().max(40).optional(),
              limit: z.coerce.number().int().min(1).max(200).default(50),
              offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
              sort: z.enum(QUEUE_SORTS).default("due_at"),
              order: z.enum(["asc", "desc"]).default("asc"),
              lang: z.enum(["zh-CN", "en"]).optional(),
            })
            .strict(),
        },
      },
      async (req) => {
        const actor = await requireActor(deps, req);
        if (actor.type === "holder") {
          const own = await listApplicationsOfHolder(deps.db, actor.id);
          return { items: own.map((a) => presentApplication(a, deps.clock.now())), total: own.length };
        }
        const { status, lang: _lang, ...rest } = req.query;
        const page = await listApplications(deps, actor, {
          ...rest,
          status: status === undefined ? undefined : Array.isArray(status) ? status : [status],
        });
        return {
          items: page.items.map((a) => ({
            ...presentApplication(a, deps.clock.now()),
            card: { family: a.cardFamily, kind: a.cardKind, label: a.cardLabel },
          })),
          total: page.total,
          // The total is counted up to a cap: true means "at least `total`" (shown as "10 000+").
          totalCapped: page.totalCapped,
          limit: req.query.limit,
          offset: req.query.offset,
        };
      },
    );

    app.get(
      "/applications/:id",
      {
        schema: {
          tags: ["applications"],
          summary: "One application with its card and full timeline",
          params: idParams,
        },
      },
      async (req, reply) => {
        const actor = await requireActor(deps, req);
        const now = deps.clock.now();
        // Polled far more often than it changes: remembered per reader until the database changes
        // (or the SLA state shown turns), src/app/read-cache.ts.
        const json = await readCache(deps).get(
          `application|${actorKey(actor)}|${req.params.id}`,
          now.getTime(),
          async () => {
            const v = await getApplication(deps, actor, { applicationId: req.params.id });
            const [holder, provider] = await Promise.all([
              findHolder(deps.db, v.application.holderId),
              findProvider(deps.db, v.application.providerId),
            ]);
            const a = v.application;
            // Kept as the bytes sent: a remembered answer is written as it is, not encoded again.
            const value = ownBytes(
              JSON.stringify({
                application: presentApplication(a, now),
                card: presentCard(v.card, actor),
                holder: holder ? presentHolder(holder, actor) : null,
                provider: provider ? presentProvider(provider) : null,
                timeline: v.timeline.map((e) => presentEvent(e, actor, v.staffNames)),
              }),
            );
            return {
              value,
              until: slaStateUntil(a.status as ApplicationStatus, a.submittedAt, a.dueAt, now),
              size: value.length,
            };
          },
        );
        return reply.type("application/json; charset=utf-8").send(json);
      },
    );

    app.patch(
      "/applications/:id",
      {
        schema: {
          tags: ["applications"],
          summary: "Fill in a draft: backup, unbinding checklist, balance option, timing",
          params: idParams,
          headers: idempotencyHeader,
          body: draftFieldsSchema,
        },
      },
      async (req, reply) => {
        const actor = await requireActor(deps, req);
        return idempotent(deps, req, reply, scopeOf(actor), async (d) => {
          const row = await updateDraftApplication(d, actor, {
            applicationId: req.params.id,
            fields: req.body,
          });
          return { status: 200, body: { application: presentApplication(row) } };
        });
      },
    );

    for (const route of ACTION_ROUTES) {
      app.post(
        `/applications/:id/${route.action}`,
        {
          schema: {
            tags: ["applications"],
            summary: route.summary,
            params: idParams,
            headers: idempotencyHeader,
            body: route.body,
          },
        },
        async (req, reply) => {
          const actor = await requireActor(deps, req);
          // Every action is a runTransition, which locks the application's card family itself.
          return idempotent(
            deps,
            req,
            reply,
            scopeOf(actor),
            async (d) => {
              const row = await route.run(d, actor, req.params.id, req.body as never);
              return { status: 200, body: { application: presentApplication(row) } };
            },
            { scopedUseCase: true },
          );
        },
      );
    }
  };
}
