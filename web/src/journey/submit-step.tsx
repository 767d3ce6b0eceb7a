/**
 * Submit: documents where required, timing, an optional reason, then a review of everything the
 * server will check, and the submission itself. The submission carries one Idempotency-Key per
 * application, kept for the tab's life, so a double click, a retry or a reload after a lost answer
 * all come back with the same result instead of a second filing.
 */
import { CheckCircleFilled, CloseCircleFilled, SendOutlined } from "@ant-design/icons";
import { Button, Checkbox, Input, Radio } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { ApiError, api, newIdempotencyKey } from "../api/client";
import { invalidateApplication, useDocuments } from "../api/queries";
import type { Application, ApplicationView, Lang, StepKey, Timing } from "../api/types";
import { ErrorAlert } from "../components/error-alert";
import { formatFen, maskPhone } from "../lib/format";
import { BalanceChoice } from "./balance-choice";
import { DocumentsSection } from "./documents-section";
import type { StepProps } from "./step-props";

/** Which step fixes what a refused submission complained about. */
const FIX_STEP: Record<string, StepKey> = {
  BACKUP_REQUIRED: "backup",
  UNBINDING_INCOMPLETE: "unbind",
  BALANCE_OPTION_REQUIRED: "balance",
  BALANCE_OPTION_NOT_ALLOWED: "balance",
  TRANSFER_TARGET_INVALID: "balance",
  CARD_NOT_ELIGIBLE: "contact",
  COUNTER_REQUIRED: "contact",
};

function submitKey(applicationId: string): string {
  const name = `zx.intent.submit.${applicationId}`;
  try {
    const existing = sessionStorage.getItem(name);
    if (existing) return existing;
    const key = newIdempotencyKey("submit");
    sessionStorage.setItem(name, key);
    return key;
  } catch {
    return newIdempotencyKey("submit");
  }
}

interface Check {
  key: string;
  ok: boolean;
  label: string;
  fix?: StepKey;
}

function TimingChoice({
  draft,
  timings,
  onSave,
}: {
  draft: Application;
  timings: Timing[];
  onSave: StepProps["save"];
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [date, setDate] = useState(draft.requestedDate ?? "");
  if (timings.length <= 1) return null;
  const change = async (fields: Parameters<StepProps["save"]>[0]) => {
    setError(null);
    try {
      await onSave(fields);
    } catch (err) {
      setError(err);
    }
  };
  const today = new Date().toISOString().slice(0, 10);
  return (
    <fieldset className="zx-fieldset">
      <legend className="zx-legend">{t("submit.timingLegend")}</legend>
      <Radio.Group
        value={draft.timing}
        onChange={(e) => change({ timing: e.target.value })}
        className="zx-radio-stack"
      >
        {timings.map((k) => (
          <Radio key={k} value={k}>
            <span className="zx-strong">{t(`timing.${k}`)}</span>
            <div className="zx-muted zx-small">{t(`timingHint.${k}`)}</div>
          </Radio>
        ))}
      </Radio.Group>
      {draft.timing === "date" && (
        <div className="zx-gap-top">
          <label htmlFor="requested-date" className="zx-label">
            {t("submit.dateLabel")}
          </label>
          <input
            id="requested-date"
            type="date"
            className="zx-native-input"
            min={today}
            value={date}
            onChange={(e) => setDate(e.target.value)}
            onBlur={() => date && date !== draft.requestedDate && change({ requestedDate: date })}
          />
        </div>
      )}
      {error !== null && <ErrorAlert error={error} className="zx-gap-top" />}
    </fieldset>
  );
}

export default function SubmitStep({ detail, eligibility, draft, save, goTo }: StepProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const navigate = useNavigate();
  const docs = useDocuments(draft?.id);
  const [reason, setReason] = useState(draft?.reason ?? "");
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const sim = detail.card.family === "sim";
  const m = eligibility.money;

  if (!draft) {
    return (
      <div>
        <p>{t("submit.needsDraft")}</p>
        <Button type="primary" onClick={() => goTo("backup")}>
          {t("submit.goToBackup")}
        </Button>
      </div>
    );
  }

  const unbindPending = draft.unbinding.filter((u) => u.state === "pending").length;
  const missingDocs = docs.data?.missing ?? [];
  const checks: Check[] = [
    {
      key: "eligible",
      ok: eligibility.eligible && eligibility.onlineAllowed,
      label:
        eligibility.eligible && eligibility.onlineAllowed
          ? t("submit.check.eligibleOk")
          : t("submit.check.eligibleNo"),
      fix: "contact",
    },
    {
      key: "backup",
      ok: draft.backup.status !== "pending",
      label:
        draft.backup.status === "done"
          ? t("submit.check.backupDone")
          : draft.backup.status === "waived"
            ? t("submit.check.backupWaived")
            : t("submit.check.backupMissing"),
      fix: "backup",
    },
  ];
  if (sim) {
    checks.push({
      key: "unbind",
      ok: unbindPending === 0,
      label:
        unbindPending === 0
          ? t("submit.check.unbindDone", { count: draft.unbinding.length })
          : t("submit.check.unbindPending", { count: unbindPending }),
      fix: "unbind",
    });
  }
  if (m.refundableFen > 0) {
    checks.push({
      key: "balance",
      ok: Boolean(draft.balanceOption),
      label: draft.balanceOption
        ? t("submit.check.balanceChosen", {
            option: t(`balance.option.${draft.balanceOption}`),
            amount: formatFen(m.refundableFen),
            target: draft.transferTo ? maskPhone(draft.transferTo) : "",
          })
        : t("submit.check.balanceMissing", { amount: formatFen(m.refundableFen) }),
      fix: sim ? "balance" : undefined,
    });
  }
  checks.push({
    key: "documents",
    ok: docs.isSuccess && missingDocs.length === 0,
    label:
      missingDocs.length === 0
        ? t("submit.check.documentsOk")
        : t("submit.check.documentsMissing", {
            list: missingDocs.map((k) => t(`documents.kind.${k}`)).join(t("common.listSeparator")),
          }),
  });
  const ready = checks.every((c) => c.ok);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      if (reason.trim() !== (draft.reason ?? "") && reason.trim()) await save({ reason: reason.trim() });
      const r = await api<{ application: Application }>("POST", `/applications/${draft.id}/submit`, {
        body: {},
        idempotencyKey: submitKey(draft.id),
      });
      // Show the receipt first; refreshing the card afterwards must not route anywhere else.
      navigate(`/applications/${r.application.id}`, {
        state: { justSubmitted: { number: r.application.number } },
      });
      void invalidateApplication(draft.id, detail.card.id);
    } catch (err) {
      if (
        err instanceof ApiError &&
        (err.code === "TRANSITION_NOT_ALLOWED" || err.code === "CONCURRENT_UPDATE")
      ) {
        // Submitted already — from another tab, or an answer that got lost: land on it.
        try {
          const v = await api<ApplicationView>("GET", `/applications/${draft.id}`);
          if (v.application.status !== "draft") {
            navigate(`/applications/${draft.id}`, { state: { notice: "existing" } });
            void invalidateApplication(draft.id, detail.card.id);
            return;
          }
        } catch {
          // fall through and explain the original error
        }
      }
      setError(err);
      setBusy(false);
    }
  };

  const fix = error instanceof ApiError ? FIX_STEP[error.code] : undefined;

  return (
    <div>
      <section aria-labelledby="docs-title">
        <h3 id="docs-title" className="zx-subtitle">
          {t("submit.documentsTitle")}
        </h3>
        <DocumentsSection applicationId={draft.id} cardId={detail.card.id} />
      </section>

      {!sim && m.refundableFen > 0 && (
        <section className="zx-gap">
          <BalanceChoice
            idPrefix="submit-balance"
            options={eligibility.balanceOptions}
            refundableFen={m.refundableFen}
            ownNumber={null}
            current={draft}
            onSave={(v) => save(v)}
          />
        </section>
      )}

      <section className="zx-gap">
        <TimingChoice draft={draft} timings={eligibility.timings} onSave={save} />
      </section>

      <section className="zx-gap">
        <label htmlFor="cancel-reason" className="zx-label">
          {t("submit.reasonLabel")}
        </label>
        <Input.TextArea
          id="cancel-reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
          autoSize={{ minRows: 2, maxRows: 4 }}
          placeholder={t("submit.reasonPlaceholder")}
        />
      </section>

      <section aria-labelledby="review-title" className="zx-gap">
        <h3 id="review-title" className="zx-subtitle">
          {t("submit.reviewTitle")}
        </h3>
        <ul className="zx-review">
          {checks.map((c) => (
            <li
              key={c.key}
              className={c.ok ? "zx-review-ok" : "zx-review-no"}
              data-check={c.key}
              data-ok={c.ok}
            >
              {c.ok ? <CheckCircleFilled aria-hidden /> : <CloseCircleFilled aria-hidden />}
              <span className="zx-sr-only">{c.ok ? t("submit.checkOk") : t("submit.checkNo")}</span>
              <span className="zx-grow">{c.label}</span>
              {!c.ok && c.fix && (
                <Button type="link" size="small" onClick={() => goTo(c.fix!)}>
                  {t("submit.fix")}
                </Button>
              )}
            </li>
          ))}
        </ul>
        <p className="zx-muted">
          {t("submit.whatNext", {
            provider: lang === "en" ? detail.provider.nameEn : detail.provider.nameZh,
            count: detail.rules.slaDays.value,
          })}
        </p>
        <Checkbox checked={understood} onChange={(e) => setUnderstood(e.target.checked)} className="zx-ack">
          {sim ? t("submit.ackSim", { days: detail.rules.quarantineDays.value }) : t("submit.ackSmart")}
        </Checkbox>
      </section>

      {error !== null && (
        <div className="zx-gap">
          <ErrorAlert error={error} onRetry={submit} />
          {fix && (
            <Button type="link" onClick={() => goTo(fix)}>
              {t("submit.goFix")}
            </Button>
          )}
        </div>
      )}

      <div className="zx-actions">
        <Button
          type="primary"
          size="large"
          icon={<SendOutlined aria-hidden />}
          onClick={submit}
          loading={busy}
          disabled={!ready || !understood}
          className="zx-submit"
        >
          {t("submit.submit")}
        </Button>
        {!ready && <span className="zx-muted zx-small">{t("submit.notReady")}</span>}
        {ready && !understood && <span className="zx-muted zx-small">{t("submit.ackFirst")}</span>}
      </div>
    </div>
  );
}
