/**
 * One application on one screen: holder and identifiers (masked as the API gives them for the
 * viewer's role), card, eligibility snapshot, money, bindings, documents, processing steps with
 * retries, the full timeline, and the actions allowed now.
 */
import { useQuery } from "@tanstack/react-query";
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Image,
  List,
  Popconfirm,
  Row,
  Skeleton,
  Space,
  Table,
  Tag,
} from "antd";
import { Link, useParams } from "react-router";
import type { DocumentList, Lang } from "../api/types";
import { ErrorAlert } from "../components/error-alert";
import { StatusTag } from "../components/status-tag";
import { formatDateTime, formatFen, localized } from "../lib/format";
import { ActionBar, useAct } from "./actions";
import { apiUrl, isSupervisor, staffApi, useStaffSession } from "./api";
import { useConsoleT } from "./i18n";
import { SlaTimer } from "./sla";
import { ConsoleTimeline } from "./timeline";
import type { CardDetail, ProcessingView, StaffApplication, StaffApplicationView } from "./types";

const MOVING = ["approved", "processing"];
const SEVERITY_COLOR: Record<string, string> = { blocker: "red", counter: "orange", notice: "blue" };
const STEP_COLOR: Record<string, string> = {
  done: "green",
  failed: "red",
  running: "blue",
  waiting: "gold",
  pending: "default",
};

function none(v: unknown) {
  return v === null || v === undefined || v === "" ? "—" : String(v);
}

function Documents({ id }: { id: string }) {
  const { t } = useConsoleT();
  const docs = useQuery({
    queryKey: ["console", "documents", id],
    queryFn: () => staffApi<DocumentList>("GET", `/applications/${id}/documents`),
  });
  if (docs.isLoading) return <Skeleton active />;
  if (docs.error) return <ErrorAlert error={docs.error} onRetry={() => docs.refetch()} />;
  const d = docs.data!;
  return (
    <div>
      {d.missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          className="zxc-gap"
          title={t("review.missing", { what: d.missing.map((k) => t(`documents.kind.${k}`)).join("、") })}
        />
      )}
      {d.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("review.noDocuments")} />
      ) : (
        <Image.PreviewGroup>
          <div className="zxc-docs">
            {d.items.map((doc) => {
              const src = apiUrl(`/applications/${id}/documents/${doc.id}`);
              return (
                <figure key={doc.id} className="zxc-doc">
                  {doc.contentType === "application/pdf" ? (
                    <a href={src} target="_blank" rel="noreferrer" className="zxc-doc-pdf">
                      PDF
                    </a>
                  ) : (
                    <Image
                      src={src}
                      alt={t(`documents.kind.${doc.kind}`)}
                      width={160}
                      height={110}
                      className="zxc-doc-img"
                    />
                  )}
                  <figcaption>
                    {t(`documents.kind.${doc.kind}`)}{" "}
                    <a href={src} target="_blank" rel="noreferrer">
                      {t("review.openDocument")}
                    </a>
                  </figcaption>
                </figure>
              );
            })}
          </div>
        </Image.PreviewGroup>
      )}
    </div>
  );
}

function Processing({ application: a }: { application: StaffApplication }) {
  const { t, i18n } = useConsoleT();
  const lang = i18n.language as Lang;
  const session = useStaffSession();
  const act = useAct(a);
  const p = useQuery({
    queryKey: ["console", "processing", a.id],
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
          { key: "cp", title: t("processing.counterparty"), render: (_, l) => none(l.counterparty) },
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

function MoneyAndBindings({ cardId, application: a }: { cardId: string; application: StaffApplication }) {
  const { t, i18n } = useConsoleT();
  const lang = i18n.language as Lang;
  const detail = useQuery({
    queryKey: ["console", "card", cardId],
    queryFn: () => staffApi<CardDetail>("GET", `/cards/${encodeURIComponent(cardId)}/eligibility`),
  });
  const money = a.eligibilityAtSubmission?.money ?? detail.data?.eligibility.money;
  const unbinding = new Map(a.unbinding.map((u) => [u.bindingId, u]));
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <Card size="small" title={<h2 className="zxc-h2">{t("review.money")}</h2>}>
          {money ? (
            <Descriptions column={1} size="small" data-testid="money">
              <Descriptions.Item label={t("money.refundable")}>
                {formatFen(money.refundableFen)}
              </Descriptions.Item>
              <Descriptions.Item label={t("money.gifted")}>
                {formatFen(money.giftedForfeitFen)}
              </Descriptions.Item>
              <Descriptions.Item label={t("money.deposit")}>{formatFen(money.depositFen)}</Descriptions.Item>
              <Descriptions.Item label={t("money.terminationFee")}>
                {formatFen(money.terminationFeeFen)}
              </Descriptions.Item>
              <Descriptions.Item label={t("money.payable")}>{formatFen(money.payableFen)}</Descriptions.Item>
              <Descriptions.Item label={t("review.balanceOption")}>
                {a.balanceOption ? t(`balance.option.${a.balanceOption}`) : "—"}
                {a.transferTo ? ` → ${a.transferTo}` : ""}
              </Descriptions.Item>
            </Descriptions>
          ) : detail.error ? (
            <ErrorAlert error={detail.error} />
          ) : (
            <Skeleton active />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title={<h2 className="zxc-h2">{t("review.bindings")}</h2>}>
          {detail.data ? (
            <List
              size="small"
              dataSource={detail.data.bindings}
              locale={{ emptyText: t("review.noBindings") }}
              renderItem={(b) => {
                const u = unbinding.get(b.id);
                return (
                  <List.Item>
                    <span>{lang === "en" ? b.nameEn : b.nameZh}</span>
                    <Tag
                      color={u?.state === "unbound" ? "green" : u?.state === "skipped" ? "default" : "gold"}
                    >
                      {t(`review.unbindState.${u?.state ?? "pending"}`)}
                    </Tag>
                  </List.Item>
                );
              }}
            />
          ) : detail.error ? (
            <ErrorAlert error={detail.error} />
          ) : (
            <Skeleton active />
          )}
        </Card>
      </Col>
    </Row>
  );
}

export default function ReviewPage() {
  const { id = "" } = useParams();
  const { t, i18n } = useConsoleT();
  const lang = i18n.language as Lang;
  const view = useQuery({
    queryKey: ["console", "application", id],
    queryFn: () => staffApi<StaffApplicationView>("GET", `/applications/${encodeURIComponent(id)}`),
    refetchInterval: (q) => (MOVING.includes(q.state.data?.application.status ?? "") ? 2_000 : 5_000),
  });
  if (view.isLoading) return <Skeleton active className="zxc-page" />;
  if (view.error)
    return (
      <div className="zxc-page">
        <ErrorAlert error={view.error} onRetry={() => view.refetch()} />
      </div>
    );
  const { application: a, card, holder, timeline } = view.data!;
  const snap = a.eligibilityAtSubmission;
  const filed = a.submittedAt !== null;
  const done = ["completed", "closed"].includes(a.status);

  return (
    <div className="zxc-page" data-testid="review" data-status={a.status}>
      <Link to="/console">← {t("review.back")}</Link>
      <div className="zxc-page-head">
        <h1 className="zxc-h1">
          {t("review.title", { number: "" })}
          <span className="zxc-mono" data-testid="application-number">
            {a.number}
          </span>
        </h1>
        <Space>
          <StatusTag status={a.status} />
          <SlaTimer sla={a.sla} dueAt={a.dueAt} status={a.status} />
        </Space>
      </div>

      <Card size="small" className="zxc-gap zxc-sticky-actions">
        <ActionBar application={a} />
        {filed && (
          <Space className="zxc-receipts">
            <a href={apiUrl(`/applications/${a.id}/receipt.pdf`)} target="_blank" rel="noreferrer">
              {t("review.receipt")}
            </a>
            {done && (
              <a href={apiUrl(`/applications/${a.id}/certificate.pdf`)} target="_blank" rel="noreferrer">
                {t("review.certificate")}
              </a>
            )}
          </Space>
        )}
      </Card>

      {(a.infoRequest || a.infoResponse) && (
        <Card
          size="small"
          className="zxc-gap zxc-info"
          title={<h2 className="zxc-h2">{t("review.infoRequest")}</h2>}
        >
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t("review.infoAsked")}>
              <span data-testid="info-request">{a.infoRequest}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t("review.infoAnswer")}>
              {a.infoResponse ? (
                <span data-testid="info-response" className="zxc-strong">
                  {a.infoResponse}
                </span>
              ) : (
                <span className="zxc-muted">{t("review.noAnswer")}</span>
              )}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      {a.rejectReason && (
        <Alert
          className="zxc-gap"
          type="error"
          title={`${t("review.rejectReason")}: ${t(`rejectReason.${a.rejectReason}`, { defaultValue: a.rejectReason })}`}
          description={a.rejectComment}
        />
      )}

      <Row gutter={[16, 16]} className="zxc-gap">
        <Col xs={24} lg={8}>
          <Card size="small" title={<h2 className="zxc-h2">{t("review.holder")}</h2>} className="zxc-fill">
            {holder ? (
              <Descriptions column={1} size="small" data-testid="holder">
                <Descriptions.Item label={t("review.name")}>{holder.name}</Descriptions.Item>
                <Descriptions.Item label={t("review.idType")}>
                  {t(`counter.idTypes.${holder.idType}`, { defaultValue: holder.idType })}
                </Descriptions.Item>
                <Descriptions.Item label={t("review.idNumber")}>
                  <span className="zxc-mono">{holder.idNumber}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t("review.phone")}>
                  <span className="zxc-mono" data-testid="holder-phone">
                    {holder.phone}
                  </span>
                </Descriptions.Item>
                <Descriptions.Item label={t("review.realName")}>
                  {holder.realNameVerified ? t("review.yes") : t("review.no")}
                </Descriptions.Item>
                {holder.isMinor && (
                  <Descriptions.Item label={t("review.minor")}>{t("review.yes")}</Descriptions.Item>
                )}
              </Descriptions>
            ) : (
              "—"
            )}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={<h2 className="zxc-h2">{t("review.card")}</h2>} className="zxc-fill">
            <Descriptions column={1} size="small" data-testid="card">
              <Descriptions.Item label={t("review.cardLabel")}>{card.label}</Descriptions.Item>
              <Descriptions.Item label={t("review.cardKind")}>
                {t(`card.kind.${card.kind}`)} · {t(`family.${card.family}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t("review.provider")}>{card.providerId}</Descriptions.Item>
              <Descriptions.Item label={t("review.cardStatus")}>
                {t(`card.status.${card.status}`)}
              </Descriptions.Item>
              {card.msisdn && (
                <Descriptions.Item label={t("review.msisdn")}>
                  <span className="zxc-mono">{card.msisdn}</span>
                </Descriptions.Item>
              )}
              {card.cardNumber && (
                <Descriptions.Item label={t("review.cardNumber")}>
                  <span className="zxc-mono">{card.cardNumber}</span>
                </Descriptions.Item>
              )}
              {card.iccid && (
                <Descriptions.Item label={t("review.iccid")}>
                  <span className="zxc-mono">{card.iccid}</span>
                </Descriptions.Item>
              )}
              {card.eid && (
                <Descriptions.Item label={t("review.eid")}>
                  <span className="zxc-mono">{card.eid}</span>
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card
            size="small"
            title={<h2 className="zxc-h2">{t("review.application")}</h2>}
            className="zxc-fill"
          >
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t("review.channel")}>
                {t(`channel.${a.channel}`, { defaultValue: a.channel })}
              </Descriptions.Item>
              <Descriptions.Item label={t("review.branch")}>{none(a.branch)}</Descriptions.Item>
              <Descriptions.Item label={t("review.reason")}>{none(a.reason)}</Descriptions.Item>
              <Descriptions.Item label={t("review.timing")}>{t(`timing.${a.timing}`)}</Descriptions.Item>
              <Descriptions.Item label={t("review.backup")}>
                {t(`review.backupStatus.${a.backup.status}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t("review.proxy")}>
                {a.proxy ? t("review.yes") : t("review.no")}
              </Descriptions.Item>
              <Descriptions.Item label={t("review.submittedAt")}>
                {formatDateTime(a.submittedAt, lang) || "—"}
              </Descriptions.Item>
              <Descriptions.Item label={t("review.dueAt")}>
                {formatDateTime(a.dueAt, lang) || "—"}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
      </Row>

      <Card size="small" className="zxc-gap" title={<h2 className="zxc-h2">{t("review.eligibility")}</h2>}>
        {snap ? (
          <div data-testid="eligibility">
            <Tag color={snap.eligible ? "green" : "red"}>
              {snap.eligible ? t("review.eligible") : t("review.notEligible")}
            </Tag>
            <span className="zxc-muted zxc-small">{formatDateTime(snap.evaluatedAt, lang)}</span>
            {snap.findings.length === 0 ? (
              <p className="zxc-muted">{t("review.noFindings")}</p>
            ) : (
              <List
                size="small"
                dataSource={snap.findings}
                renderItem={(f) => (
                  <List.Item>
                    <Tag color={SEVERITY_COLOR[f.severity]}>
                      {t(`severity.${f.severity}`, { defaultValue: f.severity })}
                    </Tag>
                    {localized(f.message, lang)}
                  </List.Item>
                )}
              />
            )}
          </div>
        ) : (
          <span className="zxc-muted">{t("review.noSnapshot")}</span>
        )}
      </Card>

      <div className="zxc-gap">
        <MoneyAndBindings cardId={card.id} application={a} />
      </div>

      <Card size="small" className="zxc-gap" title={<h2 className="zxc-h2">{t("review.documents")}</h2>}>
        <Documents id={a.id} />
      </Card>

      <Row gutter={[16, 16]} className="zxc-gap">
        <Col xs={24} xl={14}>
          <Card size="small" title={<h2 className="zxc-h2">{t("review.processing")}</h2>}>
            <Processing application={a} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={<h2 className="zxc-h2">{t("review.timeline")}</h2>}>
            <ConsoleTimeline events={timeline} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
