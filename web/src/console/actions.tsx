/**
 * The staff actions on one application: start review, approve (confirmed), reject with a reason
 * code (confirmed), request information and close with how the card ended.
 * Each dialog is one intent with one Idempotency-Key, kept across retries of that intent.
 * A failed application is retried from its processing view, beside the step that failed.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space } from "antd";
import { useRef, useState } from "react";
import { ErrorAlert } from "../components/error-alert";
import { newIdempotencyKey, staffApi } from "./api";
import { useConsoleT } from "./i18n";
import type { StaffApplication } from "./types";

const REJECT_REASONS = [
  "identity_mismatch",
  "documents_unreadable",
  "documents_missing",
  "blocker_not_cleared",
  "proxy_not_authorised",
  "duplicate",
  "other",
];
const HOW = ["destroyed", "returned", "profile_deleted", "declared"];

type Action = "start_review" | "approve" | "reject" | "request_info" | "retry" | "close";

export function useAct(a: StaffApplication) {
  const qc = useQueryClient();
  const keys = useRef(new Map<string, string>());
  const mutation = useMutation({
    mutationFn: ({ action, body, intent }: { action: Action; body: object; intent: string }) => {
      let key = keys.current.get(intent);
      if (!key) {
        key = newIdempotencyKey(`${action}-${a.id}`);
        keys.current.set(intent, key);
      }
      return staffApi<{ application: StaffApplication }>("POST", `/applications/${a.id}/${action}`, {
        body,
        idempotencyKey: key,
      });
    },
    onSuccess: (_r, v) => {
      keys.current.delete(v.intent);
      qc.invalidateQueries({ queryKey: ["console"] });
    },
  });
  return mutation;
}

export function ActionBar({ application: a }: { application: StaffApplication }) {
  const { t } = useConsoleT();
  const { message, modal } = App.useApp();
  const act = useAct(a);
  const [dialog, setDialog] = useState<null | "reject" | "request_info" | "close">(null);
  const [form] = Form.useForm();
  const allowed = (x: Action) => a.allowedTransitions.includes(x);
  const run = (action: Action, body: object = {}, intent: string = action) =>
    act.mutateAsync({ action, body, intent }).then(() => {
      message.success(t("actions.done", { what: t(`actions.${action}`) }));
      setDialog(null);
      form.resetFields();
    });

  const any = (["start_review", "approve", "reject", "request_info", "close"] as Action[]).some(allowed);

  return (
    <section className="zxc-actions" aria-label={t("actions.title")}>
      {act.error && !dialog && <ErrorAlert error={act.error} className="zxc-gap" />}
      {!any && <span className="zxc-muted">{t("actions.none")}</span>}
      <Space wrap>
        {allowed("start_review") && (
          <Button
            onClick={() => run("start_review").catch(() => undefined)}
            loading={act.isPending}
            data-action="start_review"
          >
            {t("actions.start_review")}
          </Button>
        )}
        {allowed("approve") && (
          <Popconfirm
            title={t("actions.approve")}
            description={
              <div className="zxc-confirm">{t("actions.approveConfirm", { number: a.number })}</div>
            }
            okText={t("actions.confirm")}
            cancelText={t("actions.cancel")}
            onConfirm={() => run("approve").catch(() => undefined)}
          >
            <Button type="primary" data-action="approve" loading={act.isPending}>
              {t("actions.approve")}
            </Button>
          </Popconfirm>
        )}
        {allowed("request_info") && (
          <Button onClick={() => setDialog("request_info")} data-action="request_info">
            {t("actions.request_info")}
          </Button>
        )}
        {allowed("reject") && (
          <Button danger onClick={() => setDialog("reject")} data-action="reject">
            {t("actions.reject")}
          </Button>
        )}
        {allowed("close") && (
          <Button type="primary" onClick={() => setDialog("close")} data-action="close">
            {t("actions.close")}
          </Button>
        )}
      </Space>

      <Modal
        open={dialog === "request_info"}
        title={t("actions.infoTitle")}
        okText={t("actions.request_info")}
        cancelText={t("actions.cancel")}
        confirmLoading={act.isPending}
        onCancel={() => setDialog(null)}
        onOk={() =>
          form
            .validateFields()
            .then((v) => run("request_info", { message: v.message.trim() }, "info").catch(() => undefined))
        }
        destroyOnHidden
      >
        {act.error && <ErrorAlert error={act.error} className="zxc-gap" />}
        <Form form={form} layout="vertical" name="request-info">
          <Form.Item
            name="message"
            label={t("actions.infoMessage")}
            rules={[{ required: true, whitespace: true, max: 1000 }]}
          >
            <Input.TextArea
              rows={4}
              placeholder={t("actions.infoPlaceholder")}
              maxLength={1000}
              showCount
              autoFocus
            />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={dialog === "reject"}
        title={t("actions.rejectTitle", { number: a.number })}
        okText={t("actions.reject")}
        okButtonProps={{ danger: true }}
        cancelText={t("actions.cancel")}
        confirmLoading={act.isPending}
        onCancel={() => setDialog(null)}
        onOk={() =>
          form.validateFields().then(
            (v) =>
              new Promise<void>((resolve) =>
                modal.confirm({
                  title: t("actions.rejectConfirm"),
                  okText: t("actions.confirm"),
                  okButtonProps: { danger: true },
                  cancelText: t("actions.cancel"),
                  onOk: () =>
                    run(
                      "reject",
                      { reason: v.reason, ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}) },
                      "reject",
                    )
                      .catch(() => undefined)
                      .finally(resolve),
                  onCancel: () => resolve(),
                }),
              ),
          )
        }
        destroyOnHidden
      >
        {act.error && <ErrorAlert error={act.error} className="zxc-gap" />}
        <Form form={form} layout="vertical" name="reject">
          <Form.Item name="reason" label={t("actions.rejectReason")} rules={[{ required: true }]}>
            <Select options={REJECT_REASONS.map((r) => ({ value: r, label: t(`rejectReason.${r}`) }))} />
          </Form.Item>
          <Form.Item name="comment" label={t("actions.rejectComment")} rules={[{ max: 1000 }]}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={dialog === "close"}
        title={t("actions.closeTitle")}
        okText={t("actions.confirm")}
        cancelText={t("actions.cancel")}
        confirmLoading={act.isPending}
        onCancel={() => setDialog(null)}
        onOk={() =>
          form
            .validateFields()
            .then((v) =>
              run(
                "close",
                { how: v.how, ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}) },
                "close",
              ).catch(() => undefined),
            )
        }
        destroyOnHidden
      >
        {act.error && <ErrorAlert error={act.error} className="zxc-gap" />}
        <Form
          form={form}
          layout="vertical"
          name="close"
          // What the counter recorded when it filed the application: the deposit refund of a
          // returned card must not depend on choosing "returned" a second time.
          initialValues={a.cardDisposition ? { how: a.cardDisposition } : undefined}
        >
          <Form.Item name="how" label={t("actions.closeHow")} rules={[{ required: true }]}>
            <Select options={HOW.map((h) => ({ value: h, label: t(`actions.how.${h}`) }))} />
          </Form.Item>
          <Form.Item name="comment" label={t("actions.comment")} rules={[{ max: 500 }]}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </section>
  );
}
