import { randomBytes } from 'node:crypto';
import { costOfUsage, formatUsd, maxChatTokens, PRICE_TABLE_DATE, priceFor, worstCaseCost, type ModelPrice, type TokenUsage } from '../../cost';
import { openBudgetStore, reserveCall, type BudgetStore, type MaxCost } from '../../runtime/budget';
import type { PhaseRuntime } from '../../runtime/phase-generator';
import type { ResolvedOpenAIOptions } from './options';
import { chatMessages, type PhasePrompt } from './prompt';
import { replySchemaTokens } from './response';

/** One call's reservation: settle it to the real usage, to its whole worst case, or release it (nothing spent). */
export interface ReservedCall {
  settle(usage: TokenUsage): Promise<void>;
  settleWorstCase(): Promise<void>;
  release(): Promise<void>;
}

/** A phase's access to the run's budget: every call reserves its worst case before it is sent. */
export interface PhaseCallBudget {
  reserve(prompt: PhasePrompt): Promise<ReservedCall>;
}

/**
 * The budget for a phase's calls, or undefined when no budget is set. With a budget, a model without a known price
 * is refused here, before any request (it is never treated as free).
 */
export function phaseCallBudget(runtime: PhaseRuntime, options: ResolvedOpenAIOptions, phase: string, prices?: Record<string, ModelPrice>): PhaseCallBudget | undefined {
  const maxCost = runtime.maxCost;
  if (!maxCost) return undefined;
  const price = priceFor(options.model, prices);
  if (!price) throw new UnknownPriceError(options.model, maxCost);
  const store = openBudgetStore(runtime.workspaceRoot, maxCost.usd);
  // Structured outputs send the reply schema with the prompt; count it so the worst case stays an upper bound.
  const schemaTokens = replySchemaTokens(options.model);
  return {
    reserve: async (prompt) => {
      // An upper bound, not the estimate: exact for OpenAI-family models, UTF-8 bytes for models without a tokenizer here.
      const promptTokens = maxChatTokens(chatMessages(prompt), options.model);
      const amountUsd = worstCaseCost(promptTokens + schemaTokens, options.maxOutputTokens, price);
      const id = randomBytes(8).toString('hex');
      await reserveCall(store, { id, amountUsd, phase }, {
        signal: runtime.signal,
        source: maxCost.source,
        onWait: (refusal) => runtime.progress(`Waiting for budget (${formatUsd(refusal.reservedUsd)} reserved by calls in progress)`),
      });
      return reservedCall(store, id, amountUsd, price);
    },
  };
}

function reservedCall(store: BudgetStore, id: string, worstCaseUsd: number, price: ModelPrice): ReservedCall {
  let closed = false;
  const once = (close: () => Promise<void>) => async () => {
    if (closed) return;
    closed = true;
    await close();
  };
  return {
    settle: (usage) => once(() => store.settle(id, Math.min(costOfUsage(usage, price), Number.MAX_VALUE)))(),
    settleWorstCase: once(() => store.settle(id, worstCaseUsd)),
    release: once(() => store.release(id)),
  };
}

/** A budget is set but the model has no price: refusing is the only way the budget can hold. */
export class UnknownPriceError extends Error {
  constructor(model: string, maxCost: MaxCost) {
    super(
      `A budget is set (${formatUsd(maxCost.usd)}, ${maxCost.source}), but the price table (${PRICE_TABLE_DATE}) has no price for ` +
        `model "${model}", so its calls cannot be counted. Nothing was sent. Add the model's prices (USD per token) as a price ` +
        `override, or unset the budget.`,
    );
    this.name = 'UnknownPriceError';
  }
}
