/**
 * Step 1, back up: what the provider can export for this card (downloads), what has to be saved
 * elsewhere and how, and the holder's confirmation or reasoned waiver.
 */
import { CheckCircleFilled, DownloadOutlined, FileTextOutlined, InfoCircleOutlined } from "@ant-design/icons";
import { Alert, Button } from "antd";
import { useTranslation } from "react-i18next";
import { useBackup } from "../api/queries";
import type { Lang } from "../api/types";
import { QueryState } from "../components/query-state";
import { localized } from "../lib/format";
import { BackupChoice } from "./backup-choice";
import type { StepProps } from "./step-props";

export default function BackupStep({ detail, draft, save, next, canFile }: StepProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const backup = useBackup(detail.card.id);
  const sim = detail.card.family === "sim";

  return (
    <div>
      <p>{sim ? t("backup.introSim") : t("backup.introSmart")}</p>
      <QueryState query={backup} rows={3}>
        {(items) => (
          <ul className="zx-backup-list">
            {items.map((item) => (
              <li key={item.kind} className="zx-backup-item">
                <FileTextOutlined aria-hidden className="zx-backup-icon" />
                <div className="zx-grow">
                  <div className="zx-strong">{t(`backup.kind.${item.kind}`)}</div>
                  <div className="zx-muted">{localized(item.note, lang)}</div>
                </div>
                {item.available && item.href ? (
                  <Button
                    href={item.href}
                    download
                    icon={<DownloadOutlined aria-hidden />}
                    aria-label={t("backup.downloadLabel", { what: t(`backup.kind.${item.kind}`) })}
                  >
                    {typeof item.count === "number"
                      ? t("backup.downloadCount", { count: item.count })
                      : t("backup.download")}
                  </Button>
                ) : (
                  <span className="zx-muted zx-small">{t("backup.notOnline")}</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      {sim && (
        <Alert
          className="zx-gap"
          type="info"
          showIcon
          icon={<InfoCircleOutlined aria-hidden />}
          title={t("backup.phoneTipTitle")}
          description={t("backup.phoneTip")}
        />
      )}
      {draft && draft.backup.status !== "pending" && (
        <p className="zx-ok" role="status">
          <CheckCircleFilled aria-hidden />{" "}
          {draft.backup.status === "done"
            ? t("backup.recordedDone")
            : t("backup.recordedWaived", { note: draft.backup.note ?? "" })}
        </p>
      )}
      {canFile ? (
        <BackupChoice
          idPrefix="backup"
          current={draft?.backup ?? null}
          onSave={async (b) => {
            await save({ backup: b });
            next();
          }}
        />
      ) : (
        <p className="zx-muted">{t("backup.lockedUntilClear")}</p>
      )}
    </div>
  );
}
