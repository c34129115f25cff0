// Exact decimal arithmetic for the ingest hot path: a non-negative decimal as a BigInt of units and a
// power-of-ten scale (2.5 = 25 × 10^-1). Pricing an event is a handful of products and sums of such
// numbers; BigInt does them exactly, several times faster than decimal.js, and formats the result as
// decimal.js's toFixed() would (plain notation, no trailing zeros), which the tests hold it to.

export type Scaled = { units: bigint; scale: number };

const PLAIN = /^(\d+)(?:\.(\d+))?$/;
const parsed = new Map<string, Scaled>();

/** A plain non-negative decimal string ("0.075", "2", "1.50") as units and scale; memoised (rates repeat). */
export function scaled(text: string): Scaled {
  let s = parsed.get(text);
  if (!s) {
    const m = PLAIN.exec(text);
    if (!m) throw new RangeError(`not a plain non-negative decimal: ${JSON.stringify(text)}`);
    const fraction = m[2] ?? "";
    s = { units: BigInt(m[1]! + fraction), scale: fraction.length };
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(text, s);
  }
  return s;
}

const POW10: bigint[] = [];
export function pow10(n: number): bigint {
  return (POW10[n] ??= 10n ** BigInt(n));
}

/** a + b, exactly, at the larger scale. */
export function add(a: Scaled, b: Scaled): Scaled {
  if (a.scale === b.scale) return { units: a.units + b.units, scale: a.scale };
  return a.scale > b.scale ? { units: a.units + b.units * pow10(a.scale - b.scale), scale: a.scale } : { units: a.units * pow10(b.scale - a.scale) + b.units, scale: b.scale };
}

/** a × b, exactly (a multiplier times a rate). */
export function mul(a: Scaled, b: Scaled): Scaled {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** count × rate ÷ 10^shift, exactly (shift 6 turns a per-million-tokens rate into a cost). */
export function timesInteger(rate: Scaled, count: number, shift = 0): Scaled {
  return { units: rate.units * BigInt(count), scale: rate.scale + shift };
}

/** Plain decimal text without trailing zeros, as decimal.js's toFixed() writes an exact value. */
export function format(x: Scaled): string {
  let digits = x.units.toString();
  let scale = x.scale;
  if (digits === "0") return "0";
  // Drop trailing zeros of the fraction.
  let end = digits.length;
  while (scale > 0 && digits.charCodeAt(end - 1) === 48) {
    end--;
    scale--;
  }
  if (end !== digits.length) digits = digits.slice(0, end);
  if (scale === 0) return digits;
  if (digits.length > scale) return `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return `0.${"0".repeat(scale - digits.length)}${digits}`;
}
