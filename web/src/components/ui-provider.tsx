/**
 * Ant Design's theme and locale, following the portal's language: zh-CN is bundled, English is
 * fetched the first time it is chosen.
 */
import { App as AntApp, ConfigProvider } from "antd";
import type { Locale } from "antd/es/locale";
import zhCN from "antd/es/locale/zh_CN";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

const FONT =
  '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

const THEME = {
  token: {
    colorPrimary: "#1a56a8",
    colorLink: "#1a56a8",
    borderRadius: 8,
    fontFamily: FONT,
    fontSize: 15,
    // A focus ring that can be seen: Ant Design's default halo is nearly transparent.
    controlOutline: "rgba(26, 86, 168, 0.35)",
    controlOutlineWidth: 3,
  },
};

export function UiProvider({ children }: { children: React.ReactNode }) {
  const { i18n } = useTranslation();
  const [locale, setLocale] = useState<Locale>(zhCN);

  useEffect(() => {
    let live = true;
    if (i18n.language === "en") {
      import("antd/es/locale/en_US").then((m) => live && setLocale(m.default));
    } else {
      setLocale(zhCN);
    }
    return () => {
      live = false;
    };
  }, [i18n.language]);

  return (
    // No space forced between two Chinese characters on buttons: "登录", not "登 录" (which screen
    // readers spell out letter by letter).
    <ConfigProvider locale={locale} theme={THEME} button={{ autoInsertSpace: false }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
