/**
 * One application on one screen: holder and identifiers (masked as the API gives them for the
 * viewer's role), card, eligibility snapshot, money, bindings, documents, processing steps with
 * retries, the full timeline, and the actions allowed now.
 */
import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Col, Descriptions, List, Row, Skeleton, Space, Tag } from "antd";
import { Link, useParams } from "react-router";
import type { Lang } from "../api/types";
import { ErrorAlert } from "../components/error-alert";
import { StatusTag } from "../components/status-tag";
import { formatDateTime, formatFen, localized } from "../lib/format";
import { ActionBar } from "./actions";
import { apiUrl, staffApi } from "./api";
import { useConsoleT } from "./i18n";
import { Documents } from "./review-documents";
import { Processing } from "./review-processing";
import { MOVING, none } from "./review-values";
import { SlaTimer } from "./sla";
import { ConsoleTimeline } from "./timeline";
import type { CardDetail, StaffApplication, StaffApplicationView } from "./types";

const SEVERITY_COLOR: Record<string, string> = { blocker: "red", counter: "orange", notice: "blue" };

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
  const { application: a, card, holder, provider, timeline } = view.data!;
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
              <Descriptions.Item label={t("review.provider")}>
                {provider ? (lang === "en" ? provider.nameEn : provider.nameZh) : card.providerId}
              </Descriptions.Item>
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
