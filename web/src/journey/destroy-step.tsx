/** Destroying the card, seen before filing: what will be asked once the provider has cancelled it. */
import { useTranslation } from "react-i18next";
import { DestroyGuide } from "./destroy-guide";
import type { StepProps } from "./step-props";

export default function DestroyStep({ detail }: StepProps) {
  const { t } = useTranslation();
  return (
    <div>
      <p>{t("destroy.beforeFiling")}</p>
      <DestroyGuide card={detail.card} />
      <p className="zx-muted">{t("destroy.notYet")}</p>
    </div>
  );
}
