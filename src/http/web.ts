/**
 * The cardholder portal (web/, built by `npm run build:web` into web/dist) served at `/`.
 *
 * The portal registers no routes: it answers only GET/HEAD requests that no API route claimed,
 * outside the API's own prefixes. So the route-policy table stays the list of the API, every
 * unknown /api path still answers problem+json ROUTE_NOT_FOUND, and a browser navigating to a
 * portal address (/cards/…, /applications/…) gets index.html, where the portal's router takes over.
 * Hashed assets are cached for a year; index.html is revalidated on every load, so a new build is
 * picked up at once.
 */
import { existsSync, statSync } from "node:fs";
import { join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Where the API, its documentation and the operators' endpoints live; never the portal's. */
const NOT_PORTAL = [
  "/api/",
  "/api",
  "/docs",
  "/openapi.json",
  "/healthz",
  "/tmf-api",
  "/.well-known",
  "/verify",
];

const DEFAULT_DIST = fileURLToPath(new URL("../../web/dist", import.meta.url));

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Portal not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5">
<h1>The cardholder portal has not been built</h1>
<p>The API is running (see <a href="/docs">/docs</a>), but <code>web/dist</code> does not exist.</p>
<p>Build the portal with <code>npm run build:web</code> (or <code>npm run build</code>) and reload this page.</p>
<p lang="zh-CN">持卡人门户尚未构建：请运行 <code>npm run build:web</code> 后刷新此页面。</p>
</body></html>
`;

function wantsHtml(req: FastifyRequest): boolean {
  return (req.headers.accept ?? "").includes("text/html");
}

/** The file under `root` that `urlPath` names, or null (missing, a directory, or outside root). */
function fileFor(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.split("/").some((segment) => segment.startsWith("."))) return null;
  const relative = normalize(decoded).replace(/^([/\\])+/, "");
  const full = resolve(root, relative);
  if (full !== root && !full.startsWith(root + sep)) return null;
  try {
    return statSync(full).isFile() ? relative : null;
  } catch {
    return null;
  }
}

export async function registerWeb(app: FastifyInstance, opts: { distDir?: string } = {}): Promise<void> {
  const root = resolve(opts.distDir ?? DEFAULT_DIST);
  const built = existsSync(join(root, "index.html"));
  if (built) {
    // Only `reply.sendFile` (ranges, ETags, HEAD); no routes of its own.
    await app.register(fastifyStatic, { root, serve: false });
  }

  app.addHook("onRequest", async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.is404 || (req.method !== "GET" && req.method !== "HEAD")) return;
    const path = req.url.split("?")[0] ?? "/";
    if (NOT_PORTAL.some((p) => path === p || path.startsWith(p.endsWith("/") ? p : `${p}/`))) return;

    if (!built) {
      if (!wantsHtml(req)) return;
      return reply
        .code(503)
        .type("text/html; charset=utf-8")
        .header("cache-control", "no-store")
        .send(NOT_BUILT);
    }
    const file = path === "/" ? null : fileFor(root, path);
    if (file && file !== "index.html") {
      const hashed = file.startsWith(`assets${sep}`) || file.startsWith("assets/");
      return reply.sendFile(file, root, {
        cacheControl: true,
        maxAge: hashed ? 365 * 24 * 3600 * 1000 : 3600 * 1000,
        immutable: hashed,
        dotfiles: "deny",
      });
    }
    // A portal address: the app's shell, which routes in the browser. Anything else stays a 404.
    if (file === "index.html" || wantsHtml(req)) {
      return reply.header("cache-control", "no-cache").sendFile("index.html", root, { cacheControl: false });
    }
  });
}
