/**
 * The weekday × hour heat map of predicted waiting, as a table (hours down, weekdays across, so it
 * fits a 375 px screen): each cell is coloured by level and shows the expected wait in minutes,
 * with the full reading for screen readers; the recommended times carry their rank. A switch
 * shows the month-end week, which the model predicts separately.
 */
import { Switch } from "antd";
import { useId, useState } from "react";
import { percent, waitText } from "./format";
import { useBookingT } from "./i18n";
import type { HeatMap as HeatMapT, Prediction, Recommendation, WaitLevel } from "./types";

const LEVELS: WaitLevel[] = ["quiet", "moderate", "busy", "very_busy", "saturated"];

function cellFigure(p: Prediction): string {
  if (p.saturated || p.expectedWaitMinutes === null) return "∞";
  return p.expectedWaitMinutes < 1 ? "<1" : String(Math.round(p.expectedWaitMinutes));
}

export function HeatMap({
  heatMap,
  recommendations,
  thin,
}: {
  heatMap: HeatMapT;
  recommendations: Recommendation[];
  thin: boolean;
}) {
  const { t } = useBookingT();
  const [monthEnd, setMonthEnd] = useState(false);
  const switchId = useId();
  const cells = monthEnd ? heatMap.monthEndCells : heatMap.cells;
  // The recommendations are for real dates; on the ordinary-week map they mark their weekday and
  // hour (month-end dates are shown on the month-end map only).
  // Two recommendations can share a weekday and hour (a week apart): the cell lists both ranks.
  const rankAt = new Map<string, string>();
  for (const r of recommendations) {
    if (r.day.monthEnd !== monthEnd) continue;
    const at = `${r.isoWeekday}:${r.hour}`;
    rankAt.set(at, rankAt.has(at) ? `${rankAt.get(at)},${r.rank}` : String(r.rank));
  }
  return (
    <div className="zxb-heat" data-testid="heat-map" data-month-end={monthEnd}>
      <div className="zxb-heat-tools">
        <Switch id={switchId} size="small" checked={monthEnd} onChange={setMonthEnd} />
        <label htmlFor={switchId}>{t("heat.monthEnd")}</label>
      </div>
      <div className="zxb-heat-scroll">
        <table className="zxb-heat-table">
          <caption className="zx-sr-only">{t("heat.caption")}</caption>
          <thead>
            <tr>
              <th scope="col" className="zxb-heat-corner">
                {t("heat.hour")}
              </th>
              {heatMap.weekdays.map((d) => (
                <th key={d} scope="col">
                  {t(`weekday.${d}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {heatMap.hours.map((hour, hi) => (
              <tr key={hour}>
                <th scope="row" className="zxb-heat-hour">
                  {String(hour).padStart(2, "0")}
                </th>
                {heatMap.weekdays.map((d) => {
                  const p = cells[d - 1]?.[hi] ?? null;
                  const rank = rankAt.get(`${d}:${hour}`);
                  if (!p) {
                    return (
                      <td key={d} className="zxb-cell zxb-closed" data-level="closed">
                        <span aria-hidden>–</span>
                        <span className="zx-sr-only">{t("heat.closed")}</span>
                      </td>
                    );
                  }
                  const label = t("heat.cell", {
                    day: t(`weekday.${d}`),
                    hour,
                    wait: waitText(p, t),
                    level: t(`level.${p.level}`),
                  });
                  const full = rank
                    ? `${label}; ${t("heat.recommended", { rank })}; ${t("rec.pOver15")} ${percent(p.pWaitOver15)}`
                    : `${label}; ${t("rec.pOver15")} ${percent(p.pWaitOver15)}`;
                  return (
                    <td
                      key={d}
                      className={`zxb-cell zxb-level-${p.level}${rank ? " zxb-recommended" : ""}`}
                      data-level={p.level}
                      data-recommended={rank ?? undefined}
                      title={full}
                    >
                      <span aria-hidden>{cellFigure(p)}</span>
                      {rank && (
                        <span className="zxb-rank" aria-hidden>
                          {rank}
                        </span>
                      )}
                      <span className="zx-sr-only">{full}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="zxb-legend" aria-label={t("heat.legend")}>
        {LEVELS.map((l) => (
          <li key={l}>
            <span className={`zxb-swatch zxb-level-${l}`} aria-hidden />
            {t(`level.${l}`)} <span className="zx-muted">{t(`levelRange.${l}`)}</span>
          </li>
        ))}
        <li>
          <span className="zxb-swatch zxb-recommended-swatch" aria-hidden />
          {t("rec.title")}
        </li>
      </ul>
      {thin && <p className="zx-muted zx-small">{t("heat.thin")}</p>}
    </div>
  );
}
