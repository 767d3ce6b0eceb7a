/**
 * The last step: the provider has cancelled the card; the holder destroys it (or deletes the eSIM
 * profile) and declares so, which closes the application.
 */
import { Button, Checkbox, Radio } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, newIdempotencyKey } from "../api/client";
import { invalidateApplication } from "../api/queries";
import type { Application, Card } from "../api/types";
import { ErrorAlert } from "../components/error-alert";
import { DestroyGuide, type DestroyMethod, destroyMethods } from "../journey/destroy-guide";

export function DestroyPanel({ application, card }: { application: Application; card: Card }) {
  const { t } = useTranslation();
  const methods = destroyMethods(card);
  const [method, setMethod] = useState<DestroyMethod>(methods[0]!);
  const [declared, setDeclared] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const key = useRef<string | null>(null);

  const close = async () => {
    key.current ??= newIdempotencyKey("close");
    setBusy(true);
    setError(null);
    try {
      await api("POST", `/applications/${application.id}/close`, {
        body: { how: "declared", comment: t(`destroy.method.${method}`) },
        idempotencyKey: key.current,
      });
      await invalidateApplication(application.id, application.cardId);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="zx-destroy" aria-labelledby="destroy-title">
      <h2 id="destroy-title" className="zx-subtitle">
        {t("destroy.title")}
      </h2>
      <p>{t("destroy.intro")}</p>
      <DestroyGuide card={card} />
      {methods.length > 1 && (
        <fieldset className="zx-fieldset">
          <legend className="zx-legend">{t("destroy.methodLegend")}</legend>
          <Radio.Group value={method} onChange={(e) => setMethod(e.target.value)} className="zx-radio-stack">
            {methods.map((m) => (
              <Radio key={m} value={m}>
                {t(`destroy.method.${m}`)}
              </Radio>
            ))}
          </Radio.Group>
        </fieldset>
      )}
      <Checkbox checked={declared} onChange={(e) => setDeclared(e.target.checked)} className="zx-ack">
        {t(`destroy.declaration.${card.kind === "esim" ? "esim" : "card"}`)}
      </Checkbox>
      {error !== null && <ErrorAlert error={error} onRetry={close} className="zx-gap-top" />}
      <div className="zx-actions">
        <Button type="primary" onClick={close} loading={busy} disabled={!declared}>
          {t("destroy.submit")}
        </Button>
      </div>
    </section>
  );
}
