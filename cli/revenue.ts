// `cost-review revenue import FILE.csv`: monthly revenue per customer (and optionally per feature) into the
// database, read with the same parser as the customers page's upload and stored with the same saveRevenue.
import { readFile } from "node:fs/promises";
import Decimal from "decimal.js";
import type { Actor } from "@/lib/audit/record-audit";
import { saveRevenue } from "@/lib/customers/customers";
import { parseRevenueCsv, revenueErrorsByLine } from "@/lib/customers/revenue-csv";
import { revenueUploadSchema } from "@/lib/customers/schemas";
import { AppError } from "@/lib/errors";
import { validate } from "@/lib/http/validation";

const usage = (message: string) => new AppError("usage", 2, message);

export async function revenueCommand(sub: string | undefined, positionals: string[], actor: Actor): Promise<number> {
  if (sub !== "import") throw usage("revenue takes import FILE: cost-review revenue import revenue.csv");
  const [file, ...extra] = positionals;
  if (!file || extra.length) throw usage("revenue import takes one FILE: cost-review revenue import revenue.csv");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new AppError("unreadable_file", 1, `${file} cannot be read: ${(e as Error).message}`);
  }
  const parsed = parseRevenueCsv(text);
  if (!parsed.ok) throw new AppError("invalid_csv", 1, `${file}: ${parsed.error}`);
  try {
    const saved = await saveRevenue(validate(revenueUploadSchema, { rows: parsed.rows }, "revenue rows"), actor);
    console.log(`Saved ${saved.saved} revenue row${saved.saved === 1 ? "" : "s"} for ${saved.months.join(", ")}: $${new Decimal(saved.totalUsd).toFixed()} in all.`);
    if (saved.unknownCustomers.length) {
      console.warn(`warning: no events name ${saved.unknownCustomers.length === 1 ? "this customer id" : "these customer ids"} yet: ${saved.unknownCustomers.join(", ")}`);
    }
    return 0;
  } catch (e) {
    // A refused row is named by its line in the file, as the upload on the customers page does.
    if (e instanceof AppError && e.details?.errors?.length) {
      const fields = Object.fromEntries(e.details.errors.map((x) => [x.path, x.message]));
      throw new AppError(e.code, 1, `${file}: ${typeof e.details.summary === "string" ? e.details.summary : e.message}\n${revenueErrorsByLine(fields, parsed.lines).map((l) => `  ${l}`).join("\n")}`);
    }
    throw e;
  }
}
