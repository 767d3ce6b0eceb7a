/** Every event of an application, newest first, in words. */
import { Timeline } from "antd";
import { useTranslation } from "react-i18next";
import type { Lang, TimelineEvent } from "../api/types";
import { formatDateTime } from "../lib/format";

const COLOR: Record<string, string> = {
  "application.reject": "red",
  "application.fail": "red",
  "application.withdraw": "gray",
  "application.request_info": "orange",
  "application.complete": "green",
  "application.close": "green",
};

export function eventText(e: TimelineEvent, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (e.action.startsWith("notification.")) {
    // reason: the channel; comment: the message's template (and, on failure, why: not for holders).
    const template = (e.comment ?? "").split(":")[0] ?? "";
    return t(`timeline.notification.${e.action.slice("notification.".length)}`, {
      channel: t(`timeline.channel.${e.reason}`, { defaultValue: e.reason ?? "" }),
      what: t(`timeline.template.${template}`, { defaultValue: template }),
      defaultValue: e.action,
    });
  }
  if (e.action.startsWith("processing.")) {
    const step = e.action.slice("processing.".length);
    return t("timeline.processing", { step: t(`processingStep.${step}`, { defaultValue: step }) });
  }
  return t(`timeline.action.${e.action.replaceAll(".", "_")}`, { defaultValue: e.action });
}

export function TimelineView({ events }: { events: TimelineEvent[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  if (events.length === 0) return <p className="zx-muted">{t("timeline.empty")}</p>;
  const sorted = [...events].sort((a, b) => b.seq - a.seq);
  return (
    <Timeline
      className="zx-timeline"
      items={sorted.map((e) => ({
        key: e.seq,
        color: COLOR[e.action] ?? "blue",
        content: (
          <div data-event={e.action}>
            <div className="zx-strong">{eventText(e, t)}</div>
            <div className="zx-muted zx-small">
              <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time>
              {" · "}
              {t(`timeline.actor.${e.actorType}`, { defaultValue: e.actorType })}
            </div>
            {e.comment && !e.action.startsWith("notification.") && !e.action.startsWith("processing.") && (
              <div className="zx-event-comment">{e.comment}</div>
            )}
          </div>
        ),
      }))}
    />
  );
}
