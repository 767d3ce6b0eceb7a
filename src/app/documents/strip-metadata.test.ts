import { describe, expect, it } from "vitest";
import { stripJpegMetadata, stripPngMetadata } from "./strip-metadata.js";

function segment(marker: number, payload: string): Buffer {
  const body = Buffer.from(payload, "latin1");
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

function chunk(type: string, payload: string): Buffer {
  const data = Buffer.from(payload, "latin1");
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, Buffer.from(type, "latin1"), data, Buffer.alloc(4)]);
}

describe("metadata stripping", () => {
  it("drops EXIF, XMP and comments from a JPEG and keeps JFIF, ICC and the image data", () => {
    const jpeg = Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      segment(0xe0, "JFIF\0"),
      segment(0xe1, "Exif\0\0GPS 31.2304N 121.4737E Canon"),
      segment(0xe1, "http://ns.adobe.com/xap/1.0/ <x:xmpmeta>"),
      segment(0xe2, "ICC_PROFILE"),
      segment(0xfe, "taken at home"),
      segment(0xdb, "quant"),
      Buffer.from([0xff, 0xda, 0, 4, 1, 2, 0x11, 0x22, 0xff, 0xd9]),
    ]);
    const out = stripJpegMetadata(jpeg).toString("latin1");
    expect(out).not.toContain("GPS");
    expect(out).not.toContain("xmpmeta");
    expect(out).not.toContain("taken at home");
    expect(out).toContain("JFIF");
    expect(out).toContain("ICC_PROFILE");
    expect(out).toContain("quant");
    expect(out.endsWith("\u0011\u0022\u00ff\u00d9")).toBe(true);
  });

  it("drops text, EXIF and time chunks from a PNG and keeps the image chunks", () => {
    const png = Buffer.concat([
      Buffer.from("89504e470d0a1a0a", "hex"),
      chunk("IHDR", "hdr"),
      chunk("tEXt", "Author\0Zhang San"),
      chunk("eXIf", "GPS"),
      chunk("IDAT", "pixels"),
      chunk("IEND", ""),
    ]);
    const out = stripPngMetadata(png).toString("latin1");
    expect(out).not.toContain("Zhang San");
    expect(out).not.toContain("eXIf");
    expect(out).toContain("IHDR");
    expect(out).toContain("pixels");
    expect(out).toContain("IEND");
  });

  it("leaves a file it cannot parse as it was", () => {
    const broken = Buffer.from([0xff, 0xd8, 0x00, 0x01, 0x02]);
    expect(stripJpegMetadata(broken)).toBe(broken);
  });
});

describe("metadata stripping through the upload", () => {
  it("stores an uploaded photo without its GPS position", async () => {
    const { Harness, newKey } = await import("../../../test/support/harness.js");
    const h = await Harness.start();
    try {
      const holder = await h.signInHolder("19857121608");
      const app = await h.write(holder, "POST", "/api/v1/applications", {
        cardId: "card_demo_transit_online",
      });
      const id = app.json().application.id;
      const jpeg = Buffer.concat([
        Buffer.from([0xff, 0xd8]),
        segment(0xe1, "Exif\0\0GPS 31.2304N 121.4737E"),
        Buffer.from([0xff, 0xda, 0, 4, 1, 2, 0x11, 0x22, 0xff, 0xd9]),
      ]);
      const up = await h.inject({
        method: "POST",
        url: `/api/v1/applications/${id}/documents?kind=card_photo`,
        payload: jpeg,
        headers: { ...holder.headers, "content-type": "image/jpeg", "idempotency-key": newKey("doc") },
      });
      const back = await h.inject({
        method: "GET",
        url: `/api/v1/applications/${id}/documents/${up.json().document.id}`,
        headers: holder.headers,
      });
      expect(back.rawPayload.toString("latin1")).not.toContain("GPS");
      expect(
        back.rawPayload.equals(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 4, 1, 2, 0x11, 0x22, 0xff, 0xd9])),
      ).toBe(true);
    } finally {
      await h.close();
    }
  });
});
