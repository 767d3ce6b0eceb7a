/**
 * Progress without an account: the application number from the receipt, the phone it was filed
 * with, and a code sent to that phone.
 */
import { Button, Card, Descriptions, Form, Input } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api } from "../api/client";
import type { Lang, LookupResult, OtpSent } from "../api/types";
import { ErrorAlert } from "../components/error-alert";
import { normalizePhone, PhoneCodeFields } from "../components/phone-code-fields";
import { StatusTag } from "../components/status-tag";
import { TimelineView } from "../components/timeline-view";
import { formatDate } from "../lib/format";

interface Values {
  number: string;
  phone: string;
  code: string;
}

const NUMBER = /^[A-Za-z0-9-]{4,40}$/;

function LookupResultView({ result, onAgain }: { result: LookupResult; onAgain: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  return (
    <div>
      <div className="zx-journey-head">
        <h2 className="zx-subtitle">
          {t("progress.title")}{" "}
          <span className="zx-mono" data-testid="lookup-number">
            {result.number}
          </span>
        </h2>
        <StatusTag status={result.status} />
      </div>
      <Descriptions column={1} size="small" bordered className="zx-descriptions zx-gap">
        <Descriptions.Item label={t("lookup.card")}>
          {lang === "en" ? t(`card.kind.${result.card.kind}`) : result.card.label}
        </Descriptions.Item>
        <Descriptions.Item label={t("progress.status")}>{t(`status.${result.status}`)}</Descriptions.Item>
        {result.submittedAt && (
          <Descriptions.Item label={t("progress.submittedAt")}>
            {formatDate(result.submittedAt, lang)}
          </Descriptions.Item>
        )}
        {result.dueAt && !result.completedAt && (
          <Descriptions.Item label={t("progress.dueAt")}>{formatDate(result.dueAt, lang)}</Descriptions.Item>
        )}
        {result.completedAt && (
          <Descriptions.Item label={t("progress.completedAt")}>
            {formatDate(result.completedAt, lang)}
          </Descriptions.Item>
        )}
      </Descriptions>
      {result.infoRequest && (
        <p className="zx-gap">
          {t("lookup.infoRequested")} <Link to="/sign-in">{t("lookup.signInToAnswer")}</Link>
        </p>
      )}
      <h3 className="zx-subtitle zx-gap">{t("progress.timeline")}</h3>
      <TimelineView events={result.timeline} />
      <Button onClick={onAgain}>{t("lookup.again")}</Button>
    </div>
  );
}

export default function LookupPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<LookupResult | null>(null);

  const send = () => {
    const v = form.getFieldsValue();
    return api<OtpSent>("POST", "/lookup/otp", {
      body: { applicationNumber: v.number.trim().toUpperCase(), phone: normalizePhone(v.phone) },
      retry: false,
    });
  };

  const onFinish = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      setResult(
        await api<LookupResult>("POST", "/lookup/verify", {
          body: {
            applicationNumber: v.number.trim().toUpperCase(),
            phone: normalizePhone(v.phone),
            code: v.code,
          },
          retry: false,
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="zx-narrow">
      <h1 className="zx-title">{t("lookup.title")}</h1>
      <p className="zx-lead">{t("lookup.lead")}</p>
      <Card className="zx-card">
        {result ? (
          <LookupResultView
            result={result}
            onAgain={() => {
              setResult(null);
              form.resetFields(["code"]);
            }}
          />
        ) : (
          <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false} name="lookup">
            <Form.Item
              label={t("lookup.number")}
              name="number"
              htmlFor="lookup-number"
              extra={t("lookup.numberHelp")}
              rules={[
                { required: true, message: t("lookup.numberRequired") },
                { pattern: NUMBER, message: t("lookup.numberInvalid") },
              ]}
            >
              <Input
                id="lookup-number"
                size="large"
                autoComplete="off"
                placeholder="ZX2611270ABCDE"
                className="zx-mono"
              />
            </Form.Item>
            <PhoneCodeFields form={form} send={send} extraFieldsToValidate={["number"]} />
            {error !== null && <ErrorAlert error={error} className="zx-gap" />}
            <Button type="primary" htmlType="submit" size="large" block loading={busy}>
              {t("lookup.submit")}
            </Button>
          </Form>
        )}
      </Card>
    </div>
  );
}
