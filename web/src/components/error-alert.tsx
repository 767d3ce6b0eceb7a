/** A failed call explained in the holder's language, with a retry where retrying can help. */
import { Alert, Button } from "antd";
import { useTranslation } from "react-i18next";
import { describeError } from "../lib/errors";

export function ErrorAlert({
  error,
  onRetry,
  className,
}: {
  error: unknown;
  onRetry?: () => void;
  className?: string;
}) {
  const { t } = useTranslation();
  const e = describeError(error, t);
  return (
    <Alert
      className={className}
      type="error"
      showIcon
      role="alert"
      data-error-code={e.code}
      title={e.title}
      description={
        (e.hint || e.requestId) && (
          <>
            {e.hint && <div>{e.hint}</div>}
            {e.requestId && (
              <div className="zx-muted zx-small">
                {t("common.requestId")}: {e.requestId}
              </div>
            )}
          </>
        )
      }
      action={
        onRetry && (
          <Button size="small" onClick={onRetry}>
            {t("common.retry")}
          </Button>
        )
      }
    />
  );
}
