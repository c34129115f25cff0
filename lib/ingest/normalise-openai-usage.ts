// OpenAI usage (Chat Completions and Responses API) → canonical buckets, splitting the counts OpenAI nests inside each other.
import type { FieldError } from "@/lib/errors";
import { CountReader, finishUsage, isRecord, describe, unknownCounts, type UsageResult } from "@/lib/ingest/usage";

/** Every count OpenAI's usage objects carry that the buckets account for (cached, reasoning, audio, predictions). */
const KNOWN = new Set([
  "prompt_tokens", "completion_tokens", "total_tokens", "input_tokens", "output_tokens",
  "prompt_tokens_details.cached_tokens", "prompt_tokens_details.audio_tokens",
  "input_tokens_details.cached_tokens", "input_tokens_details.audio_tokens",
  "completion_tokens_details.reasoning_tokens", "completion_tokens_details.audio_tokens",
  "completion_tokens_details.accepted_prediction_tokens", "completion_tokens_details.rejected_prediction_tokens",
  "output_tokens_details.reasoning_tokens", "output_tokens_details.audio_tokens",
]);

/*
 * OpenAI nests rather than separates: cached_tokens is a subset of the prompt count and
 * reasoning_tokens a subset of the completion count. Taking them out once gives disjoint
 * buckets whose sum is exactly prompt + completion, so nothing is billed twice.
 *
 * Audio counts are parts of the uncached prompt and of the visible completion: they stay inside
 * inputTokens and outputTokens and are also reported as audioInputTokens / audioOutputTokens, so pricing
 * bills them at the audio rate and only the rest at the text rate. Predicted-output counts are only
 * checked for fitting inside their parent count. The served `service_tier` is a field of the response,
 * not of its usage; normaliseRawUsage reads it when it is given the whole response.
 */

type Names = {
  input: string;
  output: string;
  inputDetails: string;
  outputDetails: string;
};

const CHAT: Names = {
  input: "prompt_tokens",
  output: "completion_tokens",
  inputDetails: "prompt_tokens_details",
  outputDetails: "completion_tokens_details",
};

const RESPONSES: Names = {
  input: "input_tokens",
  output: "output_tokens",
  inputDetails: "input_tokens_details",
  outputDetails: "output_tokens_details",
};

export function normaliseOpenAIChatUsage(raw: unknown, path = "rawUsage"): UsageResult {
  return normalise(raw, path, CHAT, ["audio_tokens"], ["audio_tokens", "accepted_prediction_tokens", "rejected_prediction_tokens"]);
}

export function normaliseOpenAIResponsesUsage(raw: unknown, path = "rawUsage"): UsageResult {
  return normalise(raw, path, RESPONSES, ["audio_tokens"], ["audio_tokens"]);
}

function normalise(
  raw: unknown,
  path: string,
  names: Names,
  inputSubsets: readonly string[],
  outputSubsets: readonly string[],
): UsageResult {
  if (!isRecord(raw)) return { ok: false, errors: [{ path, message: `usage must be an object, got ${describe(raw)}` }] };
  const errors: FieldError[] = [];
  const r = new CountReader(raw, path, errors);

  const input = r.count(names.input);
  const output = r.count(names.output);
  const inDetails = r.child(names.inputDetails);
  const outDetails = r.child(names.outputDetails);
  const cached = inDetails?.count("cached_tokens") ?? 0;
  const reasoning = outDetails?.count("reasoning_tokens") ?? 0;
  const audioIn = inDetails?.count("audio_tokens") ?? 0;
  const audioOut = outDetails?.count("audio_tokens") ?? 0;
  const hasTotal = r.has("total_tokens");
  const total = r.count("total_tokens");

  if (inDetails) {
    inDetails.partFits(`${inDetails.path}.cached_tokens`, "cached_tokens", cached, names.input, input);
    for (const key of inputSubsets) {
      const n = inDetails.count(key);
      inDetails.partFits(`${inDetails.path}.${key}`, key, n, names.input, input);
    }
  }
  if (outDetails) {
    outDetails.partFits(`${outDetails.path}.reasoning_tokens`, "reasoning_tokens", reasoning, names.output, output);
    for (const key of outputSubsets) {
      const n = outDetails.count(key);
      outDetails.partFits(`${outDetails.path}.${key}`, key, n, names.output, output);
    }
  }

  if (errors.length === 0 && inDetails && audioIn > input - cached) {
    errors.push({ path: `${inDetails.path}.audio_tokens`, message: `audio_tokens (${audioIn}) exceeds the uncached ${names.input} (${input - cached}); cached audio cannot be told apart` });
  }
  if (errors.length === 0 && outDetails && audioOut > output - reasoning) {
    errors.push({ path: `${outDetails.path}.audio_tokens`, message: `audio_tokens (${audioOut}) exceeds ${names.output} without reasoning_tokens (${output - reasoning})` });
  }

  // A total that disagrees means we misread the shape, and a misread shape means a wrong cost.
  if (errors.length === 0 && hasTotal && total !== input + output) {
    errors.push({
      path: `${path}.total_tokens`,
      message: `total_tokens (${total}) does not equal ${names.input} + ${names.output} (${input + output})`,
    });
  }

  return finishUsage(
    {
      inputTokens: input - cached,
      cacheReadTokens: cached,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      outputTokens: output - reasoning,
      reasoningTokens: reasoning,
      toolOutputTokens: 0,
    },
    path,
    errors,
    { audioInputTokens: audioIn, audioOutputTokens: audioOut, unknownUsage: unknownCounts(raw, KNOWN) },
  );
}
