/**
 * Eligibility findings as the holder reads them: what stands in the way (or is worth knowing), and
 * what to do about it, in the holder's language as the server worded it.
 */
import { ExclamationCircleFilled, InfoCircleFilled, ShopFilled } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import type { Finding, Lang } from "../api/types";
import { localized } from "../lib/format";

const ICON = {
  blocker: <ExclamationCircleFilled className="zx-sev-blocker" aria-hidden />,
  counter: <ShopFilled className="zx-sev-counter" aria-hidden />,
  notice: <InfoCircleFilled className="zx-sev-notice" aria-hidden />,
};

export function FindingList({ findings, compact = false }: { findings: Finding[]; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  if (findings.length === 0) return null;
  return (
    <ul className={`zx-findings${compact ? " zx-findings-compact" : ""}`}>
      {findings.map((f, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a static list where one code may appear twice.
        <li key={`${f.code}-${i}`} className={`zx-finding zx-finding-${f.severity}`} data-finding={f.code}>
          {ICON[f.severity]}
          <div>
            <div className="zx-finding-message">
              <span className="zx-sr-only">{t(`severity.${f.severity}`)}: </span>
              {localized(f.message, lang)}
            </div>
            <div className="zx-finding-action">{localized(f.action, lang)}</div>
          </div>
        </li>
      ))}
    </ul>
  );
}
