// Gemini usageMetadata → canonical buckets: cached content comes out of the prompt, thoughts and tool-use prompts are their own counts.
import type { FieldError } from "@/lib/errors";
import { CountReader, finishUsage, isRecord, describe, ownValue, tokenCountProblem, unknownCounts, type UsageResult } from "@/lib/ingest/usage";

/** The counts the buckets account for (the per-modality lists are arrays, read above, never reported). */
const KNOWN = new Set(["promptTokenCount", "cachedContentTokenCount", "candidatesTokenCount", "thoughtsTokenCount", "toolUsePromptTokenCount", "totalTokenCount"]);

/** The count for one modality in a Gemini ModalityTokenCount list; 0 when absent, errors for a malformed list. */
function modalityCount(obj: Record<string, unknown>, key: string, modality: string, path: string, errors: FieldError[]): number {
  const list = ownValue(obj, key);
  if (list === undefined || list === null) return 0;
  if (!Array.isArray(list)) {
    errors.push({ path: `${path}.${key}`, message: `${key} must be a list of {modality, tokenCount}, got ${describe(list)}` });
    return 0;
  }
  let total = 0;
  list.forEach((item, i) => {
    if (!isRecord(item)) {
      errors.push({ path: `${path}.${key}.${i}`, message: `${key} entries must be objects, got ${describe(item)}` });
      return;
    }
    if (ownValue(item, "modality") !== modality) return;
    const n = ownValue(item, "tokenCount") ?? 0;
    const problem = tokenCountProblem("tokenCount", n);
    if (problem) errors.push({ path: `${path}.${key}.${i}.tokenCount`, message: problem });
    else total += n as number;
  });
  return total;
}

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
 *
 * Modalities: promptTokensDetails lists the prompt per modality (cached content included) and
 * cacheTokensDetails the cached part per modality. Gemini prices audio input apart from text, image
 * and video, so the uncached AUDIO count becomes audioInputTokens (a part of inputTokens); the other
 * modalities are billed at the text rate and stay plain input. An AUDIO entry in
 * candidatesTokensDetails becomes audioOutputTokens.
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

  const audioPrompt = modalityCount(obj, "promptTokensDetails", "AUDIO", at, errors);
  const audioCached = modalityCount(obj, "cacheTokensDetails", "AUDIO", at, errors);
  const audioOut = modalityCount(obj, "candidatesTokensDetails", "AUDIO", at, errors);
  if (errors.length === 0 && (audioCached > audioPrompt || audioPrompt - audioCached > prompt - cached)) {
    errors.push({ path: `${at}.promptTokensDetails`, message: `the AUDIO prompt count (${audioPrompt}, ${audioCached} cached) does not fit in promptTokenCount (${prompt}, ${cached} cached)` });
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

  if (errors.length === 0 && audioOut > output) {
    errors.push({ path: `${at}.candidatesTokensDetails`, message: `the AUDIO candidates count (${audioOut}) exceeds the visible output (${output})` });
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
    { audioInputTokens: audioPrompt - audioCached, audioOutputTokens: audioOut, unknownUsage: unknownCounts(obj, KNOWN) },
  );
}
