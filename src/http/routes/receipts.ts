/**
 * Receipts and certificates: read (JSON with the JWS, or the PDF) by the holder and staff; verify
 * (anyone: a JWS or the PDF); the public key set; and the public verification page.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppDeps } from "../../app/context.js";
import { AppError } from "../../app/errors.js";
import { receiptPdf, storedPayload } from "../../receipts/documents.js";
import { getReceipt } from "../../receipts/get-receipt.js";
import type { ReceiptKind } from "../../receipts/payload.js";
import { verifyReceiptOnline } from "../../receipts/verify-receipt.js";
import { verifyUrl } from "../../receipts/where-the-jws-goes.js";
import { requireActor } from "../auth.js";
import { VERIFY_HTML, VERIFY_JS } from "../verify-page.js";

/** A receipt PDF is ~50 kB; anything near this limit is not one. */
export const RECEIPT_PDF_MAX_BYTES = 2 * 1024 * 1024;

const idParams = z.object({ id: z.string().min(1).max(100) });
const verifyJsonSchema = z.object({ jws: z.string().min(1).max(16_384) }).strict();

const KINDS: Array<{ kind: ReceiptKind; zh: string }> = [
  { kind: "receipt", zh: "回执" },
  { kind: "certificate", zh: "注销证明" },
];

export function receiptRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    // Only inside this plugin: a PDF or a bare compact JWS (RFC 7515's application/jose) as the body.
    app.addContentTypeParser(
      "application/pdf",
      { parseAs: "buffer", bodyLimit: RECEIPT_PDF_MAX_BYTES },
      (_req, body, done) => done(null, body),
    );
    app.addContentTypeParser("application/jose", { parseAs: "string" }, (_req, body, done) =>
      done(null, { jws: body }),
    );

    for (const { kind, zh } of KINDS) {
      app.get(
        `/applications/:id/${kind}`,
        {
          schema: {
            tags: ["receipts"],
            summary: `The application's ${kind} (${zh}) as a compact JWS with its signed payload`,
            params: idParams,
          },
        },
        async (req) => {
          const { application, receipt } = await getReceipt(deps, await requireActor(deps, req), {
            applicationId: req.params.id,
            kind,
          });
          return {
            id: receipt.id,
            kind,
            applicationId: application.id,
            number: application.number,
            kid: receipt.kid,
            jws: receipt.jws,
            payload: await storedPayload(deps, receipt),
            createdAt: receipt.createdAt,
            verifyUrl: verifyUrl(deps.config.publicUrl, receipt.jws),
            pdf: `/api/v1/applications/${application.id}/${kind}.pdf`,
          };
        },
      );

      app.get(
        `/applications/:id/${kind}.pdf`,
        {
          schema: {
            tags: ["receipts"],
            summary: `Download the ${kind} (${zh}) as a printable A4 PDF with a QR code; the JWS is inside`,
            params: idParams,
          },
        },
        async (req, reply) => {
          const { receipt } = await getReceipt(deps, await requireActor(deps, req), {
            applicationId: req.params.id,
            kind,
          });
          const { pdf, filename } = await receiptPdf(deps, receipt);
          return reply
            .type("application/pdf")
            .header("content-disposition", `attachment; filename="${filename}"`)
            .header("cache-control", "private, no-store")
            .send(pdf);
        },
      );
    }

    app.post(
      "/receipts/verify",
      {
        bodyLimit: RECEIPT_PDF_MAX_BYTES,
        schema: {
          tags: ["receipts"],
          summary:
            "Verify a receipt or certificate: JSON `{ jws }`, a bare JWS (application/jose) or the PDF",
          description:
            "Public. Answers 200 `{ valid: true, kid, payload, onRecord }` or 200 `{ valid: false, reason, detail }` for anything that could be read; reasons: not_a_receipt, pdf_ambiguous, malformed, unsupported_algorithm, unknown_key, bad_signature, bad_payload. A PDF body is limited to 2 MiB.",
          security: [],
        },
      },
      async (req) => {
        if (Buffer.isBuffer(req.body)) return verifyReceiptOnline(deps, req.body);
        const parsed = verifyJsonSchema.safeParse(req.body);
        if (!parsed.success) {
          throw new AppError(
            "VALIDATION_FAILED",
            {},
            "send { jws } as JSON, a JWS as application/jose, or a PDF",
          );
        }
        return verifyReceiptOnline(deps, parsed.data.jws);
      },
    );
  };
}

/** Outside /api/v1: the well-known key set and the page the QR code opens. */
export function receiptPublicRoutes(deps: AppDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/.well-known/jwks.json",
      {
        schema: {
          tags: ["receipts"],
          summary: "The Ed25519 public keys (JWKS) that sign receipts, current and retired",
          security: [],
        },
      },
      async (_req, reply) =>
        reply.header("cache-control", "public, max-age=300").send(deps.signingKeys.jwks()),
    );
    app.get("/verify", { schema: { hide: true } }, async (_req, reply) =>
      reply.type("text/html; charset=utf-8").header("cache-control", "public, max-age=300").send(VERIFY_HTML),
    );
    app.get("/verify.js", { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type("text/javascript; charset=utf-8")
        .header("cache-control", "public, max-age=300")
        .send(VERIFY_JS),
    );
  };
}
