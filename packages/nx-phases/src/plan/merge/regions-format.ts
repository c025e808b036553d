/**
 * A region marker: a comment line `nx-phases:region <name>` or `nx-phases:end <name>`, written with `//`, `#`,
 * `--`, `;`, `/* … *\/`, `{/* … *\/}` (JSX) or `<!-- … -->`.
 */
const MARKER =
  /^\s*(?:\/\/|#|--|;|\/\*|\{\s*\/\*|<!--)\s*nx-phases:(region|end)\s+([A-Za-z][A-Za-z0-9_-]*)\s*(?:\*\/\s*\}?|-->)?\s*$/;

/** A line that mentions a marker keyword; if it does not match MARKER it is malformed. */
const MARKER_MENTION = /nx-phases:(?:region|end)\b/;

/**
 * Why `line` cannot be a line inside a region (it holds a line break, mentions a marker keyword, is blank or ends
 * in spaces: parsing the merged file again would not give the same regions), or undefined when it can.
 */
export function regionLineProblem(line: string): string | undefined {
  if (/[\r\n]/.test(line)) return 'it holds a line break';
  if (MARKER_MENTION.test(line)) return 'it holds a region marker ("nx-phases:region" or "nx-phases:end")';
  if (line.trim() === '') return 'it is blank';
  if (line !== line.trimEnd()) return 'it ends in spaces';
  return undefined;
}

/** Names a region may have. */
export const REGION_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** A named region: its two marker lines and its content lines (non-blank, trailing spaces removed). */
export interface Region {
  kind: 'region';
  name: string;
  open: string;
  close: string;
  lines: string[];
}

/** Text outside the regions, line by line (trailing spaces removed). */
export interface TextBlock {
  kind: 'text';
  lines: string[];
}

/** A file split into text blocks and regions, in file order. */
export interface RegionsDocument {
  blocks: Array<TextBlock | Region>;
}

/** The markers of a file do not pair up; `line` is 1-based. */
export class RegionSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = 'RegionSyntaxError';
  }
}

/** Splits a file into text and named regions; throws `RegionSyntaxError` for unpaired, nested or repeated markers. */
export function parseRegions(text: string): RegionsDocument {
  const blocks: RegionsDocument['blocks'] = [];
  const names = new Set<string>();
  let open: (Omit<Region, 'close'> & { at: number }) | undefined;
  let textBlock: TextBlock | undefined;
  splitLines(text).forEach((line, index) => {
    const at = index + 1;
    const marker = MARKER.exec(line);
    if (!marker) {
      if (MARKER_MENTION.test(line)) {
        throw new RegionSyntaxError(at, `${JSON.stringify(line.trim())} is not a valid marker; write "// nx-phases:region <name>" or "// nx-phases:end <name>" on a line of its own.`);
      }
      if (open) {
        if (line !== '') open.lines.push(line); // lines come without trailing white space: a blank one is ''
      } else {
        if (!textBlock) blocks.push((textBlock = { kind: 'text', lines: [] }));
        textBlock.lines.push(line);
      }
      return;
    }
    const [, kind, name] = marker;
    if (kind === 'region') {
      if (open) throw new RegionSyntaxError(at, `region "${name}" starts inside region "${open.name}" (line ${open.at}); regions cannot nest.`);
      if (names.has(name)) throw new RegionSyntaxError(at, `there is a second region named "${name}"; region names must be unique in a file.`);
      names.add(name);
      open = { kind: 'region', name, open: line, lines: [], at };
      textBlock = undefined;
      return;
    }
    if (!open) throw new RegionSyntaxError(at, `"nx-phases:end ${name}" has no "nx-phases:region ${name}" before it.`);
    if (open.name !== name) throw new RegionSyntaxError(at, `"nx-phases:end ${name}" closes region "${open.name}" (line ${open.at}); use "nx-phases:end ${open.name}".`);
    const { at: _at, ...region } = open;
    blocks.push({ ...region, close: line });
    open = undefined;
  });
  if (open) throw new RegionSyntaxError(open.at, `region "${open.name}" is never closed; add "nx-phases:end ${open.name}" after its lines.`);
  return { blocks };
}

/** The file text of a document (lines joined with "\n", a final newline unless empty). */
export function renderRegions(document: RegionsDocument): string {
  const lines = document.blocks.flatMap((block) => (block.kind === 'text' ? block.lines : [block.open, ...block.lines, block.close]));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** The text with every region emptied: what only the creating phase may write. */
export function skeletonText(document: RegionsDocument): string {
  return renderRegions({ blocks: document.blocks.map((block) => (block.kind === 'text' ? block : { ...block, lines: [] })) });
}

/** The regions of a document, in file order. */
export function regionsOf(document: RegionsDocument): Region[] {
  return document.blocks.filter((block): block is Region => block.kind === 'region');
}

/** Lines of a text without a byte-order mark, "\r" or trailing spaces; a final newline adds no empty line. */
function splitLines(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((line) => line.trimEnd());
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
