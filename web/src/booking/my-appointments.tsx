/** The holder's appointments, newest first: upcoming bookings can be moved or cancelled. */
import { useMutation, useQuery } from "@tanstack/react-query";
import { Button, Empty, Popconfirm, Skeleton, Tag } from "antd";
import { useRef } from "react";
import { api, newIdempotencyKey } from "../api/client";
import { ErrorAlert } from "../components/error-alert";
import { formatLocalDate } from "./format";
import { useBookingT } from "./i18n";
import { type AppointmentStatus, branchName, type MyAppointment } from "./types";

export const MY_APPOINTMENTS_KEY = ["booking", "mine"] as const;

const STATUS_COLOUR: Record<AppointmentStatus, string> = {
  booked: "blue",
  checked_in: "gold",
  served: "green",
  cancelled: "default",
  no_show: "red",
};

export function useMyAppointments() {
  return useQuery({
    queryKey: MY_APPOINTMENTS_KEY,
    queryFn: () =>
      api<{ appointments: MyAppointment[] }>("GET", "/me/appointments").then((r) => r.appointments),
  });
}

function CancelButton({ a, onDone }: { a: MyAppointment; onDone: () => void }) {
  const { t, i18n } = useBookingT();
  const key = useRef(newIdempotencyKey(`cancel-${a.id}`));
  const cancel = useMutation({
    mutationFn: () =>
      api("POST", `/appointments/${encodeURIComponent(a.id)}/cancel`, {
        body: {},
        idempotencyKey: key.current,
      }),
    onSuccess: onDone,
  });
  return (
    <>
      <Popconfirm
        title={t("mine.cancelConfirm", {
          branch: branchName(a.branch, i18n.language),
          date: formatLocalDate(a.localDate, i18n.language),
          time: a.localTime,
        })}
        okText={t("mine.cancelOk")}
        cancelText={t("mine.keep")}
        okButtonProps={{ danger: true, loading: cancel.isPending }}
        onConfirm={() => cancel.mutateAsync()}
      >
        <Button danger size="small" data-action="cancel">
          {t("mine.cancel")}
        </Button>
      </Popconfirm>
      {cancel.error && <ErrorAlert error={cancel.error} className="zx-gap-top" />}
    </>
  );
}

export function MyAppointments({
  onReschedule,
  onCancelled,
  now,
}: {
  onReschedule: (a: MyAppointment) => void;
  onCancelled: () => void;
  now: number;
}) {
  const { t, i18n } = useBookingT();
  const q = useMyAppointments();
  if (q.isPending) return <Skeleton active paragraph={{ rows: 2 }} />;
  if (q.isError) return <ErrorAlert error={q.error} onRetry={() => q.refetch()} />;
  if (q.data.length === 0) return <Empty description={t("mine.none")} image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <ul className="zxb-mine" data-testid="my-appointments">
      {q.data.map((a) => {
        const upcoming = a.status === "booked" && Date.parse(a.start) > now;
        return (
          <li key={a.id} className="zxb-mine-item" data-appointment-id={a.id} data-status={a.status}>
            <div className="zxb-mine-head">
              <span className="zx-strong">{branchName(a.branch, i18n.language)}</span>
              <Tag color={STATUS_COLOUR[a.status]}>{t(`mine.status.${a.status}`)}</Tag>
            </div>
            <div data-testid="appointment-when">
              {t("mine.when", { date: formatLocalDate(a.localDate, i18n.language), time: a.localTime })}
            </div>
            {upcoming && (
              <div className="zx-actions zxb-mine-actions">
                <Button size="small" data-action="reschedule" onClick={() => onReschedule(a)}>
                  {t("mine.reschedule")}
                </Button>
                <CancelButton a={a} onDone={onCancelled} />
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
