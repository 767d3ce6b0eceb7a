/** The loading and failed states of a page's data, so that a page renders only with its data. */
import type { UseQueryResult } from "@tanstack/react-query";
import { Skeleton } from "antd";
import type { ReactNode } from "react";
import { ErrorAlert } from "./error-alert";

export function QueryState<T>({
  query,
  children,
  rows = 4,
}: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
  rows?: number;
}) {
  if (query.isPending) return <Skeleton active paragraph={{ rows }} />;
  if (query.isError) return <ErrorAlert error={query.error} onRetry={() => query.refetch()} />;
  return <>{children(query.data)}</>;
}
