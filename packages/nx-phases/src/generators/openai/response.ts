import { maxTextTokens } from '../../cost';

/** One file in the model's reply. */
export interface PhaseFile {
  path: string;
  content: string;
}

/** The model's reply after validation. */
export interface PhaseReply {
  files: PhaseFile[];
  notes?: string;
}

/** The strict JSON schema sent as `response_format` (`notes` is nullable because strict mode requires every key). */
export const PHASE_REPLY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['files', 'notes'],
  properties: {
    files: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['path', 'content'],
        properties: { path: { type: 'string' }, content: { type: 'string' } },
      },
    },
    notes: { type: ['string', 'null'] },
  },
} as const;

/**
 * The tokens the reply schema adds to every request that sends it (`response_format` json_schema), counted as text with
 * the budget's rule (`maxTextTokens`: exact for OpenAI-family models, UTF-8 bytes otherwise); the budget's reservation
 * and the estimate's worst case both add it.
 */
export function replySchemaTokens(model: string): number {
  return maxTextTokens(JSON.stringify(PHASE_REPLY_SCHEMA), model);
}

/** The reply content could not be used; the attempt is retried. */
export class InvalidModelReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidModelReplyError';
  }
}

/**
 * Validate `choices[0]` of a completion: not cut short, JSON (one surrounding ``` fence is
 * tolerated), `{ files: [{ path, content }], notes? }`, every path one of `plannedFiles`
 * (a leading `./` is dropped), no path twice, at least one file. Throws `InvalidModelReplyError`
 * quoting the first 200 characters of the content.
 */
export function parsePhaseReply(content: string | null | undefined, finishReason: string | null | undefined, plannedFiles: string[]): PhaseReply {
  const text = content ?? '';
  if (finishReason === 'length') {
    throw invalid(`The reply was cut short (finish_reason "length"). Raise options.maxOutputTokens or plan fewer files per phase.`, text);
  }
  if (finishReason === 'content_filter') throw invalid('The reply was stopped by the content filter.', text);
  if (!text.trim()) throw invalid('The reply has no content.', text);
  const value = parseJson(text);
  if (typeof value !== 'object' || value === null || !Array.isArray((value as PhaseReply).files)) {
    throw invalid('The reply lacks a "files" array.', text);
  }
  const reply = value as { files: unknown[]; notes?: unknown };
  const files = reply.files.map((file, index) => checkFile(file, index, plannedFiles, text));
  const duplicate = files.find((file, index) => files.findIndex((other) => other.path === file.path) !== index);
  if (duplicate) throw invalid(`The reply writes ${duplicate.path} twice.`, text);
  if (files.length === 0 && plannedFiles.length > 0) throw invalid('The reply contains no files.', text);
  return typeof reply.notes === 'string' && reply.notes ? { files, notes: reply.notes } : { files };
}

function parseJson(text: string): unknown {
  const unfenced = text.trim().replace(/^```[\w-]*\s*\n([\s\S]*)\n```$/, '$1');
  try {
    return JSON.parse(unfenced);
  } catch (error) {
    throw invalid(`The reply is not valid JSON (${(error as Error).message}).`, text);
  }
}

function checkFile(file: unknown, index: number, plannedFiles: string[], text: string): PhaseFile {
  const candidate = file as Partial<PhaseFile> | null;
  if (typeof candidate?.path !== 'string' || typeof candidate.content !== 'string') {
    throw invalid(`files[${index}] needs a string "path" and a string "content".`, text);
  }
  const path = candidate.path.trim().replace(/^\.\//, '');
  if (!plannedFiles.includes(path)) {
    throw invalid(
      `files[${index}].path ${JSON.stringify(candidate.path)} is not one of this phase's plannedFiles (${plannedFiles.join(', ')}).`,
      text,
    );
  }
  return { path, content: candidate.content };
}

function invalid(reason: string, text: string): InvalidModelReplyError {
  const start = JSON.stringify(text.slice(0, 200)) + (text.length > 200 ? '…' : '');
  return new InvalidModelReplyError(`${reason} Reply starts: ${start}`);
}
