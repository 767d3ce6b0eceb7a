/** The documents of an application under review: what is required, what is missing, each one viewable. */
import { useQuery } from "@tanstack/react-query";
import { Alert, Empty, Image, Skeleton } from "antd";
import type { DocumentList } from "../api/types";
import { ErrorAlert } from "../components/error-alert";
import { apiUrl, staffApi } from "./api";
import { useConsoleT } from "./i18n";

export function Documents({ id }: { id: string }) {
  const { t } = useConsoleT();
  const docs = useQuery({
    queryKey: ["console", "documents", id],
    queryFn: () => staffApi<DocumentList>("GET", `/applications/${id}/documents`),
  });
  if (docs.isLoading) return <Skeleton active />;
  if (docs.error) return <ErrorAlert error={docs.error} onRetry={() => docs.refetch()} />;
  const d = docs.data!;
  return (
    <div>
      {d.missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          className="zxc-gap"
          title={t("review.missing", { what: d.missing.map((k) => t(`documents.kind.${k}`)).join("、") })}
        />
      )}
      {d.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("review.noDocuments")} />
      ) : (
        <Image.PreviewGroup>
          <div className="zxc-docs">
            {d.items.map((doc) => {
              const src = apiUrl(`/applications/${id}/documents/${doc.id}`);
              return (
                <figure key={doc.id} className="zxc-doc">
                  {doc.contentType === "application/pdf" ? (
                    <a href={src} target="_blank" rel="noreferrer" className="zxc-doc-pdf">
                      PDF
                    </a>
                  ) : (
                    <Image
                      src={src}
                      alt={t(`documents.kind.${doc.kind}`)}
                      width={160}
                      height={110}
                      className="zxc-doc-img"
                    />
                  )}
                  <figcaption>
                    {t(`documents.kind.${doc.kind}`)}{" "}
                    <a href={src} target="_blank" rel="noreferrer">
                      {t("review.openDocument")}
                    </a>
                  </figcaption>
                </figure>
              );
            })}
          </div>
        </Image.PreviewGroup>
      )}
    </div>
  );
}
