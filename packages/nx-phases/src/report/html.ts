/** Escapes text for HTML/SVG content and attribute values (names come from disk: never inserted raw). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** `text` cut to `maxChars` characters with an ellipsis (the full text goes into a `<title>`). */
export function truncate(text: string, maxChars: number): string {
  const chars = [...text];
  return chars.length <= maxChars ? text : `${chars.slice(0, Math.max(1, maxChars - 1)).join('')}…`;
}

/** Characters of a 12–13 px sans-serif label that fit in `widthPx` (a conservative average glyph width). */
export function charsThatFit(widthPx: number, fontPx: number): number {
  return Math.floor(widthPx / (fontPx * 0.6));
}

/** Colours shared by both pages, one per phase domain (unknown domains look like `feature`). */
export const DOMAIN_COLOURS: Record<string, string> = {
  setup: '#6b7280',
  database: '#0e7490',
  auth: '#7c3aed',
  api: '#2563eb',
  feature: '#059669',
  admin: '#b45309',
  polish: '#db2777',
  testing: '#4d7c0f',
};

/** The colour of a domain. */
export function domainColour(domain: string): string {
  return DOMAIN_COLOURS[domain] ?? DOMAIN_COLOURS.feature;
}

const BASE_CSS = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 24px; color: #111827; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
p.meta { color: #4b5563; margin: 0 0 12px; font-size: 13px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #e5e7eb; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f9fafb; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.legend { display: flex; flex-wrap: wrap; gap: 16px; font-size: 13px; color: #374151; margin: 8px 0 12px; }
.legend span.swatch { display: inline-block; width: 14px; height: 14px; vertical-align: -2px; margin-right: 6px; border-radius: 3px; }
.scroll { overflow: auto; border: 1px solid #e5e7eb; border-radius: 6px; }
svg text { font-family: inherit; }
`;

/** A complete, self-contained HTML document: inline CSS, no script, nothing loaded from anywhere. */
export function htmlPage(title: string, css: string, body: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Forbids every fetch (scripts, fonts, images, styles from anywhere): the page is complete as written.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${BASE_CSS}${css}</style>`,
    '</head>',
    '<body>',
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
