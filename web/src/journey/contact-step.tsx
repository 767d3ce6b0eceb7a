/**
 * "Contact the provider": everything the provider's rules say about this card — what blocks it and
 * how to clear it, what sends it to a counter, the money involved, and what filing will need.
 * The steps that follow stay locked until nothing blocks.
 */
import { CheckCircleFilled, ReloadOutlined } from "@ant-design/icons";
import { Alert, Button, Descriptions } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { keys, queryClient } from "../api/queries";
import type { Lang } from "../api/types";
import { BookingLink } from "../booking/booking-link";
import { FindingList } from "../components/finding-list";
import { formatDate, formatDateTime, formatFen } from "../lib/format";
import type { StepProps } from "./step-props";

export default function ContactStep({ detail, eligibility, next, canFile }: StepProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [checking, setChecking] = useState(false);
  const by = (s: string) => eligibility.findings.filter((f) => f.severity === s);
  const blockers = by("blocker");
  const counter = by("counter");
  const notices = by("notice");
  const provider = lang === "en" ? detail.provider.nameEn : detail.provider.nameZh;
  const m = eligibility.money;

  const recheck = async () => {
    setChecking(true);
    try {
      await queryClient.invalidateQueries({ queryKey: keys.card(detail.card.id) });
      await queryClient.invalidateQueries({ queryKey: keys.cards });
    } finally {
      setChecking(false);
    }
  };

  return (
    <div>
      <p>{t("contact.intro", { provider })}</p>
      <p className="zx-muted zx-small">
        {t("contact.checkedAt", { time: formatDateTime(eligibility.evaluatedAt, lang) })}{" "}
        <Button
          type="link"
          size="small"
          icon={<ReloadOutlined aria-hidden />}
          onClick={recheck}
          loading={checking}
        >
          {t("contact.recheck")}
        </Button>
      </p>

      {blockers.length > 0 && (
        <section aria-labelledby="blockers-title" className="zx-gap">
          <h3 id="blockers-title" className="zx-subtitle zx-danger">
            {t("contact.blockersTitle", { count: blockers.length })}
          </h3>
          <p className="zx-muted">{t("contact.blockersHint")}</p>
          <FindingList findings={blockers} />
        </section>
      )}
      {counter.length > 0 && (
        <section aria-labelledby="counter-title" className="zx-gap">
          <h3 id="counter-title" className="zx-subtitle zx-warning">
            {t("contact.counterTitle")}
          </h3>
          <FindingList findings={counter} />
          <p className="zx-gap-top">
            <BookingLink providerId={detail.provider.id} cardId={detail.card.id} />
          </p>
        </section>
      )}
      {blockers.length === 0 && counter.length === 0 && (
        <Alert
          type="success"
          showIcon
          icon={<CheckCircleFilled aria-hidden />}
          title={t("contact.clear")}
          className="zx-gap"
        />
      )}
      {notices.length > 0 && (
        <section aria-labelledby="notices-title" className="zx-gap">
          <h3 id="notices-title" className="zx-subtitle">
            {t("contact.noticesTitle")}
          </h3>
          <FindingList findings={notices} />
        </section>
      )}

      <h3 className="zx-subtitle zx-gap">{t("contact.requirementsTitle")}</h3>
      <Descriptions column={1} size="small" bordered className="zx-descriptions">
        <Descriptions.Item label={t("contact.channel")}>
          {eligibility.channel === "online" ? t("contact.channelOnline") : t("contact.channelCounter")}
        </Descriptions.Item>
        <Descriptions.Item label={t("contact.documents")}>
          {eligibility.requiredDocuments.length === 0
            ? t("contact.noDocuments")
            : eligibility.requiredDocuments
                .map((k) => t(`documents.kind.${k}`))
                .join(t("common.listSeparator"))}
        </Descriptions.Item>
        <Descriptions.Item label={t("contact.timings")}>
          {eligibility.timings.map((k) => t(`timing.${k}`)).join(t("common.listSeparator"))}
        </Descriptions.Item>
        <Descriptions.Item label={t("contact.sla")}>
          {t("contact.slaDays", { count: detail.rules.slaDays.value })}
        </Descriptions.Item>
        {detail.card.family === "sim" && (
          <Descriptions.Item label={t("contact.quarantine")}>
            {t("contact.quarantineDays", { count: detail.rules.quarantineDays.value })}
          </Descriptions.Item>
        )}
        {m.refundableFen > 0 && (
          <Descriptions.Item label={t("money.refundable")}>{formatFen(m.refundableFen)}</Descriptions.Item>
        )}
        {m.giftedForfeitFen > 0 && (
          <Descriptions.Item label={t("money.gifted")}>{formatFen(m.giftedForfeitFen)}</Descriptions.Item>
        )}
        {m.depositFen > 0 && (
          <Descriptions.Item label={t("money.deposit")}>{formatFen(m.depositFen)}</Descriptions.Item>
        )}
        {m.terminationFeeFen > 0 && (
          <Descriptions.Item label={t("money.terminationFee")}>
            {formatFen(m.terminationFeeFen)}
          </Descriptions.Item>
        )}
        {m.payableFen > 0 && (
          <Descriptions.Item label={t("money.payable")}>{formatFen(m.payableFen)}</Descriptions.Item>
        )}
        {detail.lockIns.map((l) => (
          <Descriptions.Item
            key={`${l.kind}-${l.termEnd}`}
            label={t(`lockIn.${l.kind}`, { defaultValue: l.kind })}
          >
            {t("contact.lockInUntil", {
              date: formatDate(l.termEnd, lang),
              fee: formatFen(l.terminationFeeFen),
            })}
          </Descriptions.Item>
        ))}
      </Descriptions>

      <div className="zx-actions">
        <Button type="primary" onClick={next} disabled={!canFile}>
          {t("common.continue")}
        </Button>
        {!canFile && (
          <span className="zx-muted zx-small">
            {t(eligibility.eligible ? "contact.counterOnlyHint" : "contact.lockedHint")}
          </span>
        )}
      </div>
    </div>
  );
}
