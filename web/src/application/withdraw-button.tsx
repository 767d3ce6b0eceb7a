/** Withdraw an application while that is still allowed, after an explicit confirmation. */
import { RollbackOutlined } from "@ant-design/icons";
import { Button, Input, Modal } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, newIdempotencyKey } from "../api/client";
import { invalidateApplication } from "../api/queries";
import type { Application } from "../api/types";
import { ErrorAlert } from "../components/error-alert";

export function WithdrawButton({ application }: { application: Application }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const key = useRef<string | null>(null);

  const confirm = async () => {
    key.current ??= newIdempotencyKey("withdraw");
    setBusy(true);
    setError(null);
    try {
      await api("POST", `/applications/${application.id}/withdraw`, {
        body: comment.trim() ? { comment: comment.trim() } : {},
        idempotencyKey: key.current,
      });
      await invalidateApplication(application.id, application.cardId);
      setOpen(false);
      key.current = null;
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button danger icon={<RollbackOutlined aria-hidden />} onClick={() => setOpen(true)}>
        {t("progress.withdraw")}
      </Button>
      <Modal
        open={open}
        title={t("progress.withdrawTitle", { number: application.number })}
        okText={t("progress.withdrawConfirm")}
        okButtonProps={{ danger: true, loading: busy }}
        cancelText={t("progress.withdrawKeep")}
        onOk={confirm}
        onCancel={() => {
          setOpen(false);
          setError(null);
        }}
      >
        <p>{t("progress.withdrawExplain")}</p>
        <label htmlFor="withdraw-comment" className="zx-label">
          {t("progress.withdrawReason")}
        </label>
        <Input.TextArea
          id="withdraw-comment"
          value={comment}
          onChange={(e) => {
            setComment(e.target.value);
            key.current = null;
          }}
          maxLength={1000}
          autoSize={{ minRows: 2, maxRows: 4 }}
        />
        {error !== null && <ErrorAlert error={error} className="zx-gap-top" />}
      </Modal>
    </>
  );
}
