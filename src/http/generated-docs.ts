/**
 * Generated artefacts that are committed and checked for drift: the error table and the OpenAPI
 * document. `npm run gen` writes them; a test fails when the committed copy differs.
 */
import { ERROR_CATALOGUE, type ErrorCode, i18nKeyOf } from "../app/errors.js";

export function errorsMarkdown(): string {
  const rows = (Object.keys(ERROR_CATALOGUE) as ErrorCode[]).map((code) => {
    const e = ERROR_CATALOGUE[code];
    return `| \`${code}\` | ${e.status} | \`${i18nKeyOf(code)}\` | ${e.en} | ${e.zh} | ${e.when} |`;
  });
  return [
    "# Errors",
    "",
    "Generated from `src/app/errors.ts` by `npm run gen`; do not edit by hand.",
    "",
    "Every error is an RFC 9457 `application/problem+json` document:",
    "",
    "```json",
    '{ "type": "urn:zhuxiao:problem:card-already-cancelled", "title": "该卡已注销", "status": 409,',
    '  "code": "CARD_ALREADY_CANCELLED", "i18nKey": "errors.CARD_ALREADY_CANCELLED",',
    '  "params": { "applicationNumber": "ZX2610150DEMO1" }, "instance": "/api/v1/applications", "requestId": "req_…" }',
    "```",
    "",
    "`title` follows `Accept-Language` (zh-CN by default, `en` on request); clients should key their",
    "own texts on `code` or `i18nKey`. Validation errors add `errors: [{ path, message }]`.",
    "",
    "| code | status | i18n key | English | 中文 | when |",
    "|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
