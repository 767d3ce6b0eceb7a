/** The SLA clock of an application: time left (or over) against the due time the provider's rules set. */
import { Tag } from "antd";
import { useEffect, useState } from "react";
import { useConsoleT } from "./i18n";
import type { Sla } from "./types";

const OPEN = ["submitted", "under_review", "needs_info", "approved", "processing", "failed"];

function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

export function durationText(ms: number, t: (k: string, o?: Record<string, unknown>) => string): string {
  const m = Math.floor(Math.abs(ms) / 60_000);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  if (d > 0) return t("sla.days", { d, h });
  if (h > 0) return t("sla.hours", { h, m: m % 60 });
  return t("sla.minutes", { m });
}

/** Tag colour: on track green, at risk amber, breached red. */
export const SLA_COLOR: Record<string, string> = { on_track: "green", at_risk: "gold", breached: "red" };

export function SlaTimer({ sla, dueAt, status }: { sla: Sla; dueAt: string | null; status: string }) {
  const { t } = useConsoleT();
  const now = useNow();
  if (!sla || !dueAt || !OPEN.includes(status)) return <span className="zxc-muted">—</span>;
  const left = Date.parse(dueAt) - now;
  return (
    <span className={`zxc-sla zxc-sla-${sla}`} data-sla={sla}>
      <Tag color={SLA_COLOR[sla]} variant="solid">
        {t(`sla.${sla}`)}
      </Tag>
      <span className="zxc-sla-time">
        {left >= 0
          ? t("sla.left", { time: durationText(left, t) })
          : t("sla.over", { time: durationText(left, t) })}
      </span>
    </span>
  );
}
