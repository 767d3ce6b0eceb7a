/**
 * Keep proof: the receipt (回执, at submission) and the certificate of cancellation (注销证明, at
 * completion) as PDFs, each with a link to the public verification page that checks it. Only
 * documents that exist are offered (a card cancelled at a counter before this service has none).
 */
import { FilePdfOutlined, SafetyCertificateOutlined } from "@ant-design/icons";
import { Button } from "antd";
import { useTranslation } from "react-i18next";
import { useSignedDocument } from "../api/queries";
import type { Application, SignedDocument } from "../api/types";

function Proof({ doc }: { doc: SignedDocument }) {
  const { t } = useTranslation();
  return (
    <div className="zx-proof" data-proof={doc.kind}>
      <Button
        type={doc.kind === "certificate" ? "primary" : "default"}
        icon={<FilePdfOutlined aria-hidden />}
        href={doc.pdf}
        download
      >
        {t(doc.kind === "certificate" ? "progress.certificatePdf" : "progress.receiptPdf")}
      </Button>
      <a
        className="zx-small"
        href={`/verify#${doc.jws}`}
        target="_blank"
        rel="noreferrer"
        data-verify={doc.kind}
        aria-label={t(doc.kind === "certificate" ? "proof.verifyCertificate" : "proof.verifyReceipt")}
      >
        <SafetyCertificateOutlined aria-hidden /> {t("proof.verify")}
      </a>
    </div>
  );
}

export function ProofDownloads({ application }: { application: Application }) {
  const { t } = useTranslation();
  const cancelled = application.status === "completed" || application.status === "closed";
  const receipt = useSignedDocument(application.id, "receipt", application.submittedAt !== null);
  const certificate = useSignedDocument(application.id, "certificate", cancelled);
  const docs = [certificate.data, receipt.data].filter((d): d is SignedDocument => Boolean(d));
  if (docs.length === 0) {
    // Still loading, or nothing issued: say so only where a certificate was to be expected.
    return cancelled && certificate.isFetched && !certificate.data ? (
      <p className="zx-muted zx-small zx-gap">{t("proof.none")}</p>
    ) : null;
  }
  return (
    <section className="zx-downloads" aria-label={t("proof.title")}>
      {docs.map((d) => (
        <Proof key={d.kind} doc={d} />
      ))}
    </section>
  );
}
