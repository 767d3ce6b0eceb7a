/**
 * What happens to the money left on the card, among the options the provider's rules allow:
 * refund, transfer to another number (checked here and again by the server), spend it first, or
 * forfeit it (confirmed, since it cannot be undone).
 */
import { Button, Checkbox, Input, Radio } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Application, BalanceOption } from "../api/types";
import { ErrorAlert } from "../components/error-alert";
import { MOBILE } from "../components/phone-code-fields";
import { formatFen, maskPhone } from "../lib/format";

export function BalanceChoice({
  options,
  refundableFen,
  ownNumber,
  current,
  onSave,
  idPrefix,
  saveLabel,
}: {
  options: BalanceOption[];
  refundableFen: number;
  ownNumber: string | null;
  current: Pick<Application, "balanceOption" | "transferTo"> | null;
  onSave: (v: { balanceOption: BalanceOption; transferTo?: string }) => Promise<unknown>;
  idPrefix: string;
  saveLabel?: string;
}) {
  const { t } = useTranslation();
  const [option, setOption] = useState<BalanceOption | null>(current?.balanceOption ?? null);
  const [target, setTarget] = useState("");
  const [confirmForfeit, setConfirmForfeit] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const amount = formatFen(refundableFen);

  const submit = async () => {
    if (!option) return;
    setFieldError(null);
    let transferTo: string | undefined;
    if (option === "transfer") {
      const n = target.replace(/[\s-]/g, "");
      if (!n && current?.balanceOption === "transfer" && current.transferTo) {
        transferTo = undefined; // keep the number already on file
      } else if (!MOBILE.test(n)) {
        setFieldError(t("balance.transferInvalid"));
        document.getElementById(`${idPrefix}-transfer`)?.focus();
        return;
      } else if (ownNumber && n === ownNumber.replace(/\D/g, "")) {
        setFieldError(t("balance.transferSelf"));
        document.getElementById(`${idPrefix}-transfer`)?.focus();
        return;
      } else {
        transferTo = n;
      }
    }
    if (option === "forfeit" && !confirmForfeit) {
      setFieldError(t("balance.forfeitConfirmRequired"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSave(transferTo ? { balanceOption: option, transferTo } : { balanceOption: option });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset className="zx-fieldset">
      <legend className="zx-legend">{t("balance.legend", { amount })}</legend>
      <Radio.Group
        value={option}
        onChange={(e) => {
          setOption(e.target.value);
          setFieldError(null);
        }}
        className="zx-radio-stack"
      >
        {options.map((o) => (
          <Radio key={o} value={o}>
            <span className="zx-strong">{t(`balance.option.${o}`)}</span>
            <div className="zx-muted zx-small">{t(`balance.optionHint.${o}`, { amount })}</div>
          </Radio>
        ))}
      </Radio.Group>
      {option === "transfer" && (
        <div className="zx-gap-top">
          <label htmlFor={`${idPrefix}-transfer`} className="zx-label">
            {t("balance.transferLabel")}
          </label>
          <Input
            id={`${idPrefix}-transfer`}
            type="tel"
            inputMode="numeric"
            maxLength={13}
            value={target}
            onChange={(e) => {
              setTarget(e.target.value);
              setFieldError(null);
            }}
            placeholder={
              current?.transferTo
                ? t("balance.transferOnFile", { number: maskPhone(current.transferTo) })
                : "13800000000"
            }
            status={fieldError ? "error" : undefined}
            aria-invalid={Boolean(fieldError)}
            className="zx-input-phone"
          />
        </div>
      )}
      {option === "forfeit" && (
        <Checkbox
          className="zx-gap-top"
          checked={confirmForfeit}
          onChange={(e) => {
            setConfirmForfeit(e.target.checked);
            setFieldError(null);
          }}
        >
          {t("balance.forfeitConfirm", { amount })}
        </Checkbox>
      )}
      {fieldError && (
        <div className="zx-field-error" role="alert">
          {fieldError}
        </div>
      )}
      {error !== null && <ErrorAlert error={error} onRetry={submit} className="zx-gap-top" />}
      <div className="zx-actions">
        <Button type="primary" onClick={submit} loading={busy} disabled={!option}>
          {saveLabel ?? t("common.save")}
        </Button>
      </div>
    </fieldset>
  );
}
