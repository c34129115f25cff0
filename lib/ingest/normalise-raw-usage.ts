// Recognises which provider a raw usage object came from by its keys and hands it to that provider's normaliser.
import type { FieldError } from "@/lib/errors";
import { normaliseAnthropicUsage } from "@/lib/ingest/normalise-anthropic-usage";
import { normaliseGeminiUsage } from "@/lib/ingest/normalise-gemini-usage";
import { normaliseOpenAIChatUsage, normaliseOpenAIResponsesUsage } from "@/lib/ingest/normalise-openai-usage";
import { describe, isRecord, ownValue, readServiceTier, type CanonicalUsage, type EventExtras, type UsageResult } from "@/lib/ingest/usage";

export const USAGE_SHAPES = ["openai-chat", "openai-responses", "anthropic", "gemini"] as const;
export type UsageShape = (typeof USAGE_SHAPES)[number];

export type NormaliseRawUsageResult =
  | { ok: true; usage: CanonicalUsage; shape: UsageShape; extras: Partial<EventExtras> }
  | { ok: false; errors: FieldError[] };

/*
 * Keys decide, because gateways and compatibility layers (Anthropic's OpenAI-compatible
 * endpoint, OpenRouter, LiteLLM) return one vendor's usage shape for another vendor's model.
 * The provider is only a hint for objects whose keys fit more than one shape.
 */
const SIGNATURES: Record<UsageShape, readonly string[]> = {
  "openai-chat": ["prompt_tokens", "completion_tokens", "prompt_tokens_details", "completion_tokens_details"],
  "openai-responses": ["input_tokens_details", "output_tokens_details"],
  anthropic: ["cache_read_input_tokens", "cache_creation_input_tokens", "cache_creation", "server_tool_use", "service_tier"],
  gemini: [
    "usageMetadata",
    "promptTokenCount",
    "candidatesTokenCount",
    "cachedContentTokenCount",
    "thoughtsTokenCount",
    "toolUsePromptTokenCount",
    "totalTokenCount",
  ],
};

const NORMALISERS: Record<UsageShape, (raw: unknown, path: string) => UsageResult> = {
  "openai-chat": normaliseOpenAIChatUsage,
  "openai-responses": normaliseOpenAIResponsesUsage,
  anthropic: normaliseAnthropicUsage,
  gemini: normaliseGeminiUsage,
};

const PATH = "rawUsage";

export function normaliseRawUsage(raw: unknown, provider?: string): NormaliseRawUsageResult {
  try {
    if (!isRecord(raw)) {
      return { ok: false, errors: [{ path: PATH, message: `rawUsage must be an object, got ${describe(raw)}` }] };
    }
    // A whole OpenAI or Anthropic response ({ ..., service_tier, usage: {...} }): the served tier is a
    // field of the OpenAI response, not of its usage, so it is read here and the usage object priced.
    let usage: Record<string, unknown> = raw;
    let path = PATH;
    let responseTier: string | null = null;
    const inner = ownValue(raw, "usage");
    if (isRecord(inner)) {
      const errors: FieldError[] = [];
      responseTier = readServiceTier(raw, "service_tier", PATH, errors);
      if (errors.length) return { ok: false, errors };
      usage = inner;
      path = `${PATH}.usage`;
    }
    const shape = detectShape(usage, typeof provider === "string" ? provider : undefined);
    if (!shape.ok) return shape;
    const result = NORMALISERS[shape.shape](usage, path);
    if (!result.ok) return result;
    const extras = { ...result.extras };
    if (responseTier !== null && (extras.serviceTier ?? null) === null) extras.serviceTier = responseTier;
    return { ok: true, usage: result.usage, shape: shape.shape, extras };
  } catch (err) {
    // Defence in depth: the readers do not throw, but ingest must answer with errors, never a 500.
    return { ok: false, errors: [{ path: PATH, message: `rawUsage could not be read: ${errorText(err)}` }] };
  }
}

type Detected = { ok: true; shape: UsageShape } | { ok: false; errors: FieldError[] };

export function detectShape(raw: Record<string, unknown>, provider?: string): Detected {
  const present = (key: string) => ownValue(raw, key) !== undefined;
  const found = USAGE_SHAPES.filter((shape) => SIGNATURES[shape].some(present));
  const hinted = hintedShapes(provider);

  // input_tokens/output_tokens alone fit both the Responses API and Anthropic; total_tokens only the former.
  if ((present("input_tokens") || present("output_tokens")) && !found.includes("openai-responses") && !found.includes("anthropic")) {
    if (present("total_tokens")) found.push("openai-responses");
    else found.push(hinted.includes("anthropic") ? "anthropic" : "openai-responses");
  }

  if (found.length === 1 && found[0]) return { ok: true, shape: found[0] };
  if (found.length === 0) {
    return {
      ok: false,
      errors: [
        {
          path: PATH,
          message:
            "rawUsage has no recognised token counts: expected OpenAI (prompt_tokens/completion_tokens or " +
            "input_tokens/output_tokens), Anthropic (input_tokens, cache_read_input_tokens, ...) or Gemini " +
            "(usageMetadata or promptTokenCount/candidatesTokenCount)",
        },
      ],
    };
  }
  const narrowed = found.filter((shape) => hinted.includes(shape));
  if (narrowed.length === 1 && narrowed[0]) return { ok: true, shape: narrowed[0] };
  return {
    ok: false,
    errors: [
      {
        path: PATH,
        message: `rawUsage mixes fields of several usage shapes (${found.join(", ")}); send one provider's usage object${
          provider ? "" : ", or set provider to say which"
        }`,
      },
    ],
  };
}

function hintedShapes(provider: string | undefined): UsageShape[] {
  const p = (provider ?? "").toLowerCase();
  if (p.includes("anthropic") || p.includes("claude")) return ["anthropic"];
  if (p.includes("openai") || p.includes("azure")) return ["openai-chat", "openai-responses"];
  if (p.includes("gemini") || p.includes("google") || p.includes("vertex")) return ["gemini"];
  return [];
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : "unexpected value";
}
