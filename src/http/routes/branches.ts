/**
 * Branches, counter appointments and off-peak advice (docs/branches.md): public branch list and
 * processing-time estimate; advice and booking for holders; the counter's day for staff.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../../app/context.js";
import { adviceConstraintsSchema, recommendInputSchema } from "../../branches/app/advice-input.js";
import { bookAppointment } from "../../branches/app/book-appointment.js";
import { cancelAppointment } from "../../branches/app/cancel-appointment.js";
import { counterDay } from "../../branches/app/counter-day.js";
import {
  checkInAppointment,
  markNoShow,
  markServed,
  recordWalkIn,
  startService,
} from "../../branches/app/counter-events.js";
import { getAppointment, listMyAppointments } from "../../branches/app/get-appointment.js";
import { getBranchAdvice } from "../../branches/app/get-branch-advice.js";
import { listBranches } from "../../branches/app/list-branches.js";
import { listSlots } from "../../branches/app/list-slots.js";
import { getProcessingEta } from "../../branches/app/processing-eta.js";
import { recommendSlots } from "../../branches/app/recommend-slots.js";
import { rescheduleAppointment } from "../../branches/app/reschedule-appointment.js";
import { BRANCH_SERVICES } from "../../branches/domain/branch.js";
import type { Action } from "../../domain/policy.js";
import { requireActor } from "../auth.js";
import { idempotent } from "../idempotency.js";
import type { RoutePolicy } from "../route-policy.js";

const act = (action: Action): RoutePolicy => ({ kind: "action", action });

/** This file's rows of the route policy table (spread into src/http/route-policy.ts). */
export const BRANCH_ROUTE_POLICIES: Readonly<Record<string, RoutePolicy>> = {
  "GET /api/v1/branches": { kind: "public" },
  "GET /api/v1/providers/:id/processing-eta": { kind: "public" },
  "GET /api/v1/branches/:id/advice": act("appointment.advise"),
  "GET /api/v1/branches/:id/slots": act("appointment.advise"),
  "GET /api/v1/recommendations": act("appointment.advise"),
  "GET /api/v1/me/appointments": act("appointment.list_own"),
  "POST /api/v1/appointments": act("appointment.book"),
  "GET /api/v1/appointments/:id": act("appointment.read"),
  "POST /api/v1/appointments/:id/reschedule": act("appointment.reschedule"),
  "POST /api/v1/appointments/:id/cancel": act("appointment.cancel"),
  "GET /api/v1/branches/:id/today": act("appointment.list_branch"),
  "POST /api/v1/appointments/:id/check-in": act("appointment.check_in"),
  "POST /api/v1/appointments/:id/no-show": act("appointment.no_show"),
  "POST /api/v1/branches/:id/walk-ins": act("appointment.check_in"),
  "POST /api/v1/visits/:id/start": act("appointment.serve"),
  "POST /api/v1/visits/:id/served": act("appointment.serve"),
};

const idParams = z.object({ id: z.string().min(1).max(100) });
const idempotencyHeader = z.object({ "idempotency-key": z.string().optional() }).passthrough();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");
const lang = z.enum(["zh-CN", "en"]).optional();

export function branchRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/branches",
      {
        schema: {
          tags: ["branches"],
          summary:
            "Branches with opening hours, counters, services and location; nearest first given lat/lng",
          querystring: z
            .object({
              providerId: z.string().min(1).max(100).optional(),
              service: z.enum(BRANCH_SERVICES).optional(),
              lat: z.coerce.number().min(-90).max(90).optional(),
              lng: z.coerce.number().min(-180).max(180).optional(),
              maxDistanceKm: z.coerce.number().positive().max(500).optional(),
              lang,
            })
            .strict(),
        },
      },
      async (req) => listBranches(deps, req.query),
    );

    app.get(
      "/providers/:id/processing-eta",
      {
        schema: {
          tags: ["branches"],
          summary: "Expected processing time of an online application filed now: backlog ÷ recent throughput",
          params: idParams,
          querystring: z.object({ lang }).strict(),
        },
      },
      async (req) => getProcessingEta(deps, { providerId: req.params.id }),
    );

    app.get(
      "/branches/:id/advice",
      {
        schema: {
          tags: ["branches"],
          summary:
            "Booking page: weekday × hour heat map of predicted waiting, the three quietest slots meeting the constraints, the days ahead",
          params: idParams,
          querystring: adviceConstraintsSchema,
        },
      },
      async (req) =>
        getBranchAdvice(deps, await requireActor(deps, req), { branchId: req.params.id, ...req.query }),
    );

    app.get(
      "/branches/:id/slots",
      {
        schema: {
          tags: ["branches"],
          summary:
            "Slots of some days with places left, whether bookable (or why not) and the predicted wait",
          params: idParams,
          querystring: z
            .object({
              from: isoDate.optional(),
              days: z.coerce.number().int().min(1).max(14).default(7),
              lang,
            })
            .strict(),
        },
      },
      async (req) =>
        listSlots(deps, await requireActor(deps, req), {
          branchId: req.params.id,
          from: req.query.from,
          days: req.query.days,
        }),
    );

    app.get(
      "/recommendations",
      {
        schema: {
          tags: ["branches"],
          summary:
            "The three quietest bookable slots across branches within reach that fit the holder's days and times",
          querystring: recommendInputSchema,
        },
      },
      async (req) => recommendSlots(deps, await requireActor(deps, req), req.query),
    );

    app.get(
      "/me/appointments",
      { schema: { tags: ["branches"], summary: "Holder: my appointments, newest first" } },
      async (req) => listMyAppointments(deps, await requireActor(deps, req)),
    );

    app.post(
      "/appointments",
      {
        schema: {
          tags: ["branches"],
          summary:
            "Holder: book a slot (201); a full slot is 409 SLOT_FULL, a slot that cannot be booked 422",
          headers: idempotencyHeader,
          body: z
            .object({
              branchId: z.string().min(1).max(100),
              start: z.string().datetime({ offset: true }),
              applicationId: z.string().min(1).max(100).optional(),
              service: z.enum(BRANCH_SERVICES).optional(),
            })
            .strict(),
        },
      },
      async (req, reply) => {
        const actor = await requireActor(deps, req);
        return idempotent(deps, req, reply, `${actor.type}:${actor.id}`, async (d) => ({
          status: 201,
          body: await bookAppointment(d, actor, req.body),
        }));
      },
    );

    app.get(
      "/appointments/:id",
      {
        schema: {
          tags: ["branches"],
          summary: "One appointment with its branch and visit",
          params: idParams,
        },
      },
      async (req) => getAppointment(deps, await requireActor(deps, req), { appointmentId: req.params.id }),
    );

    app.post(
      "/appointments/:id/reschedule",
      {
        schema: {
          tags: ["branches"],
          summary: "Holder: move a booking to another slot of the same branch",
          params: idParams,
          headers: idempotencyHeader,
          body: z.object({ start: z.string().datetime({ offset: true }) }).strict(),
        },
      },
      async (req, reply) => {
        const actor = await requireActor(deps, req);
        return idempotent(deps, req, reply, `${actor.type}:${actor.id}`, async (d) => ({
          status: 200,
          body: await rescheduleAppointment(d, actor, {
            appointmentId: req.params.id,
            start: req.body.start,
          }),
        }));
      },
    );

    app.post(
      "/appointments/:id/cancel",
      {
        schema: {
          tags: ["branches"],
          summary: "Holder: cancel a booking before its slot; the place goes back",
          params: idParams,
          headers: idempotencyHeader,
          body: z.object({ reason: z.string().min(1).max(500).optional() }).strict(),
        },
      },
      async (req, reply) => {
        const actor = await requireActor(deps, req);
        return idempotent(deps, req, reply, `${actor.type}:${actor.id}`, async (d) => ({
          status: 200,
          body: await cancelAppointment(d, actor, { appointmentId: req.params.id, reason: req.body.reason }),
        }));
      },
    );

    app.get(
      "/branches/:id/today",
      {
        schema: {
          tags: ["branches"],
          summary:
            "Counter: today's appointments and check-ins, walk-ins, the queue, the predicted wait per hour",
          params: idParams,
        },
      },
      async (req) => counterDay(deps, await requireActor(deps, req), { branchId: req.params.id }),
    );

    app.post(
      "/appointments/:id/check-in",
      {
        schema: {
          tags: ["branches"],
          summary: "Counter: the holder has arrived (on the appointment's day); a visit opens",
          params: idParams,
          headers: idempotencyHeader,
          body: z.object({}).strict(),
        },
      },
      async (req, reply) => {
        const actor = await requireActor(deps, req);
        return idempotent(deps, req, reply, `${actor.type}:${actor.id}`, async (d) => ({
          status: 200,
          body: await checkInAppointment(d, actor, { appointmentId: req.params.id }),
        }));
      },
    );

    app.post(
      "/appointments/:id/no-show",
      {
        schema: {
          tags: ["branches"],
          summary: "Counter: the holder did not come (from 15 minutes after the slot's end)",
          params: idParams,
          headers: idempotencyHeader,
          body: z.object({}).strict(),
        },
      },
      async (req, reply) => {
        const actor = await requireActor(deps, req);
        return idempotent(deps, req, reply, `${actor.type}:${actor.id}`, async (d) => ({
          status: 200,
          body: await markNoShow(d, actor, { appointmentId: req.params.id }),
        }));
      },
    );

    app.post(
      "/branches/:id/walk-ins",
      {
        schema: {
          tags: ["branches"],
          summary: "Counter: someone arrived without an appointment; a visit opens (201)",
          params: idParams,
          headers: idempotencyHeader,
          body: z.object({}).strict(),
        },
      },
      async (req, reply) => {
        const actor = await requireActor(deps, req);
        return idempotent(deps, req, reply, `${actor.type}:${actor.id}`, async (d) => ({
          status: 201,
          body: await recordWalkIn(d, actor, { branchId: req.params.id }),
        }));
      },
    );

    app.post(
      "/visits/:id/start",
      {
        schema: {
          tags: ["branches"],
          summary: "Counter: call a waiting visit to a counter (its wait ends, its service starts)",
          params: idParams,
          headers: idempotencyHeader,
          body: z.object({ counter: z.number().int().min(1).max(99) }).strict(),
        },
      },
      async (req, reply) => {
        const actor = await requireActor(deps, req);
        return idempotent(deps, req, reply, `${actor.type}:${actor.id}`, async (d) => ({
          status: 200,
          body: await startService(d, actor, { visitId: req.params.id, counter: req.body.counter }),
        }));
      },
    );

    app.post(
      "/visits/:id/served",
      {
        schema: {
          tags: ["branches"],
          summary: "Counter: the visit is done; its appointment (if any) is served",
          params: idParams,
          headers: idempotencyHeader,
          body: z.object({ counter: z.number().int().min(1).max(99).optional() }).strict(),
        },
      },
      async (req, reply) => {
        const actor = await requireActor(deps, req);
        return idempotent(deps, req, reply, `${actor.type}:${actor.id}`, async (d) => ({
          status: 200,
          body: await markServed(d, actor, { visitId: req.params.id, counter: req.body.counter }),
        }));
      },
    );
  };
}
