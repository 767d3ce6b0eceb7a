/**
 * Finding a font that can print Chinese. Debian's `fonts-wqy-microhei` is the one CI installs;
 * other common CJK fonts are tried after it, and ZHUXIAO_CJK_FONT names one explicitly
 * (`/path/font.ttf`, `/path/fonts.ttc#PostScriptName`, or `none` to force the fallback).
 */
import { existsSync } from "node:fs";

export interface CjkFont {
  path: string;
  /** The face inside a collection (.ttc); undefined for a single-font file. */
  face?: string;
  /** A fixed-width face from the same collection, for hashes and keys. */
  monoFace?: string;
}

const CANDIDATES: CjkFont[] = [
  {
    path: "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    face: "WenQuanYiMicroHei",
    monoFace: "WenQuanYiMicroHeiMono",
  },
  { path: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", face: "WenQuanYiZenHei" },
  { path: "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", face: "NotoSansCJKsc-Regular" },
];

/** The CJK font to print with, or null when there is none: the caller prints English only. */
export function findCjkFont(setting: string | undefined): CjkFont | null {
  if (setting === "none") return null;
  if (setting) {
    const [path, face] = setting.split("#") as [string, string | undefined];
    if (!existsSync(path)) throw new Error(`ZHUXIAO_CJK_FONT: no font file at ${path}`);
    return face ? { path, face } : { path };
  }
  return CANDIDATES.find((c) => existsSync(c.path)) ?? null;
}
