/**
 * TM Forum style interface for operator systems: TMF622 Product Ordering (an order whose item has
 * action `delete` cancels a product, i.e. a card) and TMF637 Product Inventory. Authenticated by
 * an API key with the `tmf` scope; `externalId` is the idempotency key.
 */

import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { loadVisibleCard } from "../../app/access.js";
import type { Actor, AppDeps } from "../../app/context.js";
import { createApplication } from "../../app/create-application.js";
import { AppError } from "../../app/errors.js";
import { getApplication } from "../../app/get-application.js";
import { withdrawApplication } from "../../app/withdraw-application.js";
import { listBindings } from "../../db/cards-repository.js";
import type { ApplicationRow, CardRow } from "../../db/schema.js";
import { BALANCE_OPTIONS } from "../../domain/model.js";
import type { ApplicationStatus } from "../../domain/states.js";
import { requireApiKey } from "../auth.js";
import { idempotent } from "../idempotency.js";
import { TMF622_ORDER_STATE, TMF637_PRODUCT_STATUS } from "../tmf-mapping.js";

const ORDERING = "/tmf-api/productOrderingManagement/v4";
const INVENTORY = "/tmf-api/productInventory/v4";

const characteristic = z
  .object({ name: z.string().max(60), value: z.union([z.string().max(200), z.number(), z.boolean()]) })
  .passthrough();

const productOrderIn = z
  .object({
    externalId: z
      .string()
      .min(8)
      .max(128)
      .regex(/^[A-Za-z0-9_.:-]+$/),
    description: z.string().max(500).optional(),
    requestedCompletionDate: z.string().optional(),
    productOrderItem: z
      .array(
        z
          .object({
            id: z.string().max(40),
            action: z.string(),
            product: z
              .object({
                id: z.string().min(1).max(100),
                productCharacteristic: z.array(characteristic).max(20).optional(),
              })
              .passthrough(),
          })
          .passthrough(),
      )
      .length(1, "one productOrderItem per order: one card per cancellation"),
    "@type": z.string().optional(),
  })
  .passthrough();

function providerActor(deps: AppDeps, req: FastifyRequest): Promise<Actor> {
  return requireApiKey(deps, req, "tmf");
}

function orderOf(app: ApplicationRow, card: CardRow) {
  const state = TMF622_ORDER_STATE[app.status as ApplicationStatus];
  return {
    id: app.id,
    href: `${ORDERING}/productOrder/${app.id}`,
    externalId: app.number,
    state,
    orderDate: app.submittedAt ?? app.createdAt,
    completionDate: app.completedAt,
    expectedCompletionDate: app.dueAt,
    cancellationDate: app.status === "withdrawn" ? app.updatedAt : null,
    productOrderItem: [
      {
        id: "1",
        action: "delete",
        state,
        product: { id: card.id, href: `${INVENTORY}/product/${card.id}`, "@type": "ProductRef" },
        "@type": "ProductOrderItem",
      },
    ],
    note: app.rejectReason ? [{ text: `rejected: ${app.rejectReason}` }] : [],
    "@type": "ProductOrder",
  };
}

export function tmfRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      `${ORDERING}/productOrder`,
      {
        schema: {
          tags: ["tmf"],
          summary: "TMF622: order the cancellation of a product (productOrderItem.action = delete)",
          body: productOrderIn,
        },
      },
      async (req, reply) => {
        const actor = await providerActor(deps, req);
        const item = req.body.productOrderItem[0]!;
        if (item.action !== "delete")
          throw new AppError(
            "VALIDATION_FAILED",
            { field: "productOrderItem.0.action", allowed: ["delete"] },
            "only action 'delete' is supported",
          );
        const chars = new Map(
          (item.product.productCharacteristic ?? []).map((c) => [c.name, String(c.value)]),
        );
        const balanceOption = chars.get("balanceOption");
        if (balanceOption !== undefined && !(BALANCE_OPTIONS as readonly string[]).includes(balanceOption)) {
          throw new AppError("BALANCE_OPTION_NOT_ALLOWED", { option: balanceOption });
        }
        return idempotent(
          deps,
          req,
          reply,
          `${actor.type}:${actor.id}`,
          async (d) => {
            const card = await loadVisibleCard(d.db, actor, item.product.id);
            // The operator's own channel did the checklist with the customer; what it attested is recorded.
            const bindings = await listBindings(d.db, card.id);
            const r = await createApplication(d, actor, {
              cardId: card.id,
              submit: true,
              reason: req.body.description,
              backup: { status: "waived", note: "attested by the ordering system (TMF622)" },
              unbinding: bindings.map((b) => ({
                bindingId: b.id,
                state: "skipped" as const,
                reason: "handled by the ordering system (TMF622)",
              })),
              ...(balanceOption ? { balanceOption: balanceOption as (typeof BALANCE_OPTIONS)[number] } : {}),
              ...(chars.get("transferTo") ? { transferTo: chars.get("transferTo") } : {}),
            });
            return {
              status: r.created ? 201 : 200,
              body: { ...orderOf(r.application, card), externalId: req.body.externalId },
            };
          },
          { key: `tmf:${req.body.externalId}` },
        );
      },
    );

    app.get(
      `${ORDERING}/productOrder/:id`,
      {
        schema: {
          tags: ["tmf"],
          summary: "TMF622: a product order and its state",
          params: z.object({ id: z.string().max(100) }),
        },
      },
      async (req) => {
        const actor = await providerActor(deps, req);
        const v = await getApplication(deps, actor, { applicationId: req.params.id });
        return orderOf(v.application, v.card);
      },
    );

    app.post(
      `${ORDERING}/cancelProductOrder`,
      {
        schema: {
          tags: ["tmf"],
          summary:
            "TMF622: cancel a product order (withdraws the application while processing has not started)",
          body: z
            .object({
              productOrder: z.object({ id: z.string().max(100) }).passthrough(),
              cancellationReason: z.string().max(500).optional(),
            })
            .passthrough(),
        },
      },
      async (req, reply) => {
        const actor = await providerActor(deps, req);
        const id = req.body.productOrder.id;
        let state = "done";
        let reason: string | undefined;
        try {
          await withdrawApplication(deps, actor, { applicationId: id, comment: req.body.cancellationReason });
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== "TRANSITION_NOT_ALLOWED") throw err;
          state = "terminatedWithError";
          reason = "processing has started or the order is final";
        }
        return reply.code(201).send({
          id: `${id}:cancel`,
          href: `${ORDERING}/cancelProductOrder/${id}:cancel`,
          state,
          cancellationReason: req.body.cancellationReason ?? null,
          effectiveCancellationDate: state === "done" ? deps.clock.now().toISOString() : null,
          productOrder: { id, href: `${ORDERING}/productOrder/${id}`, "@referredType": "ProductOrder" },
          ...(reason ? { note: [{ text: reason }] } : {}),
          "@type": "CancelProductOrder",
        });
      },
    );

    app.get(
      `${INVENTORY}/product/:id`,
      {
        schema: {
          tags: ["tmf"],
          summary: "TMF637: a product (card) and its status",
          params: z.object({ id: z.string().max(100) }),
        },
      },
      async (req) => {
        const actor = await providerActor(deps, req);
        const card = await loadVisibleCard(deps.db, actor, req.params.id);
        return {
          id: card.id,
          href: `${INVENTORY}/product/${card.id}`,
          name: card.label,
          status: TMF637_PRODUCT_STATUS[card.status] ?? "active",
          isBundle: false,
          productSerialNumber: card.iccid ?? card.cardNumberMasked,
          terminationDate: card.cancelledAt,
          productCharacteristic: [
            { name: "family", value: card.family },
            { name: "kind", value: card.kind },
            ...(card.msisdn ? [{ name: "msisdn", value: card.msisdn }] : []),
            ...(card.numberStatus ? [{ name: "numberStatus", value: card.numberStatus }] : []),
          ],
          "@type": "Product",
        };
      },
    );
  };
}
