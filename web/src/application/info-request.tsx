/** Staff asked for something: the question and the holder's answer, in place. */
import { Alert, Button, Input } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, newIdempotencyKey } from "../api/client";
import { invalidateApplication } from "../api/queries";
import type { Application } from "../api/types";
import { ErrorAlert } from "../components/error-alert";

export function InfoRequest({ application }: { application: Application }) {
  const { t } = useTranslation();
  const [answer, setAnswer] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [empty, setEmpty] = useState(false);
  const key = useRef<{ text: string; key: string } | null>(null);

  const send = async () => {
    const text = answer.trim();
    if (!text) {
      setEmpty(true);
      document.getElementById("info-answer")?.focus();
      return;
    }
    if (key.current?.text !== text) key.current = { text, key: newIdempotencyKey("supply-info") };
    setBusy(true);
    setError(null);
    try {
      await api("POST", `/applications/${application.id}/supply_info`, {
        body: { response: text },
        idempotencyKey: key.current.key,
      });
      await invalidateApplication(application.id, application.cardId);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="zx-info-request" aria-labelledby="info-title">
      <Alert
        type="warning"
        showIcon
        title={<span id="info-title">{t("progress.infoTitle")}</span>}
        description={<p className="zx-quote">{application.infoRequest}</p>}
      />
      <label htmlFor="info-answer" className="zx-label zx-gap-top">
        {t("progress.infoAnswer")}
      </label>
      <Input.TextArea
        id="info-answer"
        value={answer}
        onChange={(e) => {
          setAnswer(e.target.value);
          setEmpty(false);
        }}
        maxLength={2000}
        showCount
        autoSize={{ minRows: 3, maxRows: 8 }}
        status={empty ? "error" : undefined}
        aria-invalid={empty}
      />
      {empty && (
        <div className="zx-field-error" role="alert">
          {t("progress.infoEmpty")}
        </div>
      )}
      {error !== null && <ErrorAlert error={error} onRetry={send} className="zx-gap-top" />}
      <div className="zx-actions">
        <Button type="primary" onClick={send} loading={busy}>
          {t("progress.infoSend")}
        </Button>
      </div>
    </section>
  );
}
