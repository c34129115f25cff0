// Gemini usageMetadata → canonical buckets: cached content comes out of the prompt, thoughts and tool-use prompts are their own counts.
import type { FieldError } from "@/lib/errors";
import { CountReader, finishUsage, isRecord, describe, ownValue, type UsageResult } from "@/lib/ingest/usage";

/*
 * Gemini's promptTokenCount includes cachedContentTokenCount, so the cached part is taken out
 * of input. thoughtsTokenCount is reported beside candidatesTokenCount (both billed as output)
 * and toolUsePromptTokenCount beside the prompt (billed as input), so those are added, not
 * subtracted: totalTokenCount = prompt + candidates + thoughts + toolUsePrompt.
 *
 * Some Gemini/Vertex responses have counted thoughts inside candidatesTokenCount instead. When
 * totalTokenCount is reported and only the nested reading adds up to it, candidates are taken
 * as including thoughts; when neither reading adds up the usage is rejected, because billing
 * one of two guesses would be wrong half the time.
 */
export function normaliseGeminiUsage(raw: unknown, path = "rawUsage"): UsageResult {
  let obj = raw;
  let at = path;
  if (isRecord(raw) && ownValue(raw, "usageMetadata") !== undefined) {
    obj = ownValue(raw, "usageMetadata");
    at = `${path}.usageMetadata`;
  }
  if (!isRecord(obj)) return { ok: false, errors: [{ path: at, message: `usageMetadata must be an object, got ${describe(obj)}` }] };

  const errors: FieldError[] = [];
  const r = new CountReader(obj, at, errors);
  const prompt = r.count("promptTokenCount");
  const cached = r.count("cachedContentTokenCount");
  const candidates = r.count("candidatesTokenCount");
  const thoughts = r.count("thoughtsTokenCount");
  const toolUsePrompt = r.count("toolUsePromptTokenCount");
  const hasTotal = r.has("totalTokenCount");
  const total = r.count("totalTokenCount");
  if (errors.length === 0) {
    r.partFits(`${at}.cachedContentTokenCount`, "cachedContentTokenCount", cached, "promptTokenCount", prompt);
  }

  let output = candidates;
  if (errors.length === 0 && hasTotal) {
    const separate = prompt + candidates + thoughts + toolUsePrompt;
    const nested = prompt + candidates + toolUsePrompt;
    if (total === separate) {
      output = candidates;
    } else if (thoughts > 0 && thoughts <= candidates && total === nested) {
      output = candidates - thoughts;
    } else {
      errors.push({
        path: `${at}.totalTokenCount`,
        message:
          `totalTokenCount (${total}) does not equal promptTokenCount + candidatesTokenCount + ` +
          `thoughtsTokenCount + toolUsePromptTokenCount (${separate})`,
      });
    }
  }

  return finishUsage(
    {
      inputTokens: prompt - cached + toolUsePrompt,
      cacheReadTokens: cached,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      outputTokens: output,
      reasoningTokens: thoughts,
      toolOutputTokens: 0,
    },
    at,
    errors,
  );
}
