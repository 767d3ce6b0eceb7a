/**
 * Removes metadata from uploaded images before they are stored: EXIF (camera, GPS position, time),
 * XMP, IPTC and comments from JPEG; text, EXIF and time chunks from PNG. Pixels are untouched.
 * PDFs are stored as uploaded (their metadata cannot be removed without rewriting the file).
 */

// JPEG segments kept: APP0 (JFIF), APP2 (ICC colour profile), APP14 (Adobe colour transform).
const KEEP_APP = new Set([0xe0, 0xe2, 0xee]);

export function stripJpegMetadata(src: Buffer): Buffer {
  if (src[0] !== 0xff || src[1] !== 0xd8) return src;
  const parts: Buffer[] = [src.subarray(0, 2)];
  let i = 2;
  while (i + 4 <= src.length) {
    if (src[i] !== 0xff) return src; // not a segment boundary: leave the file as it was
    const marker = src[i + 1]!;
    // Start of scan: the rest is image data up to EOI; copy it whole.
    if (marker === 0xda) {
      parts.push(src.subarray(i));
      return Buffer.concat(parts);
    }
    const len = src.readUInt16BE(i + 2);
    const end = i + 2 + len;
    if (end > src.length) return src;
    const isApp = marker >= 0xe1 && marker <= 0xef;
    const isComment = marker === 0xfe;
    if (!(isApp && !KEEP_APP.has(marker)) && !isComment) parts.push(src.subarray(i, end));
    i = end;
  }
  return src;
}

const DROP_PNG = new Set(["tEXt", "zTXt", "iTXt", "eXIf", "tIME"]);

export function stripPngMetadata(src: Buffer): Buffer {
  const parts: Buffer[] = [src.subarray(0, 8)];
  let i = 8;
  while (i + 12 <= src.length) {
    const len = src.readUInt32BE(i);
    const type = src.subarray(i + 4, i + 8).toString("latin1");
    const end = i + 12 + len;
    if (end > src.length) return src;
    if (!DROP_PNG.has(type)) parts.push(src.subarray(i, end));
    i = end;
    if (type === "IEND") return Buffer.concat(parts);
  }
  // No IEND where the chunk lengths lead: not a PNG we understand, so it stays as it was.
  return src;
}

export function stripMetadata(contentType: string, bytes: Buffer): Buffer {
  if (contentType === "image/jpeg") return stripJpegMetadata(bytes);
  if (contentType === "image/png") return stripPngMetadata(bytes);
  return bytes;
}
