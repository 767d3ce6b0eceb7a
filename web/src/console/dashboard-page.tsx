/**
 * Supervisor dashboard: backlog by status, completions per day, median and p90 time to
 * completion, SLA compliance and load per branch for a date range, as charts. The charts module
 * (ECharts) is loaded lazily, only here.
 */
import { useQuery } from "@tanstack/react-query";
import { Card, Col, DatePicker, Empty, Form, Row, Skeleton, Statistic } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { lazy, Suspense, useMemo } from "react";
import { useSearchParams } from "react-router";
import { ErrorAlert } from "../components/error-alert";
import { staffApi } from "./api";
import { useConsoleT } from "./i18n";
import type { Stats } from "./types";

const Chart = lazy(() => import("./charts").then((m) => ({ default: m.Chart })));

const BACKLOG_ORDER = [
  "submitted",
  "under_review",
  "needs_info",
  "approved",
  "processing",
  "failed",
  "completed",
  "closed",
  "rejected",
  "withdrawn",
  "draft",
];
const BLUE = "#1a56a8";

function ChartCard({ title, children, empty }: { title: string; children: React.ReactNode; empty: boolean }) {
  const { t } = useConsoleT();
  return (
    <Card size="small" title={<h2 className="zxc-h2">{title}</h2>} className="zxc-fill">
      {empty ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("dashboard.noData")} />
      ) : (
        <Suspense fallback={<Skeleton active />}>{children}</Suspense>
      )}
    </Card>
  );
}

export default function DashboardPage() {
  const { t } = useConsoleT();
  const [params, setParams] = useSearchParams();
  const qFrom = params.get("from");
  const qTo = params.get("to");
  const range: [Dayjs, Dayjs] = [
    qFrom && dayjs(qFrom).isValid() ? dayjs(qFrom) : dayjs().subtract(29, "day"),
    qTo && dayjs(qTo).isValid() ? dayjs(qTo) : dayjs(),
  ];
  const setRange = ([a, b]: [Dayjs, Dayjs]) =>
    setParams({ from: a.format("YYYY-MM-DD"), to: b.format("YYYY-MM-DD") });
  const from = range[0].startOf("day").toISOString();
  const to = range[1].endOf("day").toISOString();
  const stats = useQuery({
    queryKey: ["console", "stats", from, to],
    queryFn: () =>
      staffApi<Stats>("GET", `/stats?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`),
    refetchInterval: 30_000,
  });
  const s = stats.data;

  const backlog = useMemo(() => {
    if (!s) return null;
    const keys = BACKLOG_ORDER.filter((k) => (s.backlog[k] ?? 0) > 0);
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: 16, bottom: 60 },
      xAxis: {
        type: "category",
        data: keys.map((k) => t(`status.${k}`)),
        axisLabel: { interval: 0, rotate: 30 },
      },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        {
          type: "bar",
          name: t("dashboard.count"),
          data: keys.map((k) => ({
            value: s.backlog[k],
            itemStyle: { color: k === "failed" ? "#cf1322" : k === "needs_info" ? "#d48806" : BLUE },
          })),
          label: { show: true, position: "top" },
        },
      ],
    };
  }, [s, t]);

  const perDay = useMemo(() => {
    if (!s) return null;
    // Every day of the range, zero where nothing completed, so the line shows quiet days too.
    const days: string[] = [];
    for (let d = dayjs(from).startOf("day"); !d.isAfter(dayjs(to), "day"); d = d.add(1, "day"))
      days.push(d.format("YYYY-MM-DD"));
    const by = new Map(s.completionsPerDay.map((x) => [x.day, x.count]));
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: 16, bottom: 40 },
      xAxis: { type: "category", data: days.map((d) => d.slice(5)) },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        {
          type: "line",
          name: t("dashboard.completed"),
          data: days.map((d) => by.get(d) ?? 0),
          areaStyle: { opacity: 0.15 },
          color: BLUE,
        },
      ],
    };
  }, [s, t, from, to]);

  const sla = useMemo(() => {
    if (!s) return null;
    return {
      tooltip: { trigger: "item" },
      legend: { bottom: 0 },
      series: [
        {
          type: "pie",
          radius: ["45%", "70%"],
          label: { formatter: "{b}: {c}" },
          data: [
            { name: t("dashboard.onTimeLabel"), value: s.sla.onTime, itemStyle: { color: "#389e0d" } },
            {
              name: t("dashboard.late"),
              value: s.sla.completed - s.sla.onTime,
              itemStyle: { color: "#cf1322" },
            },
          ],
        },
      ],
    };
  }, [s, t]);

  const load = useMemo(() => {
    if (!s) return null;
    const rows = [...s.loadPerBranch].reverse();
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 110, right: 24, top: 16, bottom: 24 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category",
        data: rows.map((r) => t(`channel.${r.branch}`, { defaultValue: r.branch })),
      },
      series: [
        {
          type: "bar",
          name: t("dashboard.count"),
          data: rows.map((r) => r.count),
          color: BLUE,
          label: { show: true, position: "right" },
        },
      ],
    };
  }, [s, t]);

  const hours = (n: number | null) => (n === null ? "—" : t("dashboard.hours", { n }));

  return (
    <div className="zxc-page" data-testid="dashboard">
      <div className="zxc-page-head">
        <h1 className="zxc-h1">{t("dashboard.title")}</h1>
        <Form layout="inline">
          <Form.Item label={t("dashboard.range")} htmlFor="zxc-range">
            <DatePicker.RangePicker
              id="zxc-range"
              value={range}
              allowClear={false}
              onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
              presets={[
                { label: "7d", value: [dayjs().subtract(6, "day"), dayjs()] },
                { label: "30d", value: [dayjs().subtract(29, "day"), dayjs()] },
                { label: "90d", value: [dayjs().subtract(89, "day"), dayjs()] },
              ]}
            />
          </Form.Item>
        </Form>
      </div>
      {stats.error && <ErrorAlert error={stats.error} onRetry={() => stats.refetch()} className="zxc-gap" />}
      {!s && !stats.error && <Skeleton active />}
      {s && (
        <>
          <Row gutter={[16, 16]} className="zxc-gap">
            <Col xs={12} md={8} xl={4}>
              <Card size="small">
                <Statistic
                  title={t("dashboard.median")}
                  value={hours(s.hoursToCompletion.median)}
                  data-testid="kpi-median"
                />
              </Card>
            </Col>
            <Col xs={12} md={8} xl={4}>
              <Card size="small">
                <Statistic title={t("dashboard.p90")} value={hours(s.hoursToCompletion.p90)} />
              </Card>
            </Col>
            <Col xs={12} md={8} xl={6}>
              <Card size="small">
                <Statistic
                  title={t("dashboard.compliance")}
                  value={s.sla.compliance === null ? "—" : `${(s.sla.compliance * 100).toFixed(1)}%`}
                  data-testid="kpi-compliance"
                />
                <div className="zxc-muted zxc-small">
                  {t("dashboard.onTime", { onTime: s.sla.onTime, completed: s.sla.completed })}
                </div>
              </Card>
            </Col>
            <Col xs={12} md={8} xl={5}>
              <Card size="small" className={s.sla.openBreached > 0 ? "zxc-kpi-breached" : ""}>
                <Statistic title={t("dashboard.openBreached")} value={s.sla.openBreached} />
              </Card>
            </Col>
            <Col xs={12} md={8} xl={5}>
              <Card size="small" className={s.sla.openAtRisk > 0 ? "zxc-kpi-at-risk" : ""}>
                <Statistic title={t("dashboard.openAtRisk")} value={s.sla.openAtRisk} />
              </Card>
            </Col>
          </Row>
          <Row gutter={[16, 16]} className="zxc-gap">
            <Col xs={24} xl={12}>
              <ChartCard title={t("dashboard.backlog")} empty={Object.keys(s.backlog).length === 0}>
                <Chart option={backlog!} label={t("dashboard.backlog")} testId="chart-backlog" />
              </ChartCard>
            </Col>
            <Col xs={24} xl={12}>
              <ChartCard title={t("dashboard.perDay")} empty={false}>
                <Chart option={perDay!} label={t("dashboard.perDay")} testId="chart-per-day" />
              </ChartCard>
            </Col>
            <Col xs={24} xl={12}>
              <ChartCard title={t("dashboard.slaChart")} empty={s.sla.completed === 0}>
                <Chart option={sla!} label={t("dashboard.slaChart")} testId="chart-sla" />
              </ChartCard>
            </Col>
            <Col xs={24} xl={12}>
              <ChartCard title={t("dashboard.load")} empty={s.loadPerBranch.length === 0}>
                <Chart option={load!} label={t("dashboard.load")} testId="chart-load" />
              </ChartCard>
            </Col>
          </Row>
        </>
      )}
    </div>
  );
}
