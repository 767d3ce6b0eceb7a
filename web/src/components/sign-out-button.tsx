import { LogoutOutlined } from "@ant-design/icons";
import { Button } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { api } from "../api/client";
import { queryClient } from "../api/queries";
import { endSession } from "../api/session";

export function SignOutButton() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);

  const onClick = async () => {
    setBusy(true);
    try {
      await api("POST", "/auth/logout", { retry: false });
    } catch {
      // Signed out locally regardless; the session also ends by itself when it expires.
    } finally {
      endSession();
      queryClient.clear();
      setBusy(false);
      navigate("/sign-in", { replace: true });
    }
  };

  return (
    <Button
      size="small"
      type="text"
      icon={<LogoutOutlined aria-hidden />}
      onClick={onClick}
      loading={busy}
      aria-label={t("shell.signOut")}
    >
      <span className="zx-hide-narrow">{t("shell.signOut")}</span>
    </Button>
  );
}
