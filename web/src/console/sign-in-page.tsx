/** Staff sign-in: username and password, then the authenticator code when the account has one. */
import { Button, Card, Form, Input } from "antd";
import { useState } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { ApiError } from "../api/client";
import { ErrorAlert } from "../components/error-alert";
import { staffApi, startStaffSession, useStaffSession } from "./api";
import { useConsoleT } from "./i18n";

interface LoginAnswer {
  csrfToken: string;
  expiresAt: string;
  actor: { type: string; id: string; role: string };
}

export default function SignInPage() {
  const { t } = useConsoleT();
  const session = useStaffSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const next = params.get("next");
  const target = next?.startsWith("/console") ? next : "/console";
  if (session) return <Navigate to={target} replace />;

  const onFinish = async (v: { username: string; password: string; totp?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await staffApi<LoginAnswer>("POST", "/auth/login", {
        body: {
          username: v.username.trim(),
          password: v.password,
          ...(v.totp ? { totp: v.totp.trim() } : {}),
        },
      });
      if (r.actor.type !== "staff") throw new ApiError(403, "FORBIDDEN", "not staff");
      startStaffSession({
        csrfToken: r.csrfToken,
        expiresAt: r.expiresAt,
        role: r.actor.role,
        id: v.username.trim(),
      });
      navigate(target, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === "TOTP_REQUIRED") setNeedTotp(true);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="zxc-signin">
      <Card title={<h1 className="zxc-h1">{t("signIn.title")}</h1>}>
        <p className="zxc-muted">{t("signIn.hint")}</p>
        {error !== null && <ErrorAlert error={error} className="zxc-gap" />}
        <Form layout="vertical" onFinish={onFinish} requiredMark={false} name="staff-sign-in">
          <Form.Item
            name="username"
            label={t("signIn.username")}
            rules={[{ required: true, message: t("signIn.required", { what: t("signIn.username") }) }]}
          >
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t("signIn.password")}
            rules={[{ required: true, message: t("signIn.required", { what: t("signIn.password") }) }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {needTotp && (
            <Form.Item
              name="totp"
              label={t("signIn.totp")}
              extra={t("signIn.totpHint")}
              rules={[{ required: true, pattern: /^\d{6}$/, message: t("signIn.totpHint") }]}
            >
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} autoFocus />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t("signIn.submit")}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
