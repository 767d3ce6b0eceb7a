/**
 * A cancelled SIM's number waits in quarantine (号码冷冻期) before it can be reissued; until then
 * its former holder can take it back. The old SIM stays cancelled: a new card is issued for the
 * number at a store. Asked for with a confirmation, and sent with one idempotency key per intent.
 */
import { UndoOutlined } from "@ant-design/icons";
import { Alert, Button, Modal } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, newIdempotencyKey } from "../api/client";
import { keys, queryClient } from "../api/queries";
import type { Card, Lang } from "../api/types";
import { ErrorAlert } from "../components/error-alert";
import { formatDate, maskPhone } from "../lib/format";

export function restorable(card: Card, now = Date.now()): boolean {
  return (
    card.family === "sim" &&
    card.numberStatus === "quarantined" &&
    card.quarantineUntil !== null &&
    Date.parse(card.quarantineUntil) > now
  );
}

export function RestoreNumber({ card }: { card: Card }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const key = useRef<string | null>(null);

  if (card.numberStatus === "restored") {
    return (
      <Alert
        className="zx-gap"
        type="success"
        showIcon
        role="status"
        data-testid="number-restored"
        title={t("restore.doneTitle", { number: maskPhone(card.msisdn ?? "") })}
        description={t("restore.doneHint")}
      />
    );
  }
  if (!restorable(card)) return null;

  const confirm = async () => {
    key.current ??= newIdempotencyKey("restore");
    setBusy(true);
    setError(null);
    try {
      await api("POST", `/cards/${encodeURIComponent(card.id)}/restore-number`, {
        body: {},
        idempotencyKey: key.current,
      });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: keys.cards }),
        queryClient.invalidateQueries({ queryKey: keys.card(card.id) }),
        queryClient.invalidateQueries({ queryKey: ["application"] }),
      ]);
      setOpen(false);
      key.current = null;
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const until = formatDate(card.quarantineUntil!, lang);
  return (
    <section className="zx-panel zx-gap" aria-labelledby={`restore-${card.id}`}>
      <h2 id={`restore-${card.id}`} className="zx-subtitle">
        {t("restore.title")}
      </h2>
      <p>{t("restore.explain", { number: maskPhone(card.msisdn ?? ""), date: until })}</p>
      <Button icon={<UndoOutlined aria-hidden />} onClick={() => setOpen(true)}>
        {t("restore.action")}
      </Button>
      <Modal
        open={open}
        title={t("restore.confirmTitle", { number: maskPhone(card.msisdn ?? "") })}
        okText={t("restore.confirm")}
        okButtonProps={{ loading: busy }}
        cancelText={t("restore.keep")}
        onOk={confirm}
        onCancel={() => {
          setOpen(false);
          setError(null);
        }}
      >
        <p>{t("restore.confirmExplain")}</p>
        {error !== null && <ErrorAlert error={error} className="zx-gap-top" />}
      </Modal>
    </section>
  );
}
