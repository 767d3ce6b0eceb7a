/**
 * A phone number and the SMS code sent to it, with the send button, its resend cooldown and the
 * reason a send failed. Shared by sign-in and the progress lookup.
 */
import { Button, Form, Input } from "antd";
import type { FormInstance } from "antd/es/form";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/client";
import { maskPhone } from "../lib/format";
import { ErrorAlert } from "./error-alert";
import { useCountdown } from "./use-countdown";

export const MOBILE = /^1[3-9]\d{9}$/;

export function normalizePhone(v: string): string {
  return v.replace(/[\s-]/g, "").replace(/^\+?86/, "");
}

export function PhoneCodeFields({
  form,
  send,
  extraFieldsToValidate = [],
}: {
  form: FormInstance;
  /** Ask the server to send a code; resolves with the cooldown before the next one. */
  send: () => Promise<{ cooldownSeconds: number; expiresInSeconds: number }>;
  extraFieldsToValidate?: string[];
}) {
  const { t } = useTranslation();
  const [left, startCooldown] = useCountdown();
  const [sending, setSending] = useState(false);
  const [sentTo, setSentTo] = useState<{ phone: string; minutes: number } | null>(null);
  const [error, setError] = useState<unknown>(null);

  const onSend = async () => {
    setError(null);
    try {
      await form.validateFields(["phone", ...extraFieldsToValidate]);
    } catch {
      return;
    }
    setSending(true);
    try {
      const r = await send();
      startCooldown(r.cooldownSeconds);
      setSentTo({
        phone: normalizePhone(form.getFieldValue("phone")),
        minutes: Math.round(r.expiresInSeconds / 60),
      });
      document.getElementById("otp-code")?.focus();
    } catch (err) {
      if (err instanceof ApiError && typeof err.params.retryAfterSeconds === "number") {
        startCooldown(err.params.retryAfterSeconds);
      }
      setError(err);
    } finally {
      setSending(false);
    }
  };

  return (
    <>
      <Form.Item
        label={t("signIn.phone")}
        name="phone"
        htmlFor="otp-phone"
        normalize={(v: string) => v.replace(/[^\d+\s-]/g, "")}
        rules={[
          { required: true, message: t("signIn.phoneRequired") },
          {
            validator: (_, v: string | undefined) =>
              !v || MOBILE.test(normalizePhone(v))
                ? Promise.resolve()
                : Promise.reject(new Error(t("signIn.phoneInvalid"))),
          },
        ]}
      >
        <Input
          id="otp-phone"
          type="tel"
          inputMode="numeric"
          autoComplete="tel-national"
          maxLength={16}
          placeholder={t("signIn.phonePlaceholder")}
          size="large"
        />
      </Form.Item>
      <Form.Item label={t("signIn.code")} htmlFor="otp-code" required>
        <div className="zx-code-row">
          <Form.Item
            name="code"
            noStyle
            rules={[
              { required: true, message: t("signIn.codeRequired") },
              { pattern: /^\d{6}$/, message: t("signIn.codeInvalid") },
            ]}
          >
            <Input
              id="otp-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              placeholder={t("signIn.codePlaceholder")}
              size="large"
              aria-describedby="otp-hint"
            />
          </Form.Item>
          <Button size="large" onClick={onSend} loading={sending} disabled={left > 0} className="zx-send">
            {left > 0
              ? t("signIn.resendIn", { seconds: left })
              : sentTo
                ? t("signIn.resend")
                : t("signIn.send")}
          </Button>
        </div>
      </Form.Item>
      <div id="otp-hint" className="zx-hint" aria-live="polite">
        {sentTo
          ? t("signIn.sentTo", { phone: maskPhone(sentTo.phone), minutes: sentTo.minutes })
          : t("signIn.codeHelp")}
      </div>
      {error !== null && <ErrorAlert error={error} className="zx-gap" />}
    </>
  );
}
