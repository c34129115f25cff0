// The people a follow-up can be assigned to and who can attend a review: active users.
import type { Db } from "@/lib/db/client";
import type { Person } from "@/lib/review/sessions";

export async function activeUsers(db: Db): Promise<Person[]> {
  const { rows } = await db.query<Person>("SELECT id, name, email FROM users WHERE NOT disabled ORDER BY name");
  return rows;
}
