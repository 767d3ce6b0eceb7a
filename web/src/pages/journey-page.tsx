/**
 * One card's cancellation journey as a stepper with the card family's steps (smart card 5, SIM 7).
 * Each step is a panel; the holder can move freely between finished and current steps, while
 * steps that depend on a cleared blocker stay locked until it is cleared.
 */
import { Alert, Button } from "antd";
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useParams, useSearchParams } from "react-router";
import { useCard } from "../api/queries";
import type { CardDetail, Lang, StepKey } from "../api/types";
import { PageLoading } from "../components/app-shell";
import { QueryState } from "../components/query-state";
import { StandingTag } from "../components/standing-tag";
import { StepNav } from "../journey/step-nav";
import type { StepProps } from "../journey/step-props";
import { useDraft } from "../journey/use-draft";
import { cardName, effectiveEligibility, effectiveJourney, standingOf } from "../lib/cards";
import { cardIdentifier } from "../lib/format";

const CancelledCard = lazy(() => import("../journey/cancelled-card"));

const PANELS: Record<StepKey, React.LazyExoticComponent<(p: StepProps) => React.ReactNode>> = {
  backup: lazy(() => import("../journey/backup-step")),
  unbind: lazy(() => import("../journey/unbind-step")),
  contact: lazy(() => import("../journey/contact-step")),
  submit: lazy(() => import("../journey/submit-step")),
  balance: lazy(() => import("../journey/balance-step")),
  wait: lazy(() => import("../journey/wait-step")),
  destroy: lazy(() => import("../journey/destroy-step")),
};

/** An application in one of these has been filed and still stands. */
const FILED = ["submitted", "under_review", "needs_info", "approved", "processing", "completed", "failed"];

/** Steps that only make sense once the card may be filed online. */
const NEEDS_FILING: StepKey[] = ["unbind", "submit", "balance"];

function Journey({ detail }: { detail: CardDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [params, setParams] = useSearchParams();
  const draft = detail.openApplication?.status === "draft" ? detail.openApplication : null;
  const eligibility = effectiveEligibility(detail.eligibility, draft)!;
  const steps = useMemo(() => effectiveJourney(detail.journey, eligibility), [detail.journey, eligibility]);
  const canFile = eligibility.eligible && eligibility.onlineAllowed;
  const save = useDraft(detail.card.id, draft);
  const standing = standingOf(detail.card, eligibility, draft);

  const frontier = steps.find((s) => s.state === "current" || s.state === "blocked") ?? steps[0]!;
  const requested = params.get("step") as StepKey | null;
  const locked = (k: StepKey) => !canFile && NEEDS_FILING.includes(k);
  const initial =
    requested && steps.some((s) => s.key === requested) && !locked(requested)
      ? requested
      : !canFile
        ? "contact"
        : frontier.key;
  const [active, setActive] = useState<StepKey>(initial);

  // Back and forward move between steps: follow the URL when it changes, not on every render.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a URL change may move the stepper.
  useEffect(() => {
    if (requested && requested !== active && steps.some((s) => s.key === requested) && !locked(requested))
      setActive(requested);
  }, [requested]);

  const goTo = (key: StepKey) => {
    setActive(key);
    setParams((p) => {
      p.set("step", key);
      return p;
    });
    document.getElementById("journey-panel")?.focus({ preventScroll: false });
  };
  const index = steps.findIndex((s) => s.key === active);
  const next = () => {
    const after = steps.slice(index + 1).find((s) => !locked(s.key));
    if (after) goTo(after.key);
  };

  const Panel = PANELS[active];
  const activeStep = steps[index]!;

  return (
    <div className="zx-page">
      <div className="zx-journey-head">
        <div>
          <h1 className="zx-title">{cardName(detail.card, t, lang)}</h1>
          <div className="zx-card-meta">
            <span className="zx-mono">{cardIdentifier(detail.card)}</span>
            <span aria-hidden>·</span>
            <span>{lang === "en" ? detail.provider.nameEn : detail.provider.nameZh}</span>
          </div>
        </div>
        <StandingTag standing={standing} />
      </div>

      <nav aria-label={t("journey.stepsLabel", { count: steps.length })} className="zx-steps">
        <StepNav steps={steps} active={index} locked={locked} onSelect={goTo} />
      </nav>

      {detail.openApplication && FILED.includes(detail.openApplication.status) && (
        <Alert
          className="zx-gap"
          type="info"
          showIcon
          title={t("journey.filedMeanwhile", { number: detail.openApplication.number })}
          action={<Link to={`/applications/${detail.openApplication.id}`}>{t("cards.viewProgress")}</Link>}
        />
      )}

      {!canFile && (
        <Alert
          className="zx-gap"
          type={eligibility.eligible ? "warning" : "error"}
          showIcon
          title={eligibility.eligible ? t("journey.counterOnly") : t("journey.blocked")}
          description={eligibility.eligible ? t("journey.counterOnlyHint") : t("journey.blockedHint")}
          action={
            active !== "contact" && (
              <Button size="small" onClick={() => goTo("contact")}>
                {t("journey.seeWhy")}
              </Button>
            )
          }
        />
      )}

      <section id="journey-panel" className="zx-panel" tabIndex={-1} aria-labelledby="step-title">
        <h2 id="step-title" className="zx-step-title">
          <span className="zx-step-index">{activeStep.index}</span>
          {lang === "en" ? activeStep.titleEn : activeStep.titleZh}
        </h2>
        <Suspense fallback={<PageLoading />}>
          <Panel
            detail={detail}
            eligibility={eligibility}
            draft={draft}
            save={save}
            goTo={goTo}
            next={next}
            canFile={canFile}
          />
        </Suspense>
      </section>
    </div>
  );
}

export default function JourneyPage() {
  const { cardId = "" } = useParams();
  const card = useCard(cardId);
  // Decided once, on the data the page opened with: a card already filed has its progress page,
  // not a second journey. A later refresh showing it filed (the holder's own submission, on its
  // way to the receipt) must not send the holder anywhere else.
  const filedAtOpen = useRef<string | null | undefined>(undefined);
  if (card.data && filedAtOpen.current === undefined) {
    const open = card.data.openApplication;
    filedAtOpen.current = open && FILED.includes(open.status) ? open.id : null;
  }
  if (filedAtOpen.current) {
    return <Navigate to={`/applications/${filedAtOpen.current}`} replace state={{ notice: "existing" }} />;
  }
  return (
    <QueryState query={card}>
      {(detail) =>
        // A cancelled card's journey is over: its end is shown, never a journey to start again.
        detail.card.status === "cancelled" ? (
          <Suspense fallback={<PageLoading />}>
            <CancelledCard detail={detail} />
          </Suspense>
        ) : (
          <Journey key={detail.card.id} detail={detail} />
        )
      }
    </QueryState>
  );
}
