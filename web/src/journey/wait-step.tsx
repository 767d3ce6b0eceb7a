/** Waiting for processing, seen before filing: how long it takes and how the holder will know. */
import { Button } from "antd";
import { useTranslation } from "react-i18next";
import type { Lang } from "../api/types";
import type { StepProps } from "./step-props";

export default function WaitStep({ detail, goTo }: StepProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  return (
    <div>
      <p>
        {t("wait.intro", {
          provider: lang === "en" ? detail.provider.nameEn : detail.provider.nameZh,
          count: detail.rules.slaDays.value,
        })}
      </p>
      <ul className="zx-bullets">
        <li>{t("wait.point1")}</li>
        <li>{t("wait.point2")}</li>
        <li>{t("wait.point3")}</li>
      </ul>
      <Button onClick={() => goTo("submit")}>{t("wait.back")}</Button>
    </div>
  );
}
