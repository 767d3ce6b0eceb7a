/**
 * Messages to holders now live in src/notify (templates, channels, outbox, delivery); this module
 * keeps the names the use cases import.
 */
export { enqueueSms } from "../notify/outbox.js";
export { renderMessage, type TemplateName } from "../notify/templates.js";
