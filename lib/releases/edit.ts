// Changing a release: only whoever lib/auth/policies.ts allows (checked on the stored release, so an
// owner cannot add his own feature to another feature's release), and never a way out of a
// justification: the variance check runs on the release before the change and after it, and a
// "justification required" verdict from either is kept until the release is justified.
import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorOf, type Principal } from "@/lib/auth/principal";
import { auditState, lockReleaseForEdit, writeReleaseChange } from "@/lib/releases/releases";
import type { UpdateReleaseInput } from "@/lib/releases/schemas";
import { recordVariance, type ReleaseCheck } from "@/lib/releases/variance";
import { withTransaction } from "@/lib/db/transaction";

/** Changes a release; refused (403, nothing changed or audited) unless the principal may edit it. */
export async function editRelease(db: Db, id: string, input: UpdateReleaseInput, principal: Principal): Promise<ReleaseCheck> {
  return withTransaction(async (c) => {
    const stored = await lockReleaseForEdit(c, id, principal);
    const before = (await recordVariance(c, stored)).release;
    const changed = await writeReleaseChange(c, id, input);
    const check = await recordVariance(c, changed);
    await recordAudit(c, actorOf(principal), {
      action: "release.update",
      entityType: "release",
      entityId: id,
      before: auditState(before),
      after: auditState(check.release),
    });
    return check;
  }, { db });
}
