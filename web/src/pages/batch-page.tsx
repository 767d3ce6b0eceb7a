/**
 * Several cards cancelled together, in the order the provider needs: dependants (secondary and
 * supplementary cards) before the card they belong to. Each card's open points can be settled
 * here; the batch is then submitted in one go — all of it, or none of it with the reason.
 */
import { CheckCircleFilled, CloseCircleFilled, SendOutlined } from "@ant-design/icons";
import { Alert, Button, Checkbox, Result, Skeleton } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ApiError, api, newIdempotencyKey } from "../api/client";
import { invalidateApplication, keys, queryClient, useBatch, useDocuments, useMyCards } from "../api/queries";
import type { Application, Batch, Card, Lang, MyCardItem } from "../api/types";
import { ErrorAlert } from "../components/error-alert";
import { QueryState } from "../components/query-state";
import { StatusTag } from "../components/status-tag";
import { BackupChoice } from "../journey/backup-choice";
import { BalanceChoice } from "../journey/balance-choice";
import { cardName, effectiveEligibility } from "../lib/cards";
import { cardIdentifier, formatFen } from "../lib/format";

type Item = Batch["items"][number];

function useSave(batchId: string, app: Application) {
  return async (fields: Record<string, unknown>) => {
    await api("PATCH", `/applications/${app.id}`, {
      body: fields,
      idempotencyKey: newIdempotencyKey("draft"),
    });
    await invalidateApplication(app.id, app.cardId);
    await queryClient.invalidateQueries({ queryKey: keys.batch(batchId) });
  };
}

function ItemRow({
  batchId,
  item,
  mine,
  failed,
  parentName,
}: {
  batchId: string;
  item: Item;
  mine: MyCardItem | undefined;
  failed: boolean;
  parentName: string | null;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const { card, application: a } = item;
  const save = useSave(batchId, a);
  const docs = useDocuments(a.status === "draft" ? a.id : undefined);
  const eligibility = effectiveEligibility(mine?.eligibility ?? null, a);
  const refundable = eligibility?.money.refundableFen ?? 0;
  const draft = a.status === "draft";
  const pendingUnbind = a.unbinding.filter((u) => u.state === "pending").length;
  const missing = docs.data?.missing ?? [];
  const problems = eligibility?.findings.filter(
    (f) =>
      (f.severity === "blocker" || f.severity === "counter") &&
      f.code !== "SECONDARY_CARDS_OPEN" &&
      f.code !== "SUPPLEMENTARY_CARDS_OPEN",
  );
  const name = cardName(card, t, lang);

  return (
    <li
      className={`zx-batch-item${failed ? " zx-batch-failed" : ""}`}
      data-card-id={card.id}
      data-position={item.position}
    >
      <div className="zx-batch-pos" aria-hidden>
        {item.position + 1}
      </div>
      <div className="zx-grow">
        <div className="zx-card-row-head">
          <h3 className="zx-card-name">
            <span className="zx-sr-only">{t("batch.position", { n: item.position + 1 })} </span>
            {name}
          </h3>
          <StatusTag status={a.status} />
        </div>
        <div className="zx-card-meta">
          <span className="zx-mono">{cardIdentifier(card)}</span>
          <span aria-hidden>·</span>
          <span>
            {t("batch.number")} <span className="zx-mono">{a.number}</span>
          </span>
        </div>
        {parentName && card.relation && (
          <div className="zx-order-note">{t(`batch.before.${card.relation}`, { parent: parentName })}</div>
        )}
        {draft && (
          <div className="zx-batch-tasks">
            {problems && problems.length > 0 && (
              <Alert
                type="error"
                showIcon
                title={t("batch.cannotOnline")}
                description={problems.map((f) => f.message[lang]).join("；")}
              />
            )}
            <div className="zx-task">
              <TaskMark ok={a.backup.status !== "pending"} />
              <div className="zx-grow">
                {a.backup.status === "pending" ? (
                  <>
                    <div className="zx-strong">{t("batch.backupTask")}</div>
                    <p className="zx-muted zx-small">
                      {t("batch.backupHint")}{" "}
                      <Link to={`/cards/${card.id}?step=backup`}>{t("batch.backupDownloads")}</Link>
                    </p>
                    <BackupChoice
                      idPrefix={`backup-${card.id}`}
                      current={a.backup}
                      saveLabel={t("common.save")}
                      onSave={(b) => save({ backup: b })}
                    />
                  </>
                ) : (
                  <span>
                    {a.backup.status === "done"
                      ? t("submit.check.backupDone")
                      : t("submit.check.backupWaived")}
                  </span>
                )}
              </div>
            </div>
            {card.family === "sim" && a.unbinding.length > 0 && (
              <div className="zx-task">
                <TaskMark ok={pendingUnbind === 0} />
                <div className="zx-grow">
                  {pendingUnbind === 0 ? (
                    t("submit.check.unbindDone", { count: a.unbinding.length })
                  ) : (
                    <>
                      {t("submit.check.unbindPending", { count: pendingUnbind })}{" "}
                      <Link to={`/cards/${card.id}?step=unbind`}>{t("batch.handle")}</Link>
                    </>
                  )}
                </div>
              </div>
            )}
            {refundable > 0 && (
              <div className="zx-task">
                <TaskMark ok={Boolean(a.balanceOption)} />
                <div className="zx-grow">
                  {a.balanceOption ? (
                    t("submit.check.balanceChosen", {
                      option: t(`balance.option.${a.balanceOption}`),
                      amount: formatFen(refundable),
                      target: a.transferTo ?? "",
                    })
                  ) : (
                    <BalanceChoice
                      idPrefix={`balance-${card.id}`}
                      options={eligibility?.balanceOptions ?? []}
                      refundableFen={refundable}
                      ownNumber={card.msisdn}
                      current={a}
                      onSave={(v) => save(v)}
                    />
                  )}
                </div>
              </div>
            )}
            {missing.length > 0 && (
              <div className="zx-task">
                <TaskMark ok={false} />
                <div className="zx-grow">
                  {t("submit.check.documentsMissing", {
                    list: missing.map((k) => t(`documents.kind.${k}`)).join(t("common.listSeparator")),
                  })}{" "}
                  <Link to={`/cards/${card.id}?step=submit`}>{t("batch.handle")}</Link>
                </div>
              </div>
            )}
          </div>
        )}
        {!draft && (
          <div className="zx-card-row-action">
            <Link to={`/applications/${a.id}`}>{t("cards.viewProgress")}</Link>
          </div>
        )}
      </div>
    </li>
  );
}

function TaskMark({ ok }: { ok: boolean }) {
  const { t } = useTranslation();
  return ok ? (
    <CheckCircleFilled className="zx-ok-icon" aria-label={t("submit.checkOk")} />
  ) : (
    <CloseCircleFilled className="zx-no-icon" aria-label={t("submit.checkNo")} />
  );
}

function cardById(items: Item[], id: string | null): Card | undefined {
  return id ? items.find((i) => i.card.id === id)?.card : undefined;
}

function BatchView({ batch }: { batch: Batch }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const cards = useMyCards();
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Batch | null>(null);
  const key = useRef<string | null>(null);
  const items = [...batch.items].sort((a, b) => a.position - b.position);
  const drafts = items.filter((i) => i.application.status === "draft");
  const failedId = error instanceof ApiError ? (error.params.applicationId as string | undefined) : undefined;

  const submit = async () => {
    key.current ??= newIdempotencyKey("batch-submit");
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ batch: Batch }>("POST", `/batches/${batch.id}/submit`, {
        body: {},
        idempotencyKey: key.current,
      });
      setDone(r.batch);
      queryClient.setQueryData(keys.batch(batch.id), r.batch);
      await queryClient.invalidateQueries({ queryKey: keys.cards });
    } catch (err) {
      // Nothing was submitted; once the holder fixes the cause, a new attempt is a new intent.
      key.current = null;
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const shown = done ? [...done.items].sort((a, b) => a.position - b.position) : items;

  return (
    <div className="zx-page">
      <h1 className="zx-title">{t("batch.title", { count: items.length })}</h1>
      <p className="zx-lead">{t("batch.lead")}</p>
      {done && (
        <Result
          status="success"
          title={t("batch.submittedTitle", { count: done.items.length })}
          subTitle={t("batch.submittedHint")}
          className="zx-receipt"
        />
      )}
      {cards.isPending ? (
        <Skeleton active />
      ) : (
        <ol className="zx-batch-list" aria-label={t("batch.orderLabel")}>
          {shown.map((item) => (
            <ItemRow
              key={item.application.id}
              batchId={batch.id}
              item={item}
              mine={cards.data?.find((c) => c.card.id === item.card.id)}
              failed={failedId === item.application.id}
              parentName={(() => {
                const p = cardById(shown, item.card.parentCardId);
                return p ? cardName(p, t, lang) : null;
              })()}
            />
          ))}
        </ol>
      )}
      {!done && drafts.length > 0 && (
        <section className="zx-gap">
          <Checkbox checked={understood} onChange={(e) => setUnderstood(e.target.checked)} className="zx-ack">
            {t("batch.ack", { count: drafts.length })}
          </Checkbox>
          {error !== null && <ErrorAlert error={error} onRetry={submit} className="zx-gap-top" />}
          <div className="zx-actions">
            <Button
              type="primary"
              size="large"
              icon={<SendOutlined aria-hidden />}
              onClick={submit}
              loading={busy}
              disabled={!understood}
            >
              {t("batch.submit", { count: drafts.length })}
            </Button>
          </div>
        </section>
      )}
      <p className="zx-gap">
        <Link to="/cards">{t("progress.backToCards")}</Link>
      </p>
    </div>
  );
}

export default function BatchPage() {
  const { batchId = "" } = useParams();
  const batch = useBatch(batchId);
  return <QueryState query={batch}>{(b) => <BatchView batch={b} />}</QueryState>;
}
