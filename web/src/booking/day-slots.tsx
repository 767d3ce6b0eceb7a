/**
 * The days ahead, each saying whether the branch opens (and why not: a public holiday, closed
 * that weekday) and what to expect (month-end rush, the month-end cut-off), and the chosen day's
 * times: bookable ones as buttons with their predicted wait, the others with the reason.
 */
import { useQuery } from "@tanstack/react-query";
import { Button, Empty, Skeleton } from "antd";
import { api } from "../api/client";
import { ErrorAlert } from "../components/error-alert";
import { formatLocalDate, waitText } from "./format";
import { useBookingT } from "./i18n";
import type { AdviceDay, Slot, SlotsAnswer } from "./types";

function dayNotes(d: AdviceDay, today: string, t: ReturnType<typeof useBookingT>["t"], lang: string) {
  const notes: string[] = [];
  if (d.date === today) notes.push(t("days.today"));
  if (d.kind === "holiday")
    notes.push(t("days.holiday", { name: (lang === "en" ? d.nameEn : d.nameZh) ?? "" }));
  else if (!d.open) notes.push(t("days.closed"));
  if (d.kind === "makeup_workday") notes.push(t("days.makeup"));
  if (d.open && d.monthEnd) notes.push(t("days.monthEnd"));
  if (d.open && d.monthEndCutoff) notes.push(t("days.cutoff", { time: d.monthEndCutoff }));
  if (!d.calendarConfirmed) notes.push(t("days.unconfirmed"));
  return notes;
}

export function DayPicker({
  days,
  today,
  selected,
  onSelect,
}: {
  days: AdviceDay[];
  today: string;
  selected: string | null;
  onSelect: (date: string) => void;
}) {
  const { t, i18n } = useBookingT();
  return (
    <ul className="zxb-days" aria-label={t("days.pick")}>
      {days.map((d) => {
        const notes = dayNotes(d, today, t, i18n.language);
        const unavailable = !d.open;
        return (
          <li key={d.date}>
            <button
              type="button"
              className={`zxb-day${unavailable ? " zxb-day-off" : ""}${d.monthEnd && d.open ? " zxb-day-month-end" : ""}`}
              aria-pressed={selected === d.date}
              aria-disabled={unavailable || undefined}
              data-date={d.date}
              data-kind={d.kind}
              onClick={() => !unavailable && onSelect(d.date)}
            >
              <span className="zx-strong">{formatLocalDate(d.date, i18n.language)}</span>
              {notes.length > 0 && <span className="zxb-day-note">{notes.join(" · ")}</span>}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

export function SlotList({
  branchId,
  date,
  onPick,
}: {
  branchId: string;
  date: string;
  onPick: (slot: Slot, date: string) => void;
}) {
  const { t, i18n } = useBookingT();
  const q = useQuery({
    queryKey: ["booking", "slots", branchId, date],
    queryFn: () =>
      api<SlotsAnswer>(
        "GET",
        `/branches/${encodeURIComponent(branchId)}/slots?from=${encodeURIComponent(date)}&days=1`,
      ),
  });
  if (q.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (q.isError) return <ErrorAlert error={q.error} onRetry={() => q.refetch()} />;
  const day = q.data.days[0];
  const slots = day?.slots ?? [];
  return (
    <section aria-labelledby="zxb-slots-title" className="zx-gap-top">
      <h3 id="zxb-slots-title" className="zxb-h3">
        {t("slots.title", { date: formatLocalDate(date, i18n.language) })}
      </h3>
      {slots.length === 0 ? (
        <Empty description={t("slots.none")} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <ul className="zxb-slots" data-testid="slots">
          {slots.map((s) => (
            <li key={s.start}>
              <Button
                className={`zxb-slot${s.prediction ? ` zxb-edge-${s.prediction.level}` : ""}`}
                disabled={!s.bookable}
                data-start={s.start}
                onClick={() => onPick(s, date)}
              >
                <span className="zx-strong">{s.time}</span>
                <span className="zxb-slot-note">
                  {s.bookable
                    ? `${s.prediction ? waitText(s.prediction, t) : ""} · ${t("slots.places", { count: s.available })}`
                    : t(`slots.refusal.${s.refusal ?? "closed"}`)}
                </span>
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
