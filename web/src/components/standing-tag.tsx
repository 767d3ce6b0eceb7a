/** Where a card stands, as a coloured tag: ready, blocked, counter only, under way, cancelled. */
import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  EditOutlined,
  ShopOutlined,
  StopOutlined,
} from "@ant-design/icons";
import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { Standing } from "../lib/cards";

const LOOK: Record<Standing, { color: string; icon: React.ReactNode }> = {
  ready: { color: "success", icon: <CheckCircleOutlined aria-hidden /> },
  draft: { color: "processing", icon: <EditOutlined aria-hidden /> },
  in_progress: { color: "processing", icon: <ClockCircleOutlined aria-hidden /> },
  blocked: { color: "error", icon: <StopOutlined aria-hidden /> },
  counter: { color: "warning", icon: <ShopOutlined aria-hidden /> },
  cancelled: { color: "default", icon: <CheckCircleOutlined aria-hidden /> },
};

export function StandingTag({ standing }: { standing: Standing }) {
  const { t } = useTranslation();
  const look = LOOK[standing];
  return (
    <Tag color={look.color} icon={look.icon} className="zx-standing" data-standing={standing}>
      {t(`standing.${standing}`)}
    </Tag>
  );
}
