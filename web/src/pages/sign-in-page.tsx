/** Sign in with the phone registered with the provider and a 6-digit SMS code. */
import { LockOutlined, SafetyCertificateOutlined, SearchOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { api } from "../api/client";
import { keys, queryClient } from "../api/queries";
import { startSession, takeExpiredNotice, useSignedIn } from "../api/session";
import type { Me, OtpSent, Session } from "../api/types";
import { ErrorAlert } from "../components/error-alert";
import { normalizePhone, PhoneCodeFields } from "../components/phone-code-fields";
import { storedLanguage, switchLanguage } from "../i18n";

/** Only paths inside the portal: never send the holder to another site after signing in. */
function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/cards";
}

export default function SignInPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ phone: string; code: string }>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const signedIn = useSignedIn();
  const [expired] = useState(takeExpiredNotice);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const next = safeNext(params.get("next"));

  if (signedIn && !busy) return <Navigate to={next} replace />;

  const send = () =>
    api<OtpSent>("POST", "/auth/otp", {
      body: { phone: normalizePhone(form.getFieldValue("phone")) },
      retry: false,
    });

  const onFinish = async (v: { phone: string; code: string }) => {
    setBusy(true);
    setError(null);
    try {
      const s = await api<Session>("POST", "/auth/otp/verify", {
        body: { phone: normalizePhone(v.phone), code: v.code },
        retry: false,
      });
      queryClient.clear();
      startSession(s);
      // A holder who never chose a language here gets the one saved with their account.
      if (!storedLanguage()) {
        const me = await queryClient.fetchQuery({ queryKey: keys.me, queryFn: () => api<Me>("GET", "/me") });
        if (me.language === "en") await switchLanguage("en", false);
      }
      navigate(next, { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <div className="zx-narrow">
      <h1 className="zx-title">{t("signIn.title")}</h1>
      <p className="zx-lead">{t("signIn.lead")}</p>
      {expired && <Alert type="info" showIcon title={t("signIn.expired")} className="zx-gap" />}
      <Card className="zx-card">
        <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false} name="sign-in">
          <PhoneCodeFields form={form} send={send} />
          {error !== null && <ErrorAlert error={error} className="zx-gap" />}
          <Button
            type="primary"
            htmlType="submit"
            size="large"
            block
            loading={busy}
            icon={<LockOutlined aria-hidden />}
          >
            {t("signIn.submit")}
          </Button>
        </Form>
      </Card>
      <ul className="zx-assurances">
        <li>
          <SafetyCertificateOutlined aria-hidden /> {t("signIn.assurance1")}
        </li>
        <li>
          <SafetyCertificateOutlined aria-hidden /> {t("signIn.assurance2")}
        </li>
      </ul>
      <Card className="zx-card zx-card-quiet">
        <p className="zx-no-margin">
          <SearchOutlined aria-hidden /> {t("signIn.lookupPrompt")}{" "}
          <Link to="/lookup">{t("signIn.lookupLink")}</Link>
        </p>
      </Card>
    </div>
  );
}
