/**
 * Where to find what the provider does not know about: the national services that list the
 * accounts a number is registered with, and that unbind a recycled number's old accounts.
 */
import { GlobalOutlined } from "@ant-design/icons";
import { Collapse } from "antd";
import { useTranslation } from "react-i18next";

export function NationalServices() {
  const { t } = useTranslation();
  const services = ["yizhengtongcha", "yijianjiebang", "erci"] as const;
  return (
    <Collapse
      className="zx-gap"
      items={[
        {
          key: "national",
          label: (
            <span>
              <GlobalOutlined aria-hidden /> {t("unbind.nationalTitle")}
            </span>
          ),
          children: (
            <div>
              <p>{t("unbind.nationalIntro")}</p>
              <dl className="zx-dl">
                {services.map((s) => (
                  <div key={s}>
                    <dt>{t(`unbind.national.${s}.name`)}</dt>
                    <dd>{t(`unbind.national.${s}.how`)}</dd>
                  </div>
                ))}
              </dl>
            </div>
          ),
        },
      ]}
    />
  );
}
