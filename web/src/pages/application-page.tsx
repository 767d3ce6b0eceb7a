/**
 * An application's progress: the receipt number straight after filing, where it stands, what it
 * waits for and until when, the journey step, every event, information requests answered in place,
 * withdrawal while allowed, and the destruction step that closes it.
 */
import { CheckCircleFilled, CopyOutlined } from "@ant-design/icons";
import { Alert, Descriptions, Result, Steps, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useParams } from "react-router";
import { useApplication, useCard } from "../api/queries";
import type { Application, ApplicationView, Lang } from "../api/types";
import { DestroyPanel } from "../application/destroy-panel";
import { InfoRequest } from "../application/info-request";
import { ProofDownloads } from "../application/proof-downloads";
import { RestoreNumber } from "../application/restore-number";
import { WithdrawButton } from "../application/withdraw-button";
import { BookingLink } from "../booking/booking-link";
import { QueryState } from "../components/query-state";
import { StatusTag } from "../components/status-tag";
import { TimelineView } from "../components/timeline-view";
import { useNarrow } from "../components/use-narrow";
import { cardName, journeyOfApplication } from "../lib/cards";
import { cardIdentifier, formatDate, formatDateTime, localized, maskPhone } from "../lib/format";

const FINAL = ["closed", "withdrawn", "rejected"];
const FILED = [
  "submitted",
  "under_review",
  "needs_info",
  "approved",
  "processing",
  "completed",
  "closed",
  "failed",
];

function JourneyProgress({ application }: { application: Application }) {
  const { i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const narrow = useNarrow();
  const card = useCard(application.cardId);
  if (!card.data) return null;
  const steps = journeyOfApplication(card.data.journey, application);
  const current = steps.findIndex((s) => s.state === "current");
  return (
    <Steps
      size="small"
      orientation={narrow ? "vertical" : "horizontal"}
      className="zx-gap"
      current={current === -1 ? steps.length : current}
      items={steps.map((s) => ({
        title: lang === "en" ? s.titleEn : s.titleZh,
        status: s.state === "current" ? "process" : s.state === "todo" ? "wait" : "finish",
      }))}
    />
  );
}

function Progress({ view }: { view: ApplicationView }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const location = useLocation();
  const state = (location.state ?? {}) as { justSubmitted?: { number: string }; notice?: string };
  const { application: a, card, timeline } = view;
  const filed = FILED.includes(a.status);
  const canWithdraw = a.allowedTransitions.includes("withdraw") && a.status !== "draft";

  return (
    <div className="zx-page">
      {state.justSubmitted?.number === a.number && a.status === "submitted" && (
        <Result
          className="zx-receipt"
          status="success"
          icon={<CheckCircleFilled aria-hidden />}
          title={t("progress.submittedTitle")}
          subTitle={
            <div>
              <div>{t("progress.receiptLabel")}</div>
              <Typography.Text
                className="zx-receipt-number"
                data-testid="receipt-number"
                copyable={{
                  text: state.justSubmitted.number,
                  icon: <CopyOutlined aria-label={t("progress.copy")} />,
                }}
              >
                {state.justSubmitted.number}
              </Typography.Text>
              <div className="zx-small">{t("progress.receiptHint")}</div>
            </div>
          }
        />
      )}
      {state.notice === "existing" && (
        <Alert
          className="zx-gap"
          type="info"
          showIcon
          role="status"
          title={t("progress.existingTitle")}
          description={t("progress.existingHint", { number: a.number })}
        />
      )}

      {a.status === "closed" && (
        <Result
          className="zx-receipt"
          status="success"
          title={t("progress.closedTitle")}
          subTitle={t("progress.closedHint")}
        />
      )}
      <div className="zx-journey-head">
        <div>
          <h1 className="zx-title">
            {t("progress.title")}{" "}
            <span className="zx-mono" data-testid="application-number">
              {a.number}
            </span>
          </h1>
          <div className="zx-card-meta">
            <Link to={`/cards/${card.id}`}>{cardName(card, t, lang)}</Link>
            <span aria-hidden>·</span>
            <span className="zx-mono">{cardIdentifier(card)}</span>
          </div>
        </div>
        <StatusTag status={a.status} />
      </div>

      {a.status === "draft" && (
        <Alert
          type="info"
          showIcon
          title={t("progress.draft")}
          action={<Link to={`/cards/${card.id}`}>{t("cards.continue")}</Link>}
        />
      )}

      {filed && <JourneyProgress application={a} />}

      <Descriptions column={1} size="small" bordered className="zx-descriptions zx-gap">
        <Descriptions.Item label={t("progress.status")}>{t(`status.${a.status}`)}</Descriptions.Item>
        {a.waitingFor && (
          <Descriptions.Item label={t("progress.waitingFor")}>
            <span data-testid="waiting-for">{localized(a.waitingFor, lang)}</span>
          </Descriptions.Item>
        )}
        {a.dueAt && !FINAL.includes(a.status) && a.status !== "completed" && (
          <Descriptions.Item label={t("progress.dueAt")}>
            <span data-testid="due-at">{formatDate(a.dueAt, lang)}</span>
          </Descriptions.Item>
        )}
        {a.submittedAt && (
          <Descriptions.Item label={t("progress.submittedAt")}>
            {formatDateTime(a.submittedAt, lang)}
          </Descriptions.Item>
        )}
        {a.serviceEndDate && (
          <Descriptions.Item label={t("progress.serviceEnd")}>
            {formatDate(a.serviceEndDate, lang)}
          </Descriptions.Item>
        )}
        {a.balanceOption && (
          <Descriptions.Item label={t("progress.balance")}>
            {t(`balance.option.${a.balanceOption}`)}
            {a.transferTo ? ` → ${maskPhone(a.transferTo)}` : ""}
          </Descriptions.Item>
        )}
        {a.completedAt && (
          <Descriptions.Item label={t("progress.completedAt")}>
            {formatDateTime(a.completedAt, lang)}
          </Descriptions.Item>
        )}
        {card.quarantineUntil && (
          <Descriptions.Item label={t("progress.quarantineUntil")}>
            {formatDate(card.quarantineUntil, lang)}
          </Descriptions.Item>
        )}
      </Descriptions>

      {a.status === "needs_info" && a.infoRequest && <InfoRequest application={a} />}
      {a.status === "rejected" && (
        <Alert
          className="zx-gap"
          type="error"
          showIcon
          title={t("progress.rejected", {
            reason: t(`rejectReason.${a.rejectReason}`, { defaultValue: a.rejectReason ?? "" }),
          })}
          description={a.rejectComment}
        />
      )}
      {a.status === "withdrawn" && (
        <Alert className="zx-gap" type="info" showIcon title={t("progress.withdrawn")} />
      )}
      {a.status === "failed" && (
        <Alert className="zx-gap" type="warning" showIcon title={t("progress.failed")} />
      )}
      {a.status === "completed" && <DestroyPanel application={a} card={card} />}

      {(filed || a.status === "withdrawn") && <ProofDownloads application={a} />}
      {(a.status === "completed" || a.status === "closed") && <RestoreNumber card={card} />}

      <section aria-labelledby="timeline-title" className="zx-gap">
        <h2 id="timeline-title" className="zx-subtitle">
          {t("progress.timeline")}
        </h2>
        <TimelineView events={timeline} />
      </section>

      {canWithdraw && (
        <section className="zx-gap zx-withdraw">
          <p className="zx-muted">{t("progress.withdrawHint")}</p>
          <WithdrawButton application={a} />
        </section>
      )}
      {!FINAL.includes(a.status) && (
        <p className="zx-gap">
          <BookingLink providerId={a.providerId} applicationId={a.id} />
        </p>
      )}
      <p className="zx-gap">
        <Link to="/cards">{t("progress.backToCards")}</Link>
      </p>
    </div>
  );
}

export default function ApplicationPage() {
  const { applicationId = "" } = useParams();
  const q = useApplication(applicationId);
  return <QueryState query={q}>{(view) => <Progress view={view} />}</QueryState>;
}
