/**
 * Copies of documents the provider asks for: JPEG, PNG or PDF up to 5 MB, recognised by their
 * content (as the server does) before they are sent, shown back from the server once stored.
 */
import { CheckCircleFilled, DeleteOutlined, FilePdfOutlined, UploadOutlined } from "@ant-design/icons";
import { Button, Popconfirm } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { API, api, newIdempotencyKey } from "../api/client";
import { invalidateApplication, useDocuments } from "../api/queries";
import type { DocumentKind, DocumentMeta } from "../api/types";
import { ErrorAlert } from "../components/error-alert";
import { QueryState } from "../components/query-state";
import { formatBytes } from "../lib/format";

export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
const ACCEPT = "image/jpeg,image/png,application/pdf";

/** The type a file really is, from its first bytes; null when it is none of the three. */
export async function sniff(file: Blob): Promise<"image/jpeg" | "image/png" | "application/pdf" | null> {
  const b = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.every((v, i) => b[i] === v)) return "image/png";
  if (String.fromCharCode(...b.slice(0, 5)) === "%PDF-") return "application/pdf";
  return null;
}

function DocumentSlot({
  applicationId,
  cardId,
  kind,
  docs,
}: {
  applicationId: string;
  cardId: string;
  kind: DocumentKind;
  docs: DocumentMeta[];
}) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const label = t(`documents.kind.${kind}`);

  const upload = async (file: File) => {
    setProblem(null);
    setError(null);
    if (file.size > MAX_DOCUMENT_BYTES) {
      setProblem(t("documents.tooLarge", { size: formatBytes(file.size) }));
      return;
    }
    const type = await sniff(file);
    if (!type) {
      setProblem(t("documents.wrongType"));
      return;
    }
    setBusy(true);
    try {
      await api("POST", `/applications/${applicationId}/documents?kind=${kind}`, {
        raw: file,
        contentType: type,
        idempotencyKey: newIdempotencyKey(`doc-${kind}`),
      });
      // A new copy replaces the previous one of the same kind.
      for (const old of docs) {
        await api("DELETE", `/applications/${applicationId}/documents/${old.id}`, {
          idempotencyKey: newIdempotencyKey("doc-replace"),
        });
      }
    } catch (err) {
      setError(err);
    } finally {
      await invalidateApplication(applicationId, cardId);
      setBusy(false);
      if (input.current) input.current.value = "";
    }
  };

  const remove = async (doc: DocumentMeta) => {
    setError(null);
    try {
      await api("DELETE", `/applications/${applicationId}/documents/${doc.id}`, {
        idempotencyKey: newIdempotencyKey("doc-delete"),
      });
      await invalidateApplication(applicationId, cardId);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <li className="zx-doc-slot" data-kind={kind}>
      <div className="zx-doc-head">
        <span className="zx-strong">
          {docs.length > 0 && <CheckCircleFilled className="zx-ok-icon" aria-hidden />} {label}
        </span>
        <Button icon={<UploadOutlined aria-hidden />} onClick={() => input.current?.click()} loading={busy}>
          {docs.length > 0 ? t("documents.replace") : t("documents.upload")}
        </Button>
        <input
          ref={input}
          type="file"
          accept={ACCEPT}
          className="zx-sr-only"
          tabIndex={-1}
          aria-label={t("documents.uploadLabel", { what: label })}
          data-kind={kind}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void upload(f);
          }}
        />
      </div>
      <div className="zx-muted zx-small">{t("documents.rules")}</div>
      {problem && (
        <div className="zx-field-error" role="alert">
          {problem}
        </div>
      )}
      {error !== null && <ErrorAlert error={error} className="zx-gap-top" />}
      {docs.length > 0 && (
        <ul className="zx-doc-previews">
          {docs.map((d) => {
            const href = `${API}/applications/${applicationId}/documents/${d.id}`;
            return (
              <li key={d.id} className="zx-doc-preview">
                {d.contentType === "application/pdf" ? (
                  <a href={href} target="_blank" rel="noreferrer" className="zx-pdf">
                    <FilePdfOutlined aria-hidden /> {t("documents.openPdf")}
                  </a>
                ) : (
                  <a href={href} target="_blank" rel="noreferrer">
                    <img src={href} alt={t("documents.previewAlt", { what: label })} />
                  </a>
                )}
                <div className="zx-small zx-muted">{formatBytes(d.size)}</div>
                <Popconfirm
                  title={t("documents.deleteConfirm")}
                  okText={t("common.delete")}
                  cancelText={t("common.cancel")}
                  onConfirm={() => remove(d)}
                >
                  <Button size="small" type="text" danger icon={<DeleteOutlined aria-hidden />}>
                    {t("common.delete")}
                  </Button>
                </Popconfirm>
              </li>
            );
          })}
        </ul>
      )}
    </li>
  );
}

export function DocumentsSection({ applicationId, cardId }: { applicationId: string; cardId: string }) {
  const { t } = useTranslation();
  const docs = useDocuments(applicationId);
  return (
    <QueryState query={docs} rows={2}>
      {(list) =>
        list.required.length === 0 && list.items.length === 0 ? (
          <p className="zx-muted">{t("documents.noneRequired")}</p>
        ) : (
          <ul className="zx-doc-slots">
            {[...new Set([...list.required, ...list.items.map((d) => d.kind)])].map((kind) => (
              <DocumentSlot
                key={kind}
                applicationId={applicationId}
                cardId={cardId}
                kind={kind}
                docs={list.items.filter((d) => d.kind === kind)}
              />
            ))}
          </ul>
        )
      }
    </QueryState>
  );
}
