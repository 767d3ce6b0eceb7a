/**
 * Catches what a page throws while rendering (or a page chunk that failed to download) and shows
 * a way forward instead of a blank screen.
 */
import { Button, Result } from "antd";
import { Component, type ErrorInfo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

function Fallback({ chunk, onRetry }: { chunk: boolean; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status="warning"
      title={chunk ? t("boundary.chunkTitle") : t("boundary.title")}
      subTitle={chunk ? t("boundary.chunkHint") : t("boundary.hint")}
      extra={[
        <Button key="retry" type="primary" onClick={onRetry}>
          {t("common.retry")}
        </Button>,
        <Button key="reload" onClick={() => window.location.reload()}>
          {t("boundary.reload")}
        </Button>,
      ]}
    />
  );
}

interface Props {
  children: ReactNode;
  /** When it changes (e.g. the route), a caught error is forgotten. */
  resetKey?: string;
}

interface State {
  error: Error | null;
  key: string | undefined;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error("portal page failed", error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const chunk = /dynamically imported module|Importing a module script failed|Failed to fetch/i.test(
      error.message,
    );
    return <Fallback chunk={chunk} onRetry={() => this.setState({ error: null })} />;
  }
}
