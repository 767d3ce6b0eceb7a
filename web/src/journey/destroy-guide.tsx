/** How to make a cancelled card unusable, per family and kind. */
import { useTranslation } from "react-i18next";
import type { Card } from "../api/types";

export type DestroyMethod = "cut" | "returned" | "profile_deleted";

export function destroyMethods(card: Card): DestroyMethod[] {
  if (card.kind === "esim") return ["profile_deleted"];
  return ["cut", "returned"];
}

function guideKey(card: Card): string {
  if (card.kind === "esim") return "esim";
  if (card.family === "sim") return "sim";
  if (card.kind === "bank_debit" || card.kind === "bank_credit") return "bank";
  if (card.kind === "transit") return "transit";
  return "smart";
}

export function DestroyGuide({ card }: { card: Card }) {
  const { t } = useTranslation();
  const key = guideKey(card);
  const steps = t(`destroy.guide.${key}`, { returnObjects: true }) as string[];
  return (
    <ol className="zx-numbered">
      {(Array.isArray(steps) ? steps : []).map((s) => (
        <li key={s}>{s}</li>
      ))}
    </ol>
  );
}
