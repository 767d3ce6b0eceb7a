/**
 * Counter mode: identify the holder in person by their ID document, pick the card, confirm the
 * card is destroyed or returned (a deposit is refunded on return), file the application at once,
 * and print the receipt. For a SIM, the backup read off it at the counter (`zhuxiao card backup
 * --out <dir>`: contacts as vCard, messages as SMS Backup & Restore XML) can be attached: the
 * application is then created as a draft, the files attached (its backup step done), and submitted.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  List,
  Modal,
  Radio,
  Result,
  Select,
  Space,
  Tag,
  Upload,
} from "antd";
import { useRef, useState } from "react";
import { Link } from "react-router";
import type { Card as CardT } from "../api/types";
import { ErrorAlert } from "../components/error-alert";
import { formatFen } from "../lib/format";
import { apiUrl, newIdempotencyKey, staffApi } from "./api";
import { useConsoleT } from "./i18n";
import type { CardDetail, MaskedHolder, StaffApplication } from "./types";

/** The most files one backup may have (the API's limit). */
const MAX_BACKUP_FILES = 4;

interface BackupFile {
  name: string;
  content: string;
}

/** A plain file name the API accepts: letters, digits, dot, dash, underscore. */
function plainName(name: string): string {
  const cleaned = name.replace(/[^\w.-]+/g, "_").slice(-120);
  return cleaned || "backup";
}

const ID_TYPES = ["resident_id", "passport", "hk_macao_permit", "taiwan_permit", "foreign_permanent"];

interface Lookup {
  holder: MaskedHolder;
  cards: CardT[];
}

function StartDialog({
  card,
  onClose,
  onFiled,
}: {
  card: CardT;
  onClose: () => void;
  onFiled: (a: StaffApplication) => void;
}) {
  const { t, i18n } = useConsoleT();
  const [form] = Form.useForm();
  const key = useRef(newIdempotencyKey(`counter-${card.id}`));
  const esim = card.family === "sim" && card.kind === "esim";
  const [backupFiles, setBackupFiles] = useState<BackupFile[]>([]);
  const detail = useQuery({
    queryKey: ["console", "card", card.id],
    queryFn: () => staffApi<CardDetail>("GET", `/cards/${encodeURIComponent(card.id)}/eligibility`),
  });
  const file = useMutation({
    mutationFn: async (v: { physical: string; balanceOption?: string; backup: boolean; unbind: boolean }) => {
      const withBackup = backupFiles.length > 0;
      // Each call has its own key derived from the dialog's, so a retry of the whole sequence
      // replays the calls already made instead of repeating them.
      const created = await staffApi<{ created: boolean; application: StaffApplication }>(
        "POST",
        "/applications",
        {
          idempotencyKey: key.current,
          body: {
            cardId: card.id,
            submit: !withBackup,
            // An eSIM has no card to destroy or hand back.
            ...(esim
              ? { reason: "柜台办理" }
              : {
                  reason: v.physical === "returned" ? "柜台办理：卡片已交回" : "柜台办理：卡片已当面销毁",
                  cardDisposition: v.physical,
                }),
            ...(withBackup ? {} : { backup: { status: v.backup ? "done" : "waived", note: "counter" } }),
            ...(v.balanceOption ? { balanceOption: v.balanceOption } : {}),
            unbinding: (detail.data?.bindings ?? []).map((b) => ({
              bindingId: b.id,
              state: v.unbind ? "unbound" : "pending",
            })),
          },
        },
      );
      if (!withBackup || created.application.status !== "draft") return created.application;
      const id = encodeURIComponent(created.application.id);
      await staffApi("POST", `/applications/${id}/sim-backup`, {
        idempotencyKey: `${key.current}-backup`,
        body: { files: backupFiles },
      });
      const submitted = await staffApi<{ application: StaffApplication }>(
        "POST",
        `/applications/${id}/submit`,
        { idempotencyKey: `${key.current}-submit`, body: {} },
      );
      return submitted.application;
    },
    onSuccess: (a) => onFiled(a),
  });
  const e = detail.data?.eligibility;
  const lang = i18n.language;
  return (
    <Modal
      open
      title={t("counter.startTitle", { card: card.label })}
      okText={t("counter.submit")}
      cancelText={t("actions.cancel")}
      onCancel={onClose}
      confirmLoading={file.isPending}
      onOk={() => form.validateFields().then((v) => file.mutate(v))}
      width={620}
    >
      {detail.error && <ErrorAlert error={detail.error} />}
      {file.error && <ErrorAlert error={file.error} className="zxc-gap" />}
      {e && !e.eligible && (
        <Alert
          type="warning"
          className="zxc-gap"
          title={t("review.notEligible")}
          description={e.findings.map((f) => (lang === "en" ? f.message.en : f.message["zh-CN"])).join("；")}
        />
      )}
      <Form
        form={form}
        layout="vertical"
        name="counter-file"
        initialValues={{ physical: "destroyed", backup: false, unbind: false }}
      >
        <Form.Item
          name="physical"
          label={t("counter.physical")}
          extra={t("counter.physicalHint")}
          rules={[{ required: true }]}
          hidden={esim}
        >
          <Radio.Group>
            <Radio value="destroyed">{t("actions.how.destroyed")}</Radio>
            <Radio value="returned">
              {t("actions.how.returned")}
              {e && e.money.depositFen > 0
                ? ` · ${t("counter.deposit", { amount: formatFen(e.money.depositFen) })}`
                : ""}
            </Radio>
          </Radio.Group>
        </Form.Item>
        {e && e.balanceOptions.length > 0 && (
          <Form.Item name="balanceOption" label={t("counter.balanceOption")} rules={[{ required: true }]}>
            <Select options={e.balanceOptions.map((o) => ({ value: o, label: t(`balance.option.${o}`) }))} />
          </Form.Item>
        )}
        {card.family === "sim" && card.kind === "physical" && (
          <Form.Item label={t("counter.simBackup")} extra={t("counter.simBackupHint")}>
            <Upload
              multiple
              accept=".vcf,.xml,text/vcard,application/xml,text/xml"
              maxCount={MAX_BACKUP_FILES}
              beforeUpload={(f) => {
                void f
                  .text()
                  .then((content) =>
                    setBackupFiles((all) =>
                      [
                        ...all.filter((x) => x.name !== plainName(f.name)),
                        { name: plainName(f.name), content },
                      ].slice(0, MAX_BACKUP_FILES),
                    ),
                  );
                return false;
              }}
              onRemove={(f) => setBackupFiles((all) => all.filter((x) => x.name !== plainName(f.name)))}
            >
              <Button>{t("counter.simBackupChoose")}</Button>
            </Upload>
          </Form.Item>
        )}
        {backupFiles.length === 0 && (
          <Form.Item name="backup" valuePropName="checked">
            <Checkbox>{t("counter.backupDone")}</Checkbox>
          </Form.Item>
        )}
        {(detail.data?.bindings.length ?? 0) > 0 && (
          <Form.Item name="unbind" valuePropName="checked">
            <Checkbox>{t("counter.unbindDone", { count: detail.data?.bindings.length })}</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

export default function CounterPage() {
  const { t } = useConsoleT();
  const [selected, setSelected] = useState<CardT | null>(null);
  const [filed, setFiled] = useState<StaffApplication | null>(null);
  // Each look-up is an intent of its own: one key for the page would make the second holder's
  // look-up a reuse of the first one's key (IDEMPOTENCY_KEY_REUSED).
  const lookup = useMutation({
    mutationFn: (v: { idType: string; idNumber: string }) =>
      staffApi<Lookup>("POST", "/holders/lookup", {
        body: { idType: v.idType, idNumber: v.idNumber.trim() },
        idempotencyKey: newIdempotencyKey("lookup"),
      }),
  });

  return (
    <div className="zxc-page">
      <h1 className="zxc-h1">{t("counter.title")}</h1>
      <Card size="small" title={<h2 className="zxc-h2">{t("counter.identify")}</h2>} className="zxc-gap">
        <p className="zxc-muted">{t("counter.identifyHint")}</p>
        <Form
          layout="inline"
          name="holder-lookup"
          onFinish={(v) => lookup.mutate(v)}
          initialValues={{ idType: "resident_id" }}
        >
          <Form.Item name="idType" label={t("counter.idType")} rules={[{ required: true }]}>
            <Select
              style={{ width: 240 }}
              options={ID_TYPES.map((x) => ({ value: x, label: t(`counter.idTypes.${x}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="idNumber"
            label={t("counter.idNumber")}
            rules={[{ required: true, min: 4, max: 40 }]}
          >
            <Input style={{ width: 240 }} autoComplete="off" className="zxc-mono" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={lookup.isPending}>
            {t("counter.lookup")}
          </Button>
        </Form>
        {lookup.error && <ErrorAlert error={lookup.error} className="zxc-gap" />}
      </Card>

      {filed && (
        <Result
          status="success"
          title={t("counter.created", { number: filed.number })}
          extra={
            <Space>
              <Button type="primary" href={apiUrl(`/applications/${filed.id}/receipt.pdf`)} target="_blank">
                {t("counter.printReceipt")}
              </Button>
              <Link to={`/console/applications/${filed.id}`}>{t("counter.openApplication")}</Link>
            </Space>
          }
        />
      )}

      {lookup.data && (
        <Card size="small" className="zxc-gap" title={<h2 className="zxc-h2">{t("counter.holderFound")}</h2>}>
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t("review.name")}>{lookup.data.holder.name}</Descriptions.Item>
            <Descriptions.Item label={t("review.idNumber")}>
              <span className="zxc-mono">{lookup.data.holder.idNumber}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t("review.phone")}>
              <span className="zxc-mono">{lookup.data.holder.phone}</span>
            </Descriptions.Item>
          </Descriptions>
          <h3 className="zxc-h3">{t("counter.cards")}</h3>
          <List
            dataSource={lookup.data.cards}
            locale={{ emptyText: t("counter.noCards") }}
            renderItem={(c) => (
              <List.Item
                actions={[
                  <Button key="go" disabled={c.status === "cancelled"} onClick={() => setSelected(c)}>
                    {t("counter.start")}
                  </Button>,
                ]}
              >
                <List.Item.Meta
                  title={c.label}
                  description={
                    <span>
                      {t(`card.kind.${c.kind}`)} ·{" "}
                      <span className="zxc-mono">{c.msisdn ?? c.cardNumber ?? c.iccid ?? ""}</span>{" "}
                      <Tag>{t(`card.status.${c.status}`)}</Tag>
                    </span>
                  }
                />
              </List.Item>
            )}
          />
        </Card>
      )}
      {selected && (
        <StartDialog
          card={selected}
          onClose={() => setSelected(null)}
          onFiled={(a) => {
            setFiled(a);
            setSelected(null);
            // The card's status changed: list the holder's cards again.
            if (lookup.variables) lookup.mutate(lookup.variables);
          }}
        />
      )}
    </div>
  );
}
