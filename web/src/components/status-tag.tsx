/** An application's status as a tag. */
import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { ApplicationStatus } from "../api/types";

const COLOR: Record<ApplicationStatus, string> = {
  draft: "default",
  submitted: "processing",
  under_review: "processing",
  needs_info: "warning",
  approved: "processing",
  processing: "processing",
  completed: "success",
  closed: "success",
  withdrawn: "default",
  rejected: "error",
  failed: "error",
};

export function StatusTag({ status }: { status: ApplicationStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLOR[status]} data-status={status}>
      {t(`status.${status}`)}
    </Tag>
  );
}
