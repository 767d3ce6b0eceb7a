/**
 * Booking a counter visit ("go off-peak", docs/branches.md): choose a branch (nearest first when
 * the holder shares their location), see the week's predicted waiting as a heat map and the three
 * quietest times that fit their days and hours, book one (or any bookable time of a chosen day),
 * and keep an eye on their appointments: reschedule or cancel an upcoming one. Linked from the
 * journey when a card needs a counter (`?provider=…&card=…`) and from an application
 * (`&application=…`, which the booking then carries).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, Card, Checkbox, Form, Modal, Select, Skeleton } from "antd";
import { useMemo, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { api, newIdempotencyKey } from "../api/client";
import { ErrorAlert } from "../components/error-alert";
import { DayPicker, SlotList } from "./day-slots";
import { formatLocalDate, waitText } from "./format";
import { HeatMap } from "./heat-map";
import { useBookingT } from "./i18n";
import { MY_APPOINTMENTS_KEY, MyAppointments } from "./my-appointments";
import { Recommendations } from "./recommendations";
import {
  type Advice,
  type Appointment,
  type Branch,
  branchName,
  type MyAppointment,
  type Prediction,
} from "./types";
import "./booking.css";

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
const HOURS = Array.from({ length: 13 }, (_, i) => `${String(8 + i).padStart(2, "0")}:00`);
const HORIZONS = [7, 14, 30];

interface Constraints {
  weekdays: number[];
  from: string | null;
  to: string | null;
  horizonDays: number;
}
const NO_CONSTRAINTS: Constraints = { weekdays: [], from: null, to: null, horizonDays: 14 };

interface Pending {
  start: string;
  date: string;
  time: string;
  prediction: Prediction | null;
  key: string;
}

type Origin = { lat: number; lng: number } | null;

function adviceQuery(c: Constraints, origin: Origin): string {
  const q = new URLSearchParams({ horizonDays: String(c.horizonDays) });
  if (c.weekdays.length > 0 && c.weekdays.length < 7) q.set("weekdays", [...c.weekdays].sort().join(","));
  if (c.from) q.set("from", c.from);
  if (c.to) q.set("to", c.to);
  if (origin) {
    q.set("lat", origin.lat.toFixed(4));
    q.set("lng", origin.lng.toFixed(4));
  }
  return q.toString();
}

function BranchChooser({
  branches,
  value,
  onChange,
  locked,
  origin,
  onLocate,
}: {
  branches: Branch[];
  value: string | undefined;
  onChange: (id: string) => void;
  locked: boolean;
  origin: Origin | "pending" | "failed";
  onLocate: () => void;
}) {
  const { t, i18n } = useBookingT();
  const lang = i18n.language;
  const chosen = branches.find((b) => b.id === value);
  return (
    <Form layout="vertical" component="div">
      <Form.Item label={t("branch.label")} htmlFor="zxb-branch" className="zx-no-margin">
        <Select
          id="zxb-branch"
          value={value}
          disabled={locked}
          onChange={onChange}
          options={branches.map((b) => ({
            value: b.id,
            label:
              b.distanceKm === null
                ? branchName(b, lang)
                : `${branchName(b, lang)} · ${t("branch.distance", { km: b.distanceKm.toFixed(1) })}`,
          }))}
        />
      </Form.Item>
      {chosen && (
        <p className="zx-muted zx-small zxb-address" data-testid="branch-address">
          {lang === "en" ? chosen.addressEn : chosen.addressZh} ·{" "}
          {t("branch.counters", { count: chosen.counters })}
        </p>
      )}
      <Button size="small" onClick={onLocate} loading={origin === "pending"} disabled={locked}>
        {origin === "pending" ? t("branch.locating") : t("branch.locate")}
      </Button>
      {origin === "failed" && <p className="zx-muted zx-small">{t("branch.locateFailed")}</p>}
    </Form>
  );
}

function ConstraintsForm({ value, onChange }: { value: Constraints; onChange: (c: Constraints) => void }) {
  const { t } = useBookingT();
  const hourOptions = [
    { value: "", label: t("constraints.any") },
    ...HOURS.map((h) => ({ value: h, label: h })),
  ];
  return (
    <Form layout="vertical" component="div" className="zxb-constraints">
      <fieldset className="zxb-fieldset">
        <legend className="zxb-legend-label">{t("constraints.weekdays")}</legend>
        <Checkbox.Group
          value={value.weekdays}
          onChange={(v) => onChange({ ...value, weekdays: v as number[] })}
          options={WEEKDAYS.map((d) => ({ value: d, label: t(`weekday.${d}`) }))}
        />
      </fieldset>
      <div className="zxb-constraint-row">
        <Form.Item label={t("constraints.from")} htmlFor="zxb-from">
          <Select
            id="zxb-from"
            value={value.from ?? ""}
            options={hourOptions}
            onChange={(v) => onChange({ ...value, from: v || null })}
          />
        </Form.Item>
        <Form.Item label={t("constraints.to")} htmlFor="zxb-to">
          <Select
            id="zxb-to"
            value={value.to ?? ""}
            options={hourOptions}
            onChange={(v) => onChange({ ...value, to: v || null })}
          />
        </Form.Item>
        <Form.Item label={t("constraints.horizon")} htmlFor="zxb-horizon">
          <Select
            id="zxb-horizon"
            value={value.horizonDays}
            options={HORIZONS.map((d) => ({ value: d, label: t("constraints.horizonDays", { count: d }) }))}
            onChange={(v) => onChange({ ...value, horizonDays: v })}
          />
        </Form.Item>
      </div>
      <Button size="small" onClick={() => onChange(NO_CONSTRAINTS)}>
        {t("constraints.reset")}
      </Button>
    </Form>
  );
}

export default function BookingPage() {
  const { t, i18n } = useBookingT();
  const lang = i18n.language;
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const providerId = params.get("provider") ?? undefined;
  const applicationId = params.get("application") ?? undefined;
  const [origin, setOrigin] = useState<Origin | "pending" | "failed">(null);
  const located = origin && typeof origin === "object" ? origin : null;
  const [picked, setPicked] = useState<string | undefined>(params.get("branch") ?? undefined);
  const [constraints, setConstraints] = useState<Constraints>(NO_CONSTRAINTS);
  const [day, setDay] = useState<string | null>(null);
  const [rescheduling, setRescheduling] = useState<MyAppointment | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const doneRef = useRef<HTMLDivElement>(null);

  const branches = useQuery({
    queryKey: ["booking", "branches", providerId ?? null, located?.lat ?? null, located?.lng ?? null],
    queryFn: () => {
      const q = new URLSearchParams();
      if (providerId) q.set("providerId", providerId);
      if (located) {
        q.set("lat", located.lat.toFixed(4));
        q.set("lng", located.lng.toFixed(4));
      }
      return api<{ branches: Branch[] }>("GET", `/branches?${q}`).then((r) => r.branches);
    },
  });
  const branchId = rescheduling?.branchId ?? picked ?? branches.data?.[0]?.id;
  const advice = useQuery({
    queryKey: ["booking", "advice", branchId, constraints, located],
    queryFn: () =>
      api<Advice>(
        "GET",
        `/branches/${encodeURIComponent(branchId!)}/advice?${adviceQuery(constraints, located)}`,
      ),
    enabled: Boolean(branchId),
    placeholderData: (previous) => (previous?.branch.id === branchId ? previous : undefined),
  });
  // The server's clock decides what is upcoming (the device's may be off).
  const serverNow = useMemo(
    () => (advice.data ? Date.parse(advice.data.generatedAt) : Date.now()),
    [advice.data],
  );

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: MY_APPOINTMENTS_KEY }),
      queryClient.invalidateQueries({ queryKey: ["booking", "advice"] }),
      queryClient.invalidateQueries({ queryKey: ["booking", "slots"] }),
    ]);

  const book = useMutation({
    mutationFn: (p: Pending) =>
      rescheduling
        ? api<{ appointment: Appointment }>(
            "POST",
            `/appointments/${encodeURIComponent(rescheduling.id)}/reschedule`,
            {
              body: { start: p.start },
              idempotencyKey: p.key,
            },
          )
        : api<{ appointment: Appointment }>("POST", "/appointments", {
            body: { branchId, start: p.start, ...(applicationId ? { applicationId } : {}) },
            idempotencyKey: p.key,
          }),
    onSuccess: async ({ appointment }) => {
      const when = { date: formatLocalDate(appointment.localDate, lang), time: appointment.localTime };
      const branch = advice.data ? branchName(advice.data.branch, lang) : "";
      setDone(rescheduling ? t("done.rescheduled", when) : t("done.booked", { ...when, branch }));
      setPending(null);
      setRescheduling(null);
      await refresh();
      doneRef.current?.focus();
    },
  });

  const pick = (p: Omit<Pending, "key">) => {
    book.reset();
    setPending({ ...p, key: newIdempotencyKey(rescheduling ? `reschedule-${rescheduling.id}` : "book") });
  };

  const locate = () => {
    if (!("geolocation" in navigator)) return setOrigin("failed");
    setOrigin("pending");
    navigator.geolocation.getCurrentPosition(
      (pos) => setOrigin({ lat: pos.coords.latitude, lng: pos.coords.longitude }),
      () => setOrigin("failed"),
      { timeout: 10_000, maximumAge: 600_000 },
    );
  };

  const a = advice.data;
  return (
    <div className="zxb-page" data-testid="booking-page">
      <h1 className="zx-title">{t("title")}</h1>
      <p className="zx-lead">{t("lead")}</p>
      {applicationId && <Alert type="info" showIcon className="zx-gap" title={t("linkedApplication")} />}
      <div ref={doneRef} tabIndex={-1} role="status" aria-live="polite">
        {done && (
          <Alert
            type="success"
            showIcon
            className="zx-gap"
            data-testid="booking-done"
            title={done}
            closable
            onClose={() => setDone(null)}
          />
        )}
      </div>

      <Card
        size="small"
        className="zx-gap"
        title={<h2 className="zx-subtitle zx-no-margin">{t("mine.title")}</h2>}
      >
        <MyAppointments
          now={serverNow}
          onReschedule={(x) => {
            setDone(null);
            setRescheduling(x);
            setDay(null);
          }}
          onCancelled={() => {
            setDone(t("done.cancelled"));
            void refresh();
          }}
        />
      </Card>

      {rescheduling && (
        <Alert
          type="warning"
          showIcon
          className="zx-gap"
          data-testid="rescheduling"
          title={t("resched.banner", {
            branch: branchName(rescheduling.branch, lang),
            date: formatLocalDate(rescheduling.localDate, lang),
            time: rescheduling.localTime,
          })}
          action={
            <Button size="small" onClick={() => setRescheduling(null)}>
              {t("resched.stop")}
            </Button>
          }
        />
      )}

      <div className="zxb-grid">
        <div className="zxb-col">
          <Card
            size="small"
            className="zx-gap"
            title={<h2 className="zx-subtitle zx-no-margin">{t("branch.title")}</h2>}
          >
            {branches.isPending ? (
              <Skeleton active paragraph={{ rows: 1 }} />
            ) : branches.isError ? (
              <ErrorAlert error={branches.error} onRetry={() => branches.refetch()} />
            ) : branches.data.length === 0 ? (
              <p>{t("branch.none")}</p>
            ) : (
              <BranchChooser
                branches={branches.data}
                value={branchId}
                locked={Boolean(rescheduling)}
                onChange={(id) => {
                  setPicked(id);
                  setDay(null);
                }}
                origin={origin}
                onLocate={locate}
              />
            )}
          </Card>
          <Card
            size="small"
            className="zx-gap"
            title={<h2 className="zx-subtitle zx-no-margin">{t("constraints.title")}</h2>}
          >
            <ConstraintsForm value={constraints} onChange={setConstraints} />
          </Card>
          <Card
            size="small"
            className="zx-gap"
            title={<h2 className="zx-subtitle zx-no-margin">{t("rec.title")}</h2>}
          >
            <p className="zx-muted zx-small">{t("rec.hint")}</p>
            {advice.isError ? (
              <ErrorAlert error={advice.error} onRetry={() => advice.refetch()} />
            ) : !a ? (
              <Skeleton active paragraph={{ rows: 3 }} />
            ) : (
              <Recommendations
                items={a.recommendations}
                rescheduling={Boolean(rescheduling)}
                onPick={(r) => pick({ start: r.start, date: r.date, time: r.time, prediction: r.prediction })}
              />
            )}
          </Card>
        </div>
        <div className="zxb-col">
          <Card
            size="small"
            className="zx-gap"
            title={<h2 className="zx-subtitle zx-no-margin">{t("heat.title")}</h2>}
          >
            {a ? (
              <HeatMap heatMap={a.heatMap} recommendations={a.recommendations} thin={a.model.thin} />
            ) : (
              !advice.isError && <Skeleton active paragraph={{ rows: 6 }} />
            )}
          </Card>
          {a && branchId && (
            <Card
              size="small"
              className="zx-gap"
              title={<h2 className="zx-subtitle zx-no-margin">{t("days.title")}</h2>}
            >
              <p className="zx-muted zx-small">{t("days.hint")}</p>
              <DayPicker days={a.days} today={a.today} selected={day} onSelect={setDay} />
              {day && (
                <SlotList
                  branchId={branchId}
                  date={day}
                  onPick={(s, date) => pick({ start: s.start, date, time: s.time, prediction: s.prediction })}
                />
              )}
            </Card>
          )}
        </div>
      </div>

      {pending && (
        <Modal
          open
          title={rescheduling ? t("confirm.rescheduleTitle") : t("confirm.title")}
          okText={rescheduling ? t("confirm.rescheduleOk") : t("confirm.ok")}
          cancelText={t("common.cancel")}
          confirmLoading={book.isPending}
          onOk={() => book.mutate(pending)}
          onCancel={() => setPending(null)}
        >
          <p data-testid="confirm-slot">
            {t("confirm.body", {
              branch: a ? branchName(a.branch, lang) : "",
              date: formatLocalDate(pending.date, lang),
              time: pending.time,
            })}
          </p>
          {pending.prediction && <p>{t("confirm.wait", { wait: waitText(pending.prediction, t) })}</p>}
          {book.error && <ErrorAlert error={book.error} />}
        </Modal>
      )}
    </div>
  );
}
