/**
 * 中文 ⇄ English. The choice is kept on this device; a signed-in holder's preference is saved on
 * the server too, so that SMS and notices follow it.
 */
import { Button } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, newIdempotencyKey } from "../api/client";
import { useSignedIn } from "../api/session";
import type { Lang } from "../api/types";
import { switchLanguage } from "../i18n";

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const signedIn = useSignedIn();
  const [busy, setBusy] = useState(false);
  const target: Lang = i18n.language === "en" ? "zh-CN" : "en";

  const onClick = async () => {
    setBusy(true);
    try {
      await switchLanguage(target);
      if (signedIn) {
        // Best effort: the page has switched either way; the server copy only affects SMS.
        api("PATCH", "/me", { body: { language: target }, idempotencyKey: newIdempotencyKey("lang") }).catch(
          () => undefined,
        );
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button
      size="small"
      onClick={onClick}
      loading={busy}
      lang={target}
      aria-label={t("shell.switchLanguageLabel")}
      className="zx-lang"
    >
      {target === "en" ? "English" : "中文"}
    </Button>
  );
}
