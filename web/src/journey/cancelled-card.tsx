/**
 * A card already cancelled: the journey's end, not a journey to start again. What happened and
 * when, the certificate to keep, the application's record, and for a SIM in quarantine the way
 * back to the number.
 */
import { Result, Steps } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { CardDetail, Lang } from "../api/types";
import { ProofDownloads } from "../application/proof-downloads";
import { RestoreNumber } from "../application/restore-number";
import { StandingTag } from "../components/standing-tag";
import { useNarrow } from "../components/use-narrow";
import { cardName } from "../lib/cards";
import { cardIdentifier, formatDate } from "../lib/format";

export default function CancelledCard({ detail }: { detail: CardDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const narrow = useNarrow();
  const { card, cancelledBy } = detail;
  const date = formatDate(card.cancelledAt ?? cancelledBy?.completedAt ?? null, lang);

  return (
    <div className="zx-page" data-testid="card-cancelled">
      <div className="zx-journey-head">
        <div>
          <h1 className="zx-title">{cardName(card, t, lang)}</h1>
          <div className="zx-card-meta">
            <span className="zx-mono">{cardIdentifier(card)}</span>
            <span aria-hidden>·</span>
            <span>{lang === "en" ? detail.provider.nameEn : detail.provider.nameZh}</span>
          </div>
        </div>
        <StandingTag standing="cancelled" />
      </div>

      <Result
        className="zx-receipt"
        status="success"
        title={t("cancelled.title")}
        subTitle={
          cancelledBy
            ? t("cancelled.byApplication", { date, number: cancelledBy.number })
            : t("cancelled.on", { date })
        }
      />

      <nav aria-label={t("journey.stepsLabel", { count: detail.journey.length })} className="zx-steps">
        <Steps
          size="small"
          orientation={narrow ? "vertical" : "horizontal"}
          current={detail.journey.length}
          items={detail.journey.map((s) => ({
            title: lang === "en" ? s.titleEn : s.titleZh,
            status: s.state === "current" ? "process" : s.state === "todo" ? "wait" : "finish",
          }))}
        />
      </nav>

      <p className="zx-gap">{t("cancelled.nothingToDo")}</p>

      {cancelledBy && (
        <>
          <ProofDownloads application={cancelledBy} />
          <p className="zx-gap">
            <Link to={`/applications/${cancelledBy.id}`}>{t("cancelled.viewApplication")}</Link>
          </p>
        </>
      )}

      <RestoreNumber card={card} />

      <p className="zx-gap">
        <Link to="/cards">{t("progress.backToCards")}</Link>
      </p>
    </div>
  );
}
