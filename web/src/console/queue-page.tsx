/**
 * The work queue: filters (status, card family, provider, branch, due, number), sorted by due time
 * by default, with each application's SLA clock; at-risk rows amber, breached rows red. Filters
 * live in the address so a filtered queue can be bookmarked or shared.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Button, DatePicker, Form, Input, Select, Space, Table, Tag } from "antd";
import type { ColumnsType, TablePaginationConfig } from "antd/es/table";
import type { SorterResult } from "antd/es/table/interface";
import dayjs from "dayjs";
import { useMemo } from "react";
import { Link, useSearchParams } from "react-router";
import type { Lang } from "../api/types";
import { ErrorAlert } from "../components/error-alert";
import { StatusTag } from "../components/status-tag";
import { formatDateTime } from "../lib/format";
import { staffApi } from "./api";
import { useConsoleT } from "./i18n";
import { SlaTimer } from "./sla";
import type { QueuePage as Page, ProviderItem, QueueItem } from "./types";

const STATUSES = [
  "submitted",
  "under_review",
  "needs_info",
  "approved",
  "processing",
  "failed",
  "completed",
  "closed",
  "rejected",
  "withdrawn",
  "draft",
] as const;
const DEFAULT_OPEN = ["submitted", "under_review", "needs_info", "approved", "processing", "failed"];
const PAGE = 20;

export default function QueuePage() {
  const { t, i18n } = useConsoleT();
  const lang = i18n.language as Lang;
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm();

  const status = params.getAll("status");
  const effectiveStatus = params.has("all") ? [] : status.length ? status : DEFAULT_OPEN;
  const family = params.get("family") ?? "";
  const providerId = params.get("providerId") ?? "";
  const branch = params.get("branch") ?? "";
  const due = params.get("due") ?? "";
  const q = params.get("q") ?? "";
  const page = Number(params.get("page") ?? "1") || 1;
  const sort = params.get("sort") ?? "due_at";
  const order = params.get("order") ?? "asc";

  const query = new URLSearchParams();
  for (const s of effectiveStatus) query.append("status", s);
  if (family) query.set("family", family);
  if (providerId) query.set("providerId", providerId);
  if (branch) query.set("branch", branch);
  if (due) query.set("dueBefore", dayjs(due).endOf("day").toISOString());
  if (q) query.set("q", q);
  query.set("limit", String(PAGE));
  query.set("offset", String((page - 1) * PAGE));
  query.set("sort", sort);
  query.set("order", order);
  const qs = query.toString();

  const list = useQuery({
    queryKey: ["console", "queue", qs],
    queryFn: () => staffApi<Page>("GET", `/applications?${qs}`),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });

  // The providers by name (staff of one provider get only theirs); ids met in the address or the
  // list but not named there still show, as their id.
  const providers = useQuery({
    queryKey: ["console", "providers"],
    queryFn: () => staffApi<{ items: ProviderItem[] }>("GET", "/providers"),
    staleTime: 10 * 60_000,
  });
  const providerName = useMemo(() => {
    const names = new Map(
      (providers.data?.items ?? []).map((p) => [p.id, lang === "en" ? p.nameEn : p.nameZh] as const),
    );
    return (id: string) => names.get(id) ?? id;
  }, [providers.data, lang]);
  const providerOptions = useMemo(
    () => [
      ...new Set([
        ...(providers.data?.items.map((p) => p.id) ?? []),
        ...(providerId ? [providerId] : []),
        ...(list.data?.items.map((i) => i.providerId) ?? []),
      ]),
    ],
    [providers.data, list.data, providerId],
  );

  const apply = (v: {
    status?: string[];
    family?: string;
    providerId?: string;
    branch?: string;
    due?: dayjs.Dayjs | null;
    q?: string;
  }) => {
    const next = new URLSearchParams();
    if (v.status?.length) for (const s of v.status) next.append("status", s);
    else next.set("all", "1");
    if (v.family) next.set("family", v.family);
    if (v.providerId) next.set("providerId", v.providerId);
    if (v.branch?.trim()) next.set("branch", v.branch.trim());
    if (v.due) next.set("due", v.due.format("YYYY-MM-DD"));
    if (v.q?.trim()) next.set("q", v.q.trim());
    if (sort !== "due_at") next.set("sort", sort);
    if (order !== "asc") next.set("order", order);
    setParams(next);
  };

  const reset = () => {
    setParams(new URLSearchParams());
    form.setFieldsValue({ status: DEFAULT_OPEN, family: "", providerId: "", branch: "", due: null, q: "" });
  };

  const onTable = (
    p: TablePaginationConfig,
    _f: unknown,
    s: SorterResult<QueueItem> | SorterResult<QueueItem>[],
  ) => {
    const next = new URLSearchParams(params);
    next.set("page", String(p.current ?? 1));
    const one = Array.isArray(s) ? s[0] : s;
    const field = one?.order ? String(one.columnKey) : "due_at";
    next.set("sort", field);
    next.set("order", one?.order === "descend" ? "desc" : "asc");
    setParams(next);
  };

  const sortOrder = (key: string) => (sort === key ? (order === "desc" ? "descend" : "ascend") : null);

  const columns: ColumnsType<QueueItem> = [
    {
      key: "number",
      title: t("queue.col.number"),
      render: (_, a) => (
        <Link to={`/console/applications/${a.id}`} className="zxc-mono" data-testid="queue-number">
          {a.number}
        </Link>
      ),
    },
    {
      key: "card",
      title: t("queue.col.card"),
      render: (_, a) => (
        <div>
          <div>{a.card.label}</div>
          <div className="zxc-muted zxc-small">
            {t(`card.kind.${a.card.kind}`)} · {t(`family.${a.card.family}`)}
          </div>
        </div>
      ),
    },
    { key: "status", title: t("queue.col.status"), render: (_, a) => <StatusTag status={a.status} /> },
    {
      key: "due_at",
      title: t("queue.col.sla"),
      sorter: true,
      sortOrder: sortOrder("due_at"),
      render: (_, a) => (
        <div>
          <SlaTimer sla={a.sla} dueAt={a.dueAt} status={a.status} />
          {a.dueAt && <div className="zxc-muted zxc-small">{formatDateTime(a.dueAt, lang)}</div>}
        </div>
      ),
    },
    {
      key: "branch",
      title: t("queue.col.branch"),
      render: (_, a) => (
        <span>
          {a.branch ?? "—"} <Tag>{t(`channel.${a.channel}`, { defaultValue: a.channel })}</Tag>
        </span>
      ),
    },
    {
      key: "provider",
      title: t("queue.col.provider"),
      render: (_, a) => <span className="zxc-small">{providerName(a.providerId)}</span>,
    },
    {
      key: "submitted_at",
      title: t("queue.col.submitted"),
      sorter: true,
      sortOrder: sortOrder("submitted_at"),
      render: (_, a) => formatDateTime(a.submittedAt, lang),
    },
  ];

  return (
    <div className="zxc-page">
      <div className="zxc-page-head">
        <h1 className="zxc-h1">{t("queue.title")}</h1>
        <Button onClick={() => list.refetch()} loading={list.isFetching}>
          {t("queue.refresh")}
        </Button>
      </div>
      <section aria-label={t("queue.filters")} className="zxc-filters">
        <Form
          form={form}
          layout="vertical"
          name="queue-filters"
          onFinish={apply}
          initialValues={{
            status: params.has("all") ? [] : effectiveStatus,
            family,
            providerId,
            branch,
            due: due ? dayjs(due) : null,
            q,
          }}
        >
          <div className="zxc-filter-grid">
            <Form.Item name="status" label={t("queue.statusLabel")} className="zxc-filter-wide">
              <Select
                mode="multiple"
                allowClear
                placeholder={t("queue.any")}
                options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
                maxTagCount="responsive"
              />
            </Form.Item>
            <Form.Item name="family" label={t("queue.familyLabel")}>
              <Select
                options={[
                  { value: "", label: t("queue.any") },
                  { value: "sim", label: t("family.sim") },
                  { value: "smart_card", label: t("family.smart_card") },
                ]}
              />
            </Form.Item>
            <Form.Item name="providerId" label={t("queue.providerLabel")}>
              <Select
                options={[
                  { value: "", label: t("queue.any") },
                  ...providerOptions.map((p) => ({ value: p, label: providerName(p) })),
                ]}
              />
            </Form.Item>
            <Form.Item name="branch" label={t("queue.branchLabel")}>
              <Input allowClear />
            </Form.Item>
            <Form.Item name="due" label={t("queue.dueLabel")}>
              <DatePicker style={{ width: "100%" }} />
            </Form.Item>
            <Form.Item name="q" label={t("queue.qLabel")}>
              <Input allowClear placeholder={t("queue.qPlaceholder")} />
            </Form.Item>
          </div>
          <Space>
            <Button type="primary" htmlType="submit" data-testid="apply-filters">
              {t("queue.apply")}
            </Button>
            <Button onClick={reset}>{t("queue.reset")}</Button>
          </Space>
        </Form>
      </section>
      {list.error && <ErrorAlert error={list.error} onRetry={() => list.refetch()} className="zxc-gap" />}
      <Table<QueueItem>
        rowKey="id"
        className="zxc-queue"
        data-testid="queue-table"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isLoading}
        locale={{ emptyText: t("queue.empty") }}
        rowClassName={(a) =>
          a.sla === "breached" ? "zxc-row-breached" : a.sla === "at_risk" ? "zxc-row-at-risk" : ""
        }
        onChange={onTable}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (n) => t(list.data?.totalCapped ? "queue.totalAtLeast" : "queue.total", { count: n }),
        }}
        size="middle"
      />
    </div>
  );
}
