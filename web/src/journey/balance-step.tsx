/**
 * SIM step 5, settle the balance: the amounts (refundable, gifted, deposit) explained, and the
 * holder's choice among the options the rules allow. The money moves during processing, once.
 */
import { CheckCircleFilled } from "@ant-design/icons";
import { Button } from "antd";
import { useTranslation } from "react-i18next";
import { formatFen, maskPhone } from "../lib/format";
import { BalanceChoice } from "./balance-choice";
import { MoneySummary } from "./money-summary";
import type { StepProps } from "./step-props";

export default function BalanceStep({ detail, eligibility, draft, save, goTo, next }: StepProps) {
  const { t } = useTranslation();
  const m = eligibility.money;
  const chosen = draft?.balanceOption;

  return (
    <div>
      <p>{t("balance.intro")}</p>
      <MoneySummary money={m} />
      {m.refundableFen <= 0 ? (
        <>
          <p>{t("balance.nothingToSettle")}</p>
          <div className="zx-actions">
            <Button type="primary" onClick={next}>
              {t("common.continue")}
            </Button>
          </div>
        </>
      ) : (
        <>
          {chosen && (
            <p className="zx-ok" role="status">
              <CheckCircleFilled aria-hidden />{" "}
              {t("balance.recorded", {
                option: t(`balance.option.${chosen}`),
                amount: formatFen(m.refundableFen),
                target: draft?.transferTo ? maskPhone(draft.transferTo) : "",
              })}
            </p>
          )}
          <BalanceChoice
            idPrefix="balance"
            options={eligibility.balanceOptions}
            refundableFen={m.refundableFen}
            ownNumber={detail.card.msisdn}
            current={draft}
            saveLabel={t("balance.saveAndReview")}
            onSave={async (v) => {
              await save(v);
              // Chosen before filing: back to the review, where the application is submitted.
              goTo("submit");
            }}
          />
        </>
      )}
    </div>
  );
}
