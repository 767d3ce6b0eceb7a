/**
 * SIM step 2, unbind: a checklist of the services the number is known to be bound to. Each is
 * ticked as unbound, or skipped with a reason; the national services cover what is not listed.
 */
import { Button, Input, Progress, Radio, Tag } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Lang, UnbindingItem } from "../api/types";
import { ErrorAlert } from "../components/error-alert";
import { NationalServices } from "./national-services";
import type { StepProps } from "./step-props";

type State = UnbindingItem["state"];

export default function UnbindStep({ detail, draft, save, next }: StepProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const saved = useMemo(() => new Map((draft?.unbinding ?? []).map((u) => [u.bindingId, u])), [draft]);
  const [items, setItems] = useState<Record<string, { state: State; reason: string }>>(() =>
    Object.fromEntries(
      detail.bindings.map((b) => {
        const u = saved.get(b.id);
        return [b.id, { state: u?.state ?? "pending", reason: u?.reason ?? "" }];
      }),
    ),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState<Set<string>>(new Set());

  const resolved = Object.values(items).filter((i) => i.state !== "pending").length;
  const total = detail.bindings.length;

  const set = (id: string, patch: Partial<{ state: State; reason: string }>) => {
    setItems((cur) => ({ ...cur, [id]: { ...cur[id]!, ...patch } }));
    setMissing((m) => {
      if (!m.has(id)) return m;
      const n = new Set(m);
      n.delete(id);
      return n;
    });
  };

  const submit = async () => {
    const noReason = Object.entries(items)
      .filter(([, v]) => v.state === "skipped" && !v.reason.trim())
      .map(([k]) => k);
    if (noReason.length > 0) {
      setMissing(new Set(noReason));
      document.getElementById(`reason-${noReason[0]}`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await save({
        unbinding: Object.entries(items).map(([bindingId, v]) =>
          v.state === "skipped"
            ? { bindingId, state: v.state, reason: v.reason.trim() }
            : { bindingId, state: v.state },
        ),
      });
      if (resolved === total) next();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <p>{t("unbind.intro")}</p>
      {total === 0 ? (
        <p className="zx-muted">{t("unbind.none")}</p>
      ) : (
        <>
          <div className="zx-progress-row">
            <Progress
              percent={Math.round((resolved / total) * 100)}
              showInfo={false}
              size="small"
              aria-hidden
              className="zx-grow"
            />
            <span aria-live="polite">{t("unbind.progress", { done: resolved, total })}</span>
          </div>
          <ul className="zx-checklist">
            {detail.bindings.map((b) => {
              const v = items[b.id]!;
              const name = lang === "en" ? b.nameEn : b.nameZh;
              return (
                <li key={b.id} className="zx-check-item" data-binding={b.service}>
                  <div className="zx-check-head">
                    <div>
                      <span className="zx-strong">{name}</span>{" "}
                      <Tag>{t(`unbind.category.${b.category}`, { defaultValue: b.category })}</Tag>
                    </div>
                    <Radio.Group
                      optionType="button"
                      size="small"
                      value={v.state}
                      onChange={(e) => set(b.id, { state: e.target.value })}
                      aria-label={t("unbind.stateLabel", { name })}
                      options={[
                        { value: "pending", label: t("unbind.state.pending") },
                        { value: "unbound", label: t("unbind.state.unbound") },
                        { value: "skipped", label: t("unbind.state.skipped") },
                      ]}
                    />
                  </div>
                  <div className="zx-muted zx-small">
                    {t(`unbind.how.${b.category}`, { defaultValue: t("unbind.how.other") })}
                  </div>
                  {v.state === "skipped" && (
                    <div className="zx-gap-top">
                      <label htmlFor={`reason-${b.id}`} className="zx-label">
                        {t("unbind.reasonLabel", { name })}
                      </label>
                      <Input
                        id={`reason-${b.id}`}
                        value={v.reason}
                        maxLength={300}
                        onChange={(e) => set(b.id, { reason: e.target.value })}
                        placeholder={t("unbind.reasonPlaceholder")}
                        status={missing.has(b.id) ? "error" : undefined}
                        aria-invalid={missing.has(b.id)}
                      />
                      {missing.has(b.id) && (
                        <div className="zx-field-error" role="alert">
                          {t("unbind.reasonRequired")}
                        </div>
                      )}
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      <NationalServices />
      {error !== null && <ErrorAlert error={error} onRetry={submit} className="zx-gap" />}
      <div className="zx-actions">
        {total > 0 ? (
          <Button type="primary" onClick={submit} loading={busy}>
            {resolved === total ? t("common.saveAndContinue") : t("unbind.saveProgress")}
          </Button>
        ) : (
          <Button type="primary" onClick={next}>
            {t("common.continue")}
          </Button>
        )}
      </div>
    </div>
  );
}
