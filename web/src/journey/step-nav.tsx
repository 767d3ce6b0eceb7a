/**
 * The journey's steps as navigation: Ant Design's stepper on wider screens, and on a phone a row
 * of numbered buttons (one per step, with its state in words for screen readers) that fits 375 px.
 */
import { CheckOutlined, ExclamationOutlined } from "@ant-design/icons";
import { Steps } from "antd";
import { useTranslation } from "react-i18next";
import type { JourneyStep, Lang, StepKey } from "../api/types";
import { useNarrow } from "../components/use-narrow";

function status(s: JourneyStep, active: boolean): "wait" | "process" | "finish" | "error" {
  if (s.state === "blocked") return "error";
  if (active) return "process";
  if (s.state === "done" || s.state === "waived" || s.state === "skipped") return "finish";
  return s.state === "current" ? "process" : "wait";
}

/** On the phone row, the step's own state; the step being viewed is marked on top of it. */
function miniState(s: JourneyStep): "finish" | "error" | "current" | "wait" {
  if (s.state === "blocked") return "error";
  if (s.state === "done" || s.state === "waived" || s.state === "skipped") return "finish";
  return s.state === "current" ? "current" : "wait";
}

export function StepNav({
  steps,
  active,
  locked,
  onSelect,
}: {
  steps: JourneyStep[];
  active: number;
  locked: (key: StepKey) => boolean;
  onSelect: (key: StepKey) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const narrow = useNarrow();
  const title = (s: JourneyStep) => (lang === "en" ? s.titleEn : s.titleZh);

  if (!narrow) {
    return (
      <Steps
        size="small"
        current={active}
        onChange={(i) => {
          const s = steps[i];
          if (s && !locked(s.key)) onSelect(s.key);
        }}
        items={steps.map((s, i) => ({
          title: title(s),
          status: status(s, i === active),
          disabled: locked(s.key),
        }))}
      />
    );
  }

  return (
    <>
      <ol className="zx-mini-steps">
        {steps.map((s, i) => {
          const st = miniState(s);
          return (
            <li key={s.key} className="zx-mini-item">
              <button
                type="button"
                className={`zx-mini-step zx-mini-${st}${i === active ? " zx-mini-active" : ""}`}
                aria-current={i === active ? "step" : undefined}
                aria-label={`${s.index}. ${title(s)}（${t(`journey.state.${s.state}`)}）`}
                disabled={locked(s.key)}
                onClick={() => onSelect(s.key)}
              >
                {st === "finish" ? (
                  <CheckOutlined aria-hidden />
                ) : st === "error" ? (
                  <ExclamationOutlined aria-hidden />
                ) : (
                  s.index
                )}
              </button>
            </li>
          );
        })}
      </ol>
      <p className="zx-step-count">
        {t("journey.stepOf", { index: active + 1, count: steps.length })}
        {" · "}
        {title(steps[active]!)}
      </p>
    </>
  );
}
