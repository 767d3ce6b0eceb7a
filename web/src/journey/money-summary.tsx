/** The money on a card, each amount with what will happen to it. */
import { useTranslation } from "react-i18next";
import type { Money } from "../api/types";
import { formatFen } from "../lib/format";

export function MoneySummary({ money }: { money: Money }) {
  const { t } = useTranslation();
  const rows: Array<[string, number, string]> = [
    ["money.refundable", money.refundableFen, "money.refundableHint"],
    ["money.gifted", money.giftedForfeitFen, "money.giftedHint"],
    ["money.deposit", money.depositFen, "money.depositHint"],
    ["money.terminationFee", money.terminationFeeFen, "money.terminationFeeHint"],
  ];
  const shown = rows.filter(([, v]) => v > 0);
  if (shown.length === 0) return null;
  return (
    <dl className="zx-money">
      {shown.map(([label, value, hint]) => (
        <div key={label} className="zx-money-row">
          <dt>{t(label)}</dt>
          <dd>
            <span className="zx-amount">{formatFen(value)}</span>
            <span className="zx-muted zx-small">{t(hint)}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}
