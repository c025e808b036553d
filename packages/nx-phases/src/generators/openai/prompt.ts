import type { MergeStrategy, Phase } from '../../plan/types';
import type { DependencyOutput } from '../../runtime/phase-generator';
import { rankSnapshotFiles, renderFileContext, SnapshotFile } from './context';
import { countChatTokens, countTokens } from '../../cost';

/** Version of the prompt layout and default system prompt; part of the cache key. Bump on any change. */
export const PROMPT_TEMPLATE_VERSION = '2';

/** Tokens the chat format adds around two messages (3 per message plus its role, 3 to prime the reply), reserved in the budget. */
const CHAT_FRAMING_TOKENS = 3 + 2 * (3 + 1);

/** The system prompt used unless `options.systemPrompt` replaces it. */
export const DEFAULT_SYSTEM_PROMPT = [
  'You are a senior software engineer implementing one phase of an application that is generated phase by phase.',
  'Earlier phases already wrote the existing files you are shown: build on them and keep what they export working.',
  'Write complete, working, idiomatic code with no placeholders or TODOs.',
  'Reply with a single JSON object in exactly the format the user message describes, and nothing else.',
].join(' ');

/** Everything the prompt is built from. */
export interface PromptInput {
  planName: string;
  phase: Phase;
  /** Transitive dependencies in dependency order (the last is the nearest). */
  dependencies: DependencyOutput[];
  /** The plan's shared context paths. */
  context: string[];
  /** The snapshot's files, in any order. */
  files: SnapshotFile[];
  maxContextTokens: number;
  /** The model the prompt is for: its tokenizer counts the prompt (see `countTokens` in src/cost). */
  model: string;
  systemPrompt?: string;
  /** The phase's planned files that the plan merges, with their strategy: the model may only add to them. */
  merge?: Record<string, MergeStrategy>;
}

/** The chat messages and their token count for the model (`countChatTokens`: exact for OpenAI-family models). */
export interface PhasePrompt {
  system: string;
  user: string;
  estimatedTokens: number;
  /** A repair: the previous reply (the phase's files as they are now) and a user turn with the check's diagnostics. */
  followUp?: { assistant: string; user: string };
}

/**
 * Build the prompt for one phase: its spec, the files it may write, what its dependencies
 * implemented, the snapshot's files compressed into what is left of `maxContextTokens`, and the
 * reply format. Pure and deterministic. If the fixed parts alone exceed the budget, files are
 * listed only as far as nothing is left (the spec itself is never cut).
 */
export function buildPhasePrompt(input: PromptInput): PhasePrompt {
  const system = input.systemPrompt ?? DEFAULT_SYSTEM_PROMPT;
  const head = phaseSection(input.planName, input.phase, input.merge ?? {}) + dependencySection(input.dependencies);
  const tail = replyFormatSection(input.phase);
  const count = (text: string) => countTokens(text, input.model).tokens;
  const budget = input.maxContextTokens - CHAT_FRAMING_TOKENS - count(system) - count(head) - count(tail);
  const ranked = rankSnapshotFiles(input.files, {
    plannedFiles: input.phase.plannedFiles,
    dependencies: input.dependencies,
    context: input.context,
  });
  const user = head + renderFileContext(ranked, budget, count) + tail;
  const prompt: PhasePrompt = { system, user, estimatedTokens: 0 };
  prompt.estimatedTokens = countChatTokens(chatMessages(prompt), input.model).tokens;
  return prompt;
}

/** The messages a prompt sends, in order: system, user and, for a repair, the previous reply and the repair request. */
export function chatMessages(prompt: Omit<PhasePrompt, 'estimatedTokens'>): Array<{ role: 'system' | 'user' | 'assistant'; content: string }> {
  return [
    { role: 'system', content: prompt.system },
    { role: 'user', content: prompt.user },
    ...(prompt.followUp
      ? [
          { role: 'assistant' as const, content: prompt.followUp.assistant },
          { role: 'user' as const, content: prompt.followUp.user },
        ]
      : []),
  ];
}

function phaseSection(planName: string, phase: Phase, merge: Record<string, MergeStrategy>): string {
  return [
    `# Phase ${phase.number}: ${phase.name}`,
    `App plan: ${planName}`,
    `Domain: ${phase.domain}`,
    '',
    '## Description',
    phase.description.trim() || '(none)',
    '',
    '## Features',
    ...(phase.features.length ? phase.features.map((feature) => `- ${feature}`) : ['(none listed)']),
    '',
    '## Files you may write',
    'Write only these files (paths relative to the app root). A reply with any other path is rejected.',
    ...phase.plannedFiles.map((file) => `- ${file}`),
    '',
    ...sharedFilesSection(merge),
    '',
  ].join('\n');
}

/** How to add to each kind of shared (mergeable) file, so the reply only adds. */
const ADD_ONLY_RULES: Record<MergeStrategy, string> = {
  json: 'add new keys (for example your npm dependencies) at any depth; never remove a key or change a value that is already there.',
  lines: 'add new lines; keep every existing line exactly as it is; never give an existing variable a second value.',
  regions:
    'add new lines only between a "nx-phases:region <name>" comment and its "nx-phases:end <name>" comment; keep every existing line and leave everything outside the regions exactly as it is.',
};

/** The "Shared files" section: which planned files other phases extend too, and the add-only rule of each. */
function sharedFilesSection(merge: Record<string, MergeStrategy>): string[] {
  const files = Object.keys(merge).sort();
  if (files.length === 0) return [];
  return [
    '## Shared files: only add to them',
    'Other phases add to these files at the same time, and their additions are merged. Reply with the complete file: the version you are shown plus your additions.',
    'A removal or a changed entry fails this phase. If you have nothing to add to a shared file, leave it out of your reply.',
    ...files.map((file) => `- ${file}: ${ADD_ONLY_RULES[merge[file]]}`),
    '',
  ];
}

function dependencySection(dependencies: DependencyOutput[]): string {
  const lines = dependencies.length
    ? dependencies.map(
        (dependency) =>
          `- Phase ${dependency.number} "${dependency.name}" (${dependency.domain}). ` +
          `Features: ${dependency.features.join('; ') || 'none listed'}. Files: ${dependency.files.join(', ') || 'none'}.`,
      )
    : ['None: this phase has no dependencies.'];
  return ['## What earlier phases implemented', ...lines, '', ''].join('\n');
}

function replyFormatSection(phase: Phase): string {
  return [
    '## Reply format',
    'Reply with one JSON object and nothing else:',
    '{"files":[{"path":"<a path from Files you may write>","content":"<the complete file text>"}],"notes":"<optional, short>"}',
    `Include every file this phase needs to write (at most ${phase.plannedFiles.length}), each with its complete content.`,
    '',
  ].join('\n');
}
