/** The three quietest times that fit the holder's constraints, each bookable in one click. */
import { Button, Empty, Tag } from "antd";
import { formatLocalDate, percent, waitText } from "./format";
import { useBookingT } from "./i18n";
import type { Recommendation } from "./types";

export function Recommendations({
  items,
  rescheduling,
  onPick,
}: {
  items: Recommendation[];
  rescheduling: boolean;
  onPick: (r: Recommendation) => void;
}) {
  const { t, i18n } = useBookingT();
  if (items.length === 0) return <Empty description={t("rec.none")} image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <ol className="zxb-recs" data-testid="recommendations">
      {items.map((r) => (
        <li key={r.start} className="zxb-rec" data-rank={r.rank} data-start={r.start}>
          <div className="zxb-rec-head">
            <span className="zxb-rank zxb-rank-inline" aria-hidden>
              {r.rank}
            </span>
            <span className="zx-sr-only">{t("rec.rank", { rank: r.rank })}</span>
            <span className="zx-strong">
              {formatLocalDate(r.date, i18n.language)} {r.time}
            </span>
            <Tag className={`zxb-tag zxb-level-${r.prediction.level}`}>
              {t(`level.${r.prediction.level}`)}
            </Tag>
          </div>
          <dl className="zxb-rec-facts">
            <div>
              <dt>{t("rec.wait")}</dt>
              <dd data-testid="rec-wait">{waitText(r.prediction, t)}</dd>
            </div>
            <div>
              <dt>{t("rec.pOver15")}</dt>
              <dd data-testid="rec-p15">{percent(r.prediction.pWaitOver15)}</dd>
            </div>
            <div>
              <dt className="zx-sr-only">{t("slots.places", { count: r.available })}</dt>
              <dd className="zx-muted">{t("rec.places", { count: r.available })}</dd>
            </div>
          </dl>
          <Button type="primary" onClick={() => onPick(r)}>
            {rescheduling ? t("rec.reschedule") : t("rec.book")}
          </Button>
        </li>
      ))}
    </ol>
  );
}
