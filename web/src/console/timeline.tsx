/** Every event of an application, newest first, as staff read it: who acted (and which staff), what, when. */
import { Timeline } from "antd";
import type { Lang, TimelineEvent } from "../api/types";
import { eventText } from "../components/timeline-view";
import { formatDateTime } from "../lib/format";
import { useConsoleT } from "./i18n";

const COLOR: Record<string, string> = {
  "application.reject": "red",
  "application.fail": "red",
  "application.withdraw": "gray",
  "application.request_info": "orange",
  "application.supply_info": "orange",
  "application.complete": "green",
  "application.close": "green",
};

export function ConsoleTimeline({
  events,
}: {
  events: Array<TimelineEvent & { actorId: string | null; actorName?: string | null }>;
}) {
  const { t, i18n } = useConsoleT();
  const lang = i18n.language as Lang;
  if (events.length === 0) return <p className="zxc-muted">—</p>;
  const sorted = [...events].sort((a, b) => b.seq - a.seq);
  return (
    <Timeline
      data-testid="timeline"
      items={sorted.map((e) => {
        // A notification's comment is its template, and after a failure why it failed.
        const notification = e.action.startsWith("notification.");
        const [template = "", ...why] = notification ? (e.comment ?? "").split(":") : [];
        const own = t(`timelineAction.${e.action.replaceAll(".", "_")}`, {
          defaultValue: "",
          channel: t(`timeline.channel.${e.reason}`, { defaultValue: e.reason ?? "" }),
          what: t(`timeline.template.${template}`, { defaultValue: template }),
        });
        return {
          key: e.seq,
          color: COLOR[e.action] ?? "blue",
          title: <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time>,
          content: (
            <div data-event={e.action}>
              <div className="zxc-strong">{own || eventText(e, t)}</div>
              <div className="zxc-muted zxc-small">
                {t(`timelineActor.${e.actorType}`, { defaultValue: e.actorType })}
                {e.actorType === "staff" && e.actorId ? ` · ${e.actorName ?? e.actorId}` : ""}
                {e.from && e.to && e.from !== e.to
                  ? ` · ${t(`status.${e.from}`)} → ${t(`status.${e.to}`)}`
                  : ""}
              </div>
              {e.reason && !notification && (
                <div className="zxc-small">
                  {e.action === "application.close"
                    ? t(`actions.how.${e.reason}`, { defaultValue: e.reason })
                    : t(`rejectReason.${e.reason}`, { defaultValue: e.reason })}
                </div>
              )}
              {notification
                ? why.length > 0 && <div className="zxc-event-comment">{why.join(":").trim()}</div>
                : e.comment && <div className="zxc-event-comment">{e.comment}</div>}
            </div>
          ),
        };
      })}
    />
  );
}
