/**
 * The counter's day at one branch (docs/branches.md, `GET /branches/{id}/today`): who is booked
 * when, who has arrived, who is waiting or at a counter, and walk-ins; one click per step (check
 * in, call to my counter, served, no-show, walk-in). The predicted wait per hour says when the
 * day will be busy. The branch and the agent's counter number are remembered on this device.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { Button, Empty, Form, Select, Space, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import type { Branch, CounterAppointment, CounterDay, Visit } from "../booking/types";
import { branchName } from "../booking/types";
import { ErrorAlert } from "../components/error-alert";
import { formatDateTime } from "../lib/format";
import { consoleQueryClient, newIdempotencyKey, staffApi } from "./api";
import { useConsoleT } from "./i18n";
import "./counter-today.css";

const BRANCH_KEY = "zx.console.branch";
const COUNTER_KEY = "zx.console.counter";

function remembered(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function remember(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // no storage: the choice lasts for this page
  }
}

const APPOINTMENT_COLOUR: Record<string, string> = {
  booked: "blue",
  checked_in: "gold",
  served: "green",
  cancelled: "default",
  no_show: "red",
};
const VISIT_COLOUR: Record<string, string> = { waiting: "gold", in_service: "processing", served: "green" };

type Step = "check-in" | "no-show" | "start" | "served" | "walk-in";

function useCounterStep(branchId: string | undefined, counter: number) {
  return useMutation({
    mutationFn: ({ step, id }: { step: Step; id: string }) => {
      const key = newIdempotencyKey(`${step}-${id}`);
      const enc = encodeURIComponent(id);
      switch (step) {
        case "check-in":
          return staffApi("POST", `/appointments/${enc}/check-in`, { body: {}, idempotencyKey: key });
        case "no-show":
          return staffApi("POST", `/appointments/${enc}/no-show`, { body: {}, idempotencyKey: key });
        case "start":
          return staffApi("POST", `/visits/${enc}/start`, { body: { counter }, idempotencyKey: key });
        case "served":
          return staffApi("POST", `/visits/${enc}/served`, { body: { counter }, idempotencyKey: key });
        case "walk-in":
          return staffApi("POST", `/branches/${enc}/walk-ins`, { body: {}, idempotencyKey: key });
      }
    },
    onSettled: () => consoleQueryClient.invalidateQueries({ queryKey: ["console", "today", branchId] }),
  });
}

function VisitState({ visit }: { visit: Visit | null }) {
  const { t } = useConsoleT();
  if (!visit) return <span className="zxc-muted">–</span>;
  return (
    <Space size={4} wrap>
      <Tag color={VISIT_COLOUR[visit.status]} data-testid="visit-status" data-status={visit.status}>
        {t(`today.visit.${visit.status}`)}
      </Tag>
      {visit.counter !== null && <span>{t("today.atCounter", { counter: visit.counter })}</span>}
      {visit.waitedMinutes !== null && (
        <span className="zxc-muted">{t("today.waited", { minutes: Math.round(visit.waitedMinutes) })}</span>
      )}
    </Space>
  );
}

function VisitActions({
  visit,
  run,
  busy,
}: {
  visit: Visit;
  run: (step: Step, id: string) => void;
  busy: boolean;
}) {
  const { t } = useConsoleT();
  return (
    <Space wrap>
      {visit.status === "waiting" && (
        <Button size="small" data-action="start" disabled={busy} onClick={() => run("start", visit.id)}>
          {t("today.call")}
        </Button>
      )}
      {visit.status !== "served" && (
        <Button
          size="small"
          type="primary"
          data-action="served"
          disabled={busy}
          onClick={() => run("served", visit.id)}
        >
          {t("today.served")}
        </Button>
      )}
    </Space>
  );
}

export default function CounterToday() {
  const { t, i18n } = useConsoleT();
  const lang = i18n.language;
  const [params, setParams] = useSearchParams();
  const [counter, setCounter] = useState(() => Number(remembered(COUNTER_KEY) ?? "1") || 1);

  const branches = useQuery({
    queryKey: ["console", "branches"],
    queryFn: () => staffApi<{ branches: Branch[] }>("GET", "/branches").then((r) => r.branches),
    staleTime: 10 * 60_000,
  });
  const wanted = params.get("branch") ?? remembered(BRANCH_KEY);
  const branchId = branches.data?.find((b) => b.id === wanted)?.id ?? branches.data?.[0]?.id;
  const day = useQuery({
    queryKey: ["console", "today", branchId],
    queryFn: () => staffApi<CounterDay>("GET", `/branches/${encodeURIComponent(branchId!)}/today`),
    enabled: Boolean(branchId),
    refetchInterval: 15_000,
  });
  const step = useCounterStep(branchId, counter);
  const run = (s: Step, id: string) => step.mutate({ step: s, id });
  const d = day.data;

  const columns: ColumnsType<CounterAppointment> = [
    {
      title: t("today.time"),
      dataIndex: "localTime",
      width: 80,
      render: (v: string) => <span className="zxc-mono">{v}</span>,
    },
    {
      title: t("today.holder"),
      render: (_, a) => (
        <span>
          {a.holder.nameMasked} <span className="zxc-mono zxc-muted">{a.holder.phoneMasked}</span>
        </span>
      ),
    },
    {
      title: t("today.status"),
      render: (_, a) => (
        <Tag color={APPOINTMENT_COLOUR[a.status]} data-testid="appointment-status" data-status={a.status}>
          {t(`today.appointment.${a.status}`)}
        </Tag>
      ),
    },
    { title: t("today.visitColumn"), render: (_, a) => <VisitState visit={a.visit} /> },
    {
      title: t("today.application"),
      render: (_, a) =>
        a.applicationId ? (
          <Link to={`/console/applications/${a.applicationId}`}>{t("today.open")}</Link>
        ) : (
          "–"
        ),
    },
    {
      title: t("today.actions"),
      render: (_, a) => (
        <Space wrap>
          {a.status === "booked" && (
            <>
              <Button
                size="small"
                type="primary"
                data-action="check-in"
                disabled={step.isPending}
                onClick={() => run("check-in", a.id)}
              >
                {t("today.checkIn")}
              </Button>
              <Button
                size="small"
                danger
                data-action="no-show"
                disabled={step.isPending}
                onClick={() => run("no-show", a.id)}
              >
                {t("today.noShow")}
              </Button>
            </>
          )}
          {a.visit && <VisitActions visit={a.visit} run={run} busy={step.isPending} />}
        </Space>
      ),
    },
  ];

  const walkInColumns: ColumnsType<Visit> = [
    {
      title: t("today.arrived"),
      render: (_, v) => formatDateTime(v.arrivedAt, lang === "en" ? "en" : "zh-CN"),
    },
    { title: t("today.visitColumn"), render: (_, v) => <VisitState visit={v} /> },
    {
      title: t("today.actions"),
      render: (_, v) => <VisitActions visit={v} run={run} busy={step.isPending} />,
    },
  ];

  return (
    <div className="zxc-page" data-testid="counter-today">
      <div className="zxc-page-head">
        <h1 className="zxc-h1">{t("today.title")}</h1>
      </div>
      <Form layout="inline" component="div" className="zxc-gap">
        <Form.Item label={t("today.branch")} htmlFor="zxc-today-branch">
          <Select
            id="zxc-today-branch"
            style={{ minWidth: 240 }}
            loading={branches.isPending}
            value={branchId}
            onChange={(id: string) => {
              remember(BRANCH_KEY, id);
              setParams({ branch: id }, { replace: true });
            }}
            options={(branches.data ?? []).map((b) => ({ value: b.id, label: branchName(b, lang) }))}
          />
        </Form.Item>
        <Form.Item label={t("today.myCounter")} htmlFor="zxc-today-counter">
          <Select
            id="zxc-today-counter"
            style={{ width: 140 }}
            value={counter}
            onChange={(n: number) => {
              remember(COUNTER_KEY, String(n));
              setCounter(n);
            }}
            options={Array.from({ length: d?.branch.counters ?? 6 }, (_, i) => ({
              value: i + 1,
              label: t("today.counterNo", { counter: i + 1 }),
            }))}
          />
        </Form.Item>
      </Form>
      {branches.error && <ErrorAlert error={branches.error} />}
      {day.error && <ErrorAlert error={day.error} onRetry={() => day.refetch()} />}
      {step.error && <ErrorAlert error={step.error} className="zxc-gap" />}
      {d && (
        <>
          <p className="zxc-muted" data-testid="today-date">
            {d.date} · {t(`today.dayKind.${d.day.kind}`)}
            {d.day.monthEnd ? ` · ${t("today.monthEnd")}` : ""}
          </p>
          <ul className="zxc-today-stats" aria-label={t("today.queue")}>
            {(
              [
                ["waiting", d.queue.waiting],
                ["inService", d.queue.inService],
                ["served", d.queue.served],
                ["booked", d.queue.appointmentsBooked],
                ["checkedIn", d.queue.appointmentsCheckedIn],
                ["noShows", d.queue.noShows],
              ] as const
            ).map(([k, n]) => (
              <li key={k} data-stat={k}>
                <span className="zxc-today-figure">{n}</span>
                <span className="zxc-muted">{t(`today.stat.${k}`)}</span>
              </li>
            ))}
          </ul>
          <h2 className="zxc-h2">{t("today.appointments")}</h2>
          <Table
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={d.appointments}
            pagination={false}
            scroll={{ x: 760 }}
            locale={{ emptyText: <Empty description={t("today.noAppointments")} /> }}
            onRow={(a) => ({ "data-appointment-id": a.id }) as React.HTMLAttributes<HTMLElement>}
          />
          <div className="zxc-page-head zxc-gap">
            <h2 className="zxc-h2">{t("today.walkIns")}</h2>
            <Button
              data-action="walk-in"
              disabled={step.isPending || !branchId}
              onClick={() => branchId && run("walk-in", branchId)}
            >
              {t("today.addWalkIn")}
            </Button>
          </div>
          <Table
            rowKey="id"
            size="small"
            columns={walkInColumns}
            dataSource={d.walkIns}
            pagination={false}
            locale={{ emptyText: t("today.noWalkIns") }}
          />
          <h2 className="zxc-h2 zxc-gap">{t("today.forecast")}</h2>
          <ul className="zxc-today-forecast">
            {d.forecast.map((h) => (
              <li key={h.hour} className={h.past ? "zxc-muted" : undefined}>
                <span className="zxc-mono">{String(h.hour).padStart(2, "0")}:00</span>{" "}
                <Tag color={h.level === "quiet" ? "green" : h.level === "moderate" ? "gold" : "red"}>
                  {t(`today.level.${h.level}`)}
                </Tag>
                {h.expectedWaitMinutes === null
                  ? t("today.saturated")
                  : h.expectedWaitMinutes < 1
                    ? t("today.underOne")
                    : t("today.expectedWait", { minutes: Math.round(h.expectedWaitMinutes) })}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
