/** The processing view of an application: each provider step, its result and retries, a manual retry, the ledger. */
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Popconfirm, Skeleton, Table, Tag } from "antd";
import type { Lang } from "../api/types";
import { ErrorAlert } from "../components/error-alert";
import { formatDateTime, formatFen } from "../lib/format";
import { useAct } from "./actions";
import { isSupervisor, staffApi, useStaffSession } from "./api";
import { useConsoleT } from "./i18n";
import { counterpartyText, MOVING, none } from "./review-values";
import type { ProcessingView, StaffApplication } from "./types";

const STEP_COLOR: Record<string, string> = {
  done: "green",
  failed: "red",
  running: "blue",
  waiting: "gold",
  pending: "default",
};

export function Processing({ application: a }: { application: StaffApplication }) {
  const { t, i18n } = useConsoleT();
  const lang = i18n.language as Lang;
  const session = useStaffSession();
  const act = useAct(a);
  const p = useQuery({
    // The status in the key: when the application moves (e.g. completes, which stops the
    // polling), the steps are read again rather than left as last polled.
    queryKey: ["console", "processing", a.id, a.status],
    queryFn: () => staffApi<ProcessingView>("GET", `/applications/${a.id}/processing`),
    refetchInterval: MOVING.includes(a.status) ? 2_000 : false,
  });
  if (p.isLoading) return <Skeleton active />;
  if (p.error) return <ErrorAlert error={p.error} onRetry={() => p.refetch()} />;
  const v = p.data!;
  return (
    <div data-testid="processing">
      {v.failureCause && (
        <Alert
          type="error"
          showIcon
          className="zxc-gap"
          title={t("review.failure")}
          description={v.failureCause}
        />
      )}
      {a.status === "failed" &&
        (isSupervisor(session) ? (
          <div className="zxc-gap">
            {act.error && <ErrorAlert error={act.error} className="zxc-gap" />}
            <Popconfirm
              title={t("processing.manualRetry")}
              description={<div className="zxc-confirm">{t("actions.retryConfirm")}</div>}
              okText={t("actions.confirm")}
              cancelText={t("actions.cancel")}
              onConfirm={() =>
                act.mutateAsync({ action: "retry", body: {}, intent: "retry" }).catch(() => undefined)
              }
            >
              <Button danger loading={act.isPending} data-action="manual-retry">
                {t("processing.manualRetry")}
              </Button>
            </Popconfirm>
          </div>
        ) : (
          <Alert type="info" className="zxc-gap" title={t("processing.supervisorOnly")} />
        ))}
      <Table
        size="small"
        rowKey="step"
        pagination={false}
        dataSource={v.steps}
        locale={{ emptyText: t("processing.noSteps") }}
        columns={[
          {
            key: "step",
            title: t("processing.step"),
            render: (_, s) => t(`processingStep.${s.step}`, { defaultValue: s.step }),
          },
          {
            key: "status",
            title: t("processing.status"),
            render: (_, s) => (
              <Tag color={STEP_COLOR[s.status] ?? "default"} data-step-status={s.status}>
                {t(`processing.stepStatus.${s.status}`, { defaultValue: s.status })}
              </Tag>
            ),
          },
          { key: "attempts", title: t("processing.attempts"), dataIndex: "attempts" },
          {
            key: "finished",
            title: t("processing.finishedAt"),
            render: (_, s) =>
              s.waitUntil && !s.finishedAt
                ? `${t("processing.waitUntil")} ${formatDateTime(s.waitUntil, lang)}`
                : formatDateTime(s.finishedAt, lang),
          },
          {
            key: "err",
            title: t("processing.lastError"),
            render: (_, s) => <span className="zxc-small">{s.lastError ?? ""}</span>,
          },
        ]}
      />
      <h3 className="zxc-h3">{t("processing.ledger")}</h3>
      <Table
        size="small"
        rowKey={(l) => `${l.kind}-${l.createdAt}`}
        pagination={false}
        dataSource={v.ledger}
        locale={{ emptyText: t("processing.noLedger") }}
        columns={[
          {
            key: "kind",
            title: t("processing.kind"),
            render: (_, l) => (
              <span>
                {t(`processing.ledgerKind.${l.kind}`, { defaultValue: l.kind })}{" "}
                <span className="zxc-mono zxc-small zxc-muted">{l.kind}</span>
              </span>
            ),
          },
          { key: "amount", title: t("processing.amount"), render: (_, l) => formatFen(l.amountFen) },
          {
            key: "cp",
            title: t("processing.counterparty"),
            render: (_, l) => counterpartyText(l.counterparty, t),
          },
          {
            key: "ref",
            title: t("processing.ref"),
            render: (_, l) => <span className="zxc-mono zxc-small">{none(l.externalRef)}</span>,
          },
        ]}
      />
    </div>
  );
}
