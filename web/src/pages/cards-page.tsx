/**
 * My cards: every card and number the holder has with this provider, grouped by family, each with
 * where it stands and why. Several can be selected and cancelled together; dependants (secondary
 * and supplementary cards) are added and put first by the server.
 */
import { CreditCardOutlined, MobileOutlined } from "@ant-design/icons";
import { Button, Checkbox, Empty } from "antd";
import { useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { api, newIdempotencyKey } from "../api/client";
import { useMyCards } from "../api/queries";
import type { Batch, CardFamily, Lang, MyCardItem } from "../api/types";
import { restorable } from "../application/restore-number";
import { ErrorAlert } from "../components/error-alert";
import { FindingList } from "../components/finding-list";
import { QueryState } from "../components/query-state";
import { StandingTag } from "../components/standing-tag";
import { StatusTag } from "../components/status-tag";
import {
  batchSelectable,
  cardName,
  effectiveEligibility,
  isOpenApplication,
  type Standing,
  standingOf,
} from "../lib/cards";
import { cardIdentifier, formatDate } from "../lib/format";

const FAMILIES: CardFamily[] = ["sim", "smart_card"];

interface Row {
  item: MyCardItem;
  standing: Standing;
  selectable: boolean;
}

function CardRow({
  row,
  selected,
  onToggle,
  selectionColumn,
}: {
  row: Row;
  selected: boolean;
  onToggle: (checked: boolean) => void;
  /** Whether any card on the page can be selected (else the column is left out). */
  selectionColumn: boolean;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const { card, provider, openApplication } = row.item;
  const eligibility = effectiveEligibility(row.item.eligibility, openApplication);
  const name = cardName(card, t, lang);
  const open = isOpenApplication(openApplication) ? openApplication : null;
  const shown =
    row.standing === "blocked"
      ? (eligibility?.findings.filter((f) => f.severity === "blocker") ?? [])
      : row.standing === "counter"
        ? (eligibility?.findings.filter((f) => f.severity === "counter") ?? [])
        : [];

  let action: React.ReactNode;
  if (open && open.status !== "draft") {
    action = <Link to={`/applications/${open.id}`}>{t("cards.viewProgress")}</Link>;
  } else if (row.standing === "cancelled") {
    // The end of the journey: what happened, the certificate, and a number to restore.
    action = (
      <Link to={`/cards/${card.id}`}>
        {restorable(card) ? t("cards.cancelledRestorable") : t("cards.cancelledDetails")}
      </Link>
    );
  } else {
    action = (
      <Link to={`/cards/${card.id}`}>
        {row.standing === "draft"
          ? t("cards.continue")
          : row.standing === "ready"
            ? t("cards.start")
            : t("cards.details")}
      </Link>
    );
  }

  return (
    <li className={`zx-card-row${selected ? " zx-selected" : ""}`} data-card-id={card.id}>
      {/* Only cards that could be cancelled online (once their dependants go first) can join a batch. */}
      {selectionColumn && (
        <div className="zx-card-row-check">
          {row.selectable && (
            <Checkbox
              checked={selected}
              onChange={(e) => onToggle(e.target.checked)}
              aria-label={t("cards.selectLabel", { name })}
            />
          )}
        </div>
      )}
      <div className="zx-card-row-body">
        <div className="zx-card-row-head">
          <h3 className="zx-card-name">{name}</h3>
          <StandingTag standing={row.standing} />
        </div>
        <div className="zx-card-meta">
          <span className="zx-mono">{cardIdentifier(card)}</span>
          <span aria-hidden>·</span>
          <span>{lang === "en" ? provider.nameEn : provider.nameZh}</span>
          {card.networkGeneration && (
            <>
              <span aria-hidden>·</span>
              <span>{card.networkGeneration}</span>
            </>
          )}
          {card.status !== "active" && card.status !== "cancelled" && (
            <>
              <span aria-hidden>·</span>
              <span>{t(`card.status.${card.status}`)}</span>
            </>
          )}
        </div>
        {card.relation && card.parentCardId && (
          <div className="zx-card-meta">{t(`cards.dependantOf.${card.relation}`)}</div>
        )}
        {open && (
          <div className="zx-card-meta">
            {t("cards.application", { number: open.number })} <StatusTag status={open.status} />
          </div>
        )}
        {row.standing === "cancelled" && card.quarantineUntil && card.numberStatus === "quarantined" && (
          <div className="zx-card-meta">
            {t("cards.quarantined", { date: formatDate(card.quarantineUntil, lang) })}
          </div>
        )}
        {card.numberStatus === "restored" && <div className="zx-card-meta">{t("cards.restored")}</div>}
        {shown.length > 0 && <FindingList findings={shown} compact />}
        {action && <div className="zx-card-row-action">{action}</div>}
      </div>
    </li>
  );
}

function CardsView({ items }: { items: MyCardItem[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const navigate = useNavigate();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // One key per "cancel these cards" intent: a double click or a retry does not make two batches.
  const intent = useRef<{ ids: string; key: string } | null>(null);

  const rows: Row[] = useMemo(
    () =>
      items.map((item) => {
        const e = effectiveEligibility(item.eligibility, item.openApplication);
        return {
          item,
          standing: standingOf(item.card, e, item.openApplication),
          selectable: batchSelectable(item.card, e, item.openApplication),
        };
      }),
    [items],
  );

  const selectionColumn = rows.some((r) => r.selectable);

  // Dependants of selected cards that were not selected: the server adds them, so say so now.
  const added = rows.filter(
    (r) =>
      r.item.card.parentCardId && selected.has(r.item.card.parentCardId) && !selected.has(r.item.card.id),
  );

  const toggle = (id: string, on: boolean) => {
    setError(null);
    setSelected((s) => {
      const n = new Set(s);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });
  };

  const startBatch = async () => {
    const ids = [...selected].sort();
    const joined = ids.join(",");
    if (intent.current?.ids !== joined) intent.current = { ids: joined, key: newIdempotencyKey("batch") };
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ batch: Batch }>("POST", "/batches", {
        body: { cardIds: ids },
        idempotencyKey: intent.current.key,
      });
      navigate(`/batches/${r.batch.id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  if (items.length === 0) return <Empty description={t("cards.empty")} />;

  return (
    <>
      {FAMILIES.map((family) => {
        const group = rows.filter((r) => r.item.card.family === family);
        if (group.length === 0) return null;
        return (
          <section key={family} className="zx-section" aria-labelledby={`family-${family}`}>
            <h2 id={`family-${family}`} className="zx-section-title">
              {family === "sim" ? <MobileOutlined aria-hidden /> : <CreditCardOutlined aria-hidden />}{" "}
              {t(`family.${family}`)} <span className="zx-count">{group.length}</span>
            </h2>
            <ul className="zx-card-list">
              {group.map((r) => (
                <CardRow
                  key={r.item.card.id}
                  row={r}
                  selected={selected.has(r.item.card.id)}
                  onToggle={(on) => toggle(r.item.card.id, on)}
                  selectionColumn={selectionColumn}
                />
              ))}
            </ul>
          </section>
        );
      })}
      {selected.size > 0 && (
        <section className="zx-batch-bar" aria-label={t("cards.batchRegion")}>
          <div className="zx-batch-bar-inner">
            <div>
              <strong>{t("cards.selectedCount", { count: selected.size })}</strong>
              {added.length > 0 && (
                <div className="zx-small">
                  {t("cards.addedDependants", {
                    names: added.map((r) => cardName(r.item.card, t, lang)).join(t("common.listSeparator")),
                  })}
                </div>
              )}
            </div>
            <Button type="primary" onClick={startBatch} loading={busy}>
              {t("cards.cancelSelected")}
            </Button>
          </div>
          {error !== null && <ErrorAlert error={error} onRetry={startBatch} className="zx-gap-top" />}
        </section>
      )}
    </>
  );
}

export default function CardsPage() {
  const { t } = useTranslation();
  const cards = useMyCards();
  return (
    <div className="zx-page">
      <h1 className="zx-title">{t("cards.title")}</h1>
      <p className="zx-lead">{t("cards.lead")}</p>
      <QueryState query={cards}>{(items) => <CardsView items={items} />}</QueryState>
    </div>
  );
}
