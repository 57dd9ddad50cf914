/** A watermark as a client sends it: none (absent, empty or `-`), a sequence number, or not one (400). */
export type WatermarkReading = { ok: true; value: number | undefined } | { ok: false };

/** Reads a `watermark` query parameter. */
export function parseWatermark(raw: string | null | undefined): WatermarkReading {
  if (raw === null || raw === undefined || raw === "" || raw === "-") return { ok: true, value: undefined };
  if (!/^\d{1,9}$/.test(raw)) return { ok: false };
  return { ok: true, value: Number(raw) };
}

/** The parameters of a query string (without its `?`), or undefined when it cannot be read. */
export function searchParamsOf(query: string): URLSearchParams | undefined {
  if (query.length > 4096) return undefined;
  try {
    return new URLSearchParams(query);
  } catch {
    return undefined;
  }
}

/** The query string of a request URL, without its `?`. */
export function queryOf(url: string | undefined): string {
  const index = (url ?? "").indexOf("?");
  return index < 0 ? "" : (url ?? "").slice(index + 1);
}
