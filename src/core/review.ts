import type { Term } from "./types.js";
import type { ContentProblem } from "./validate.js";

/** Months a term may go without a review before `mesh check` says so. */
export const DEFAULT_STALE_AFTER_MONTHS = 12;

/** The calendar month of a moment, in UTC, written like a term's `reviewed` field ("2026-11"). */
export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** Whole calendar months from one YYYY-MM month to another; negative when `to` comes first. */
export function monthsBetween(from: string, to: string): number {
  const index = (month: string) => {
    const [year, m] = month.split("-").map(Number);
    return (year as number) * 12 + (m as number) - 1;
  };
  return index(to) - index(from);
}

/**
 * Terms due for a look: never reviewed, missing what they were checked against, or last reviewed
 * `staleAfterMonths` or more calendar months before `now` (reviewed 2025-11 is due from 2026-11 with 12).
 * These are warnings: a term does not become wrong on a date, but nobody has confirmed it is still right.
 */
export function reviewWarnings(
  terms: readonly Term[],
  options: { readonly now: Date; readonly staleAfterMonths: number },
): ContentProblem[] {
  const thisMonth = monthOf(options.now);
  const warnings: ContentProblem[] = [];
  for (const t of terms) {
    const name = `"${t.term}"`;
    if (t.reviewed === undefined) {
      warnings.push({
        termId: t.id,
        field: t.asOf === undefined ? "id" : "asOf",
        message:
          t.asOf === undefined
            ? `${name} has never been reviewed; check it against its sources, then add asOf (what it was checked against, like "linkerd 2.20") and reviewed (the month, like ${thisMonth}).`
            : `${name} has no reviewed month; add reviewed: ${thisMonth} once it is checked against ${t.asOf}.`,
      });
      continue;
    }
    const age = monthsBetween(t.reviewed, thisMonth);
    if (age < 0) {
      warnings.push({
        termId: t.id,
        field: "reviewed",
        message: `${name} says it was reviewed in ${t.reviewed}, which is after this month (${thisMonth}); fix the month.`,
      });
    } else if (age >= options.staleAfterMonths) {
      const against = t.asOf === undefined ? "" : ` against ${t.asOf}`;
      warnings.push({
        termId: t.id,
        field: "reviewed",
        message: `${name} was last reviewed${against} in ${t.reviewed}, ${age} month${age === 1 ? "" : "s"} ago; check it against its sources and update asOf and reviewed.`,
      });
    }
    if (t.asOf === undefined) {
      warnings.push({
        termId: t.id,
        field: "reviewed",
        message: `${name} does not say what it was checked against; add asOf, like "linkerd 2.20" or "kubernetes 1.37".`,
      });
    }
  }
  return warnings;
}
