/**
 * The holder's word on the backup: done, or waived with a reason. Nothing irreversible happens
 * until one of the two is recorded.
 */
import { Button, Input, Radio } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Application } from "../api/types";
import { ErrorAlert } from "../components/error-alert";

export function BackupChoice({
  current,
  onSave,
  saveLabel,
  idPrefix,
}: {
  current: Application["backup"] | null;
  onSave: (b: { status: "done" | "waived"; note?: string }) => Promise<unknown>;
  saveLabel?: string;
  idPrefix: string;
}) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<"done" | "waived" | null>(
    current?.status === "done" || current?.status === "waived" ? current.status : null,
  );
  const [note, setNote] = useState(current?.note ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missingReason, setMissingReason] = useState(false);

  const submit = async () => {
    if (!status) return;
    if (status === "waived" && !note.trim()) {
      setMissingReason(true);
      document.getElementById(`${idPrefix}-reason`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSave(status === "waived" ? { status, note: note.trim() } : { status });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset className="zx-fieldset">
      <legend className="zx-legend">{t("backup.confirmLegend")}</legend>
      <Radio.Group
        value={status}
        onChange={(e) => {
          setStatus(e.target.value);
          setMissingReason(false);
        }}
        className="zx-radio-stack"
      >
        <Radio value="done">{t("backup.done")}</Radio>
        <Radio value="waived">{t("backup.waive")}</Radio>
      </Radio.Group>
      {status === "waived" && (
        <div className="zx-gap-top">
          <label htmlFor={`${idPrefix}-reason`} className="zx-label">
            {t("backup.reasonLabel")}
          </label>
          <Input.TextArea
            id={`${idPrefix}-reason`}
            value={note}
            onChange={(e) => {
              setNote(e.target.value);
              setMissingReason(false);
            }}
            maxLength={500}
            showCount
            autoSize={{ minRows: 2, maxRows: 5 }}
            placeholder={t("backup.reasonPlaceholder")}
            status={missingReason ? "error" : undefined}
            aria-invalid={missingReason}
            aria-describedby={missingReason ? `${idPrefix}-reason-error` : undefined}
          />
          {missingReason && (
            <div id={`${idPrefix}-reason-error`} className="zx-field-error" role="alert">
              {t("backup.reasonRequired")}
            </div>
          )}
        </div>
      )}
      {error !== null && <ErrorAlert error={error} onRetry={submit} className="zx-gap-top" />}
      <div className="zx-actions">
        <Button type="primary" onClick={submit} loading={busy} disabled={!status}>
          {saveLabel ?? t("common.saveAndContinue")}
        </Button>
      </div>
    </fieldset>
  );
}
