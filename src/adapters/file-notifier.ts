/**
 * The default notifier: appends each message as one JSON line to `<data dir>/outbox/messages.jsonl`
 * and logs it. Keys already in the file are remembered, so a job retried after a crash that
 * happened between writing and recording success does not write the message twice.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Notifier, OutboundMessage } from "../ports/index.js";

export interface FileNotifierOptions {
  file: string;
  log?: (msg: OutboundMessage) => void;
}

export function createFileNotifier(opts: FileNotifierOptions): Notifier {
  mkdirSync(dirname(opts.file), { recursive: true });
  const sent = new Set<string>();
  if (existsSync(opts.file)) {
    for (const line of readFileSync(opts.file, "utf8").split("\n")) {
      if (!line.trim()) continue;
      try {
        sent.add((JSON.parse(line) as OutboundMessage).dedupeKey);
      } catch {
        // A torn last line from a crash mid-write: that message was not delivered; it is retried.
      }
    }
  }
  return {
    async send(message) {
      if (sent.has(message.dedupeKey)) return;
      appendFileSync(opts.file, `${JSON.stringify({ ...message, sentAt: new Date().toISOString() })}\n`);
      sent.add(message.dedupeKey);
      opts.log?.(message);
    },
  };
}
