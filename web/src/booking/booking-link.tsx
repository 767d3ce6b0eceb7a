/**
 * "Book a counter visit", from wherever the holder learns they must come in person: the journey's
 * contact step and an application's page. Lives apart from the booking page so that linking to it
 * does not pull the page (or its texts) into the linking page's chunk.
 */
import { ShopOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

export function BookingLink({
  providerId,
  cardId,
  applicationId,
  className,
}: {
  providerId: string;
  cardId?: string;
  applicationId?: string;
  className?: string;
}) {
  const { t } = useTranslation();
  const q = new URLSearchParams({ provider: providerId });
  if (cardId) q.set("card", cardId);
  if (applicationId) q.set("application", applicationId);
  return (
    <Link to={`/appointments?${q}`} className={className} data-testid="book-visit">
      <ShopOutlined aria-hidden /> {t("shell.bookVisit")}
    </Link>
  );
}
