// The overhead configuration (settings key "overhead"): read it, and change it (validated, audited).
// Unset means no overhead: { globalPercent: null, perFeature: {} }.
import { db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { AppError, badRequest, type FieldError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { overheadConfigSchema, type OverheadConfig } from "@/lib/pricing/overhead";
import { withTransaction } from "@/lib/db/transaction";

export const OVERHEAD_KEY = "overhead";
export const NO_OVERHEAD: OverheadConfig = { globalPercent: null, perFeature: {} };

export type OverheadSetting = { overhead: OverheadConfig; updatedAt: string | null };

function parseStored(value: unknown): OverheadConfig {
  const parsed = overheadConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw new AppError(
      "invalid_setting",
      500,
      `The stored overhead setting is not valid (${parsed.error.issues.map((i) => i.message).join("; ")}); save it again in Settings → GPU & overhead.`,
    );
  }
  return parsed.data;
}

export async function getOverhead(): Promise<OverheadSetting> {
  const row = await db().setting.findUnique({ where: { key: OVERHEAD_KEY } });
  if (!row) return { overhead: NO_OVERHEAD, updatedAt: null };
  return { overhead: parseStored(row.value), updatedAt: row.updatedAt.toISOString() };
}

export async function setOverhead(config: OverheadConfig, actor: Actor): Promise<OverheadSetting> {
  return withTransaction(async (tx) => {
    const features = await tx.prisma.feature.findMany({ select: { slug: true }, orderBy: { slug: "asc" } });
    const known = new Set(features.map((f) => f.slug));
    const unknown: FieldError[] = Object.keys(config.perFeature)
      .filter((slug) => !known.has(slug))
      .map((slug) => ({
        path: `perFeature.${slug}`,
        message: `"${slug}" is not a feature; known features: ${[...known].join(", ") || "none"}`,
      }));
    if (unknown.length) throw badRequest("The overhead setting names unknown features.", unknown);
    const existing = await tx.prisma.setting.findUnique({ where: { key: OVERHEAD_KEY } });
    const before = existing ? existing.value : null;
    const value = config as unknown as Prisma.InputJsonValue;
    const saved = await tx.prisma.setting.upsert({
      where: { key: OVERHEAD_KEY },
      create: { key: OVERHEAD_KEY, value },
      update: { value, updatedAt: new Date() },
    });
    await recordAudit(tx, actor, { action: "settings.overhead.update", entityType: "setting", entityId: OVERHEAD_KEY, before, after: config });
    // Overhead is part of every request's fully-loaded cost: the next rollup refresh rebuilds them all.
    await tx.prisma.setting.deleteMany({ where: { key: "rollups.watermark" } });
    return { overhead: config, updatedAt: saved.updatedAt.toISOString() };
  });
}
