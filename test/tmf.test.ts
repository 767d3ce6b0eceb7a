import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../src/app/api-keys.js";
import { D } from "./support/demo.js";
import { Harness } from "./support/harness.js";

/** Shapes from the TMF622 v4 / TMF637 v4 specifications' examples (states and fields). */
const ORDER_STATES = [
  "acknowledged",
  "rejected",
  "pending",
  "held",
  "inProgress",
  "cancelled",
  "completed",
  "failed",
  "partial",
  "assessingCancellation",
  "pendingCancellation",
];
const PRODUCT_STATUSES = [
  "created",
  "pendingActive",
  "cancelled",
  "active",
  "pendingTerminate",
  "suspended",
  "aborted",
  "terminated",
];

describe("TMF622 product ordering and TMF637 product inventory", () => {
  let h: Harness;
  let headers: Record<string, string>;
  beforeAll(async () => {
    h = await Harness.start();
    const k = await createApiKey(h.rt.deps, { providerCode: "demo-mobile", name: "crm", scopes: ["tmf"] });
    headers = { "x-api-key": k.key };
  });
  afterAll(() => h.close());

  const order = (externalId: string, productId: string, action = "delete", extra: object = {}) => ({
    externalId,
    description: "customer request at store",
    productOrderItem: [
      {
        id: "1",
        action,
        product: { id: productId, productCharacteristic: [{ name: "balanceOption", value: "refund" }] },
        "@type": "ProductOrderItem",
      },
    ],
    "@type": "ProductOrder",
    ...extra,
  });

  it("creates an application from a delete order, honouring externalId as the idempotency key", async () => {
    const r = await h.inject({
      method: "POST",
      url: "/tmf-api/productOrderingManagement/v4/productOrder",
      payload: order("crm-order-0001", D.cleanSim.card),
      headers,
    });
    expect(r.statusCode, r.body).toBe(201);
    const o = r.json();
    expect(o).toMatchObject({ "@type": "ProductOrder", externalId: "crm-order-0001", state: "acknowledged" });
    expect(ORDER_STATES).toContain(o.state);
    expect(o.productOrderItem[0]).toMatchObject({
      action: "delete",
      state: "acknowledged",
      product: { id: D.cleanSim.card, href: `/tmf-api/productInventory/v4/product/${D.cleanSim.card}` },
    });
    expect(o.href).toBe(`/tmf-api/productOrderingManagement/v4/productOrder/${o.id}`);

    const replay = await h.inject({
      method: "POST",
      url: "/tmf-api/productOrderingManagement/v4/productOrder",
      payload: order("crm-order-0001", D.cleanSim.card),
      headers,
    });
    expect(replay.json().id).toBe(o.id);
    expect(
      await h.db.selectFrom("applications").select("id").where("cardId", "=", D.cleanSim.card).execute(),
    ).toHaveLength(1);

    const product = await h.inject({
      method: "GET",
      url: `/tmf-api/productInventory/v4/product/${D.cleanSim.card}`,
      headers,
    });
    expect(product.json()).toMatchObject({
      "@type": "Product",
      status: "pendingTerminate",
      id: D.cleanSim.card,
    });
  });

  it("maps the states as the order moves, and shows the product terminated after completion", async () => {
    const created = await h.inject({
      method: "POST",
      url: "/tmf-api/productOrderingManagement/v4/productOrder",
      payload: order("crm-order-0002", D.cleanDebit.card),
      headers: {
        "x-api-key": (
          await createApiKey(h.rt.deps, { providerCode: "demo-bank", name: "core", scopes: ["tmf"] })
        ).key,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const bankKey = {
      "x-api-key": (
        await createApiKey(h.rt.deps, { providerCode: "demo-bank", name: "core2", scopes: ["tmf"] })
      ).key,
    };
    const id = created.json().id;
    const get = async () =>
      (
        await h.inject({
          method: "GET",
          url: `/tmf-api/productOrderingManagement/v4/productOrder/${id}`,
          headers: bankKey,
        })
      ).json().state;
    const agent = await h.signInStaff("agent");
    await h.write(agent, "POST", `/api/v1/applications/${id}/start_review`);
    expect(await get()).toBe("inProgress");
    await h.write(agent, "POST", `/api/v1/applications/${id}/request_info`, { message: "ID copy please" });
    expect(await get()).toBe("held");
    await h.write(agent, "POST", `/api/v1/applications/${id}/reject`, { reason: "identity_mismatch" });
    expect(await get()).toBe("rejected");

    // A fresh order for the same card, approved and processed to the end.
    const again = await h.inject({
      method: "POST",
      url: "/tmf-api/productOrderingManagement/v4/productOrder",
      payload: order("crm-order-0003", D.cleanDebit.card),
      headers: bankKey,
    });
    const id2 = again.json().id;
    await h.write(agent, "POST", `/api/v1/applications/${id2}/approve`);
    await h.rt.worker.drain();
    const o = (
      await h.inject({
        method: "GET",
        url: `/tmf-api/productOrderingManagement/v4/productOrder/${id2}`,
        headers: bankKey,
      })
    ).json();
    expect(o).toMatchObject({ state: "completed", productOrderItem: [{ state: "completed" }] });
    expect(o.completionDate).toBeTruthy();
    const product = (
      await h.inject({
        method: "GET",
        url: `/tmf-api/productInventory/v4/product/${D.cleanDebit.card}`,
        headers: bankKey,
      })
    ).json();
    expect(product.status).toBe("terminated");
    expect(PRODUCT_STATUSES).toContain(product.status);
    expect(product.terminationDate).toBeTruthy();
  });

  it("cancelProductOrder withdraws before processing and is refused after", async () => {
    const created = await h.inject({
      method: "POST",
      url: "/tmf-api/productOrderingManagement/v4/productOrder",
      payload: order("crm-order-0004", "card_demo_esim_clean"),
      headers,
    });
    const id = created.json().id;
    const c = await h.inject({
      method: "POST",
      url: "/tmf-api/productOrderingManagement/v4/cancelProductOrder",
      payload: { productOrder: { id }, cancellationReason: "customer changed mind" },
      headers,
    });
    expect(c.statusCode).toBe(201);
    expect(c.json()).toMatchObject({ "@type": "CancelProductOrder", state: "done", productOrder: { id } });
    const o = (
      await h.inject({
        method: "GET",
        url: `/tmf-api/productOrderingManagement/v4/productOrder/${id}`,
        headers,
      })
    ).json();
    expect(o.state).toBe("cancelled");
    const again = await h.inject({
      method: "POST",
      url: "/tmf-api/productOrderingManagement/v4/cancelProductOrder",
      payload: { productOrder: { id } },
      headers,
    });
    expect(again.json().state).toBe("terminatedWithError");
  });

  it("refuses other actions, other providers' products, and missing or wrong keys", async () => {
    const add = await h.inject({
      method: "POST",
      url: "/tmf-api/productOrderingManagement/v4/productOrder",
      payload: order("crm-order-0005", D.cleanSim.card, "add"),
      headers,
    });
    expect(add.statusCode).toBe(400);
    const other = await h.inject({
      method: "GET",
      url: `/tmf-api/productInventory/v4/product/${D.cleanDebit.card}`,
      headers,
    });
    expect(other.statusCode).toBe(404);
    const none = await h.inject({
      method: "GET",
      url: `/tmf-api/productInventory/v4/product/${D.cleanSim.card}`,
    });
    expect(none.statusCode).toBe(401);
    const wrong = await h.inject({
      method: "GET",
      url: `/tmf-api/productInventory/v4/product/${D.cleanSim.card}`,
      headers: { "x-api-key": `${headers["x-api-key"]!.slice(0, -2)}xx` },
    });
    expect(wrong.statusCode).toBe(401);
    const stored = await h.db.selectFrom("apiKeys").select("secretHash").execute();
    expect(JSON.stringify(stored)).not.toContain(headers["x-api-key"]!.split(".")[1]);
  });
});
