import { describe, expect, it } from "vitest";
import { monthOf, monthsBetween, reviewWarnings } from "../../src/core/review.js";
import { makeTerm } from "../helpers.js";

const NOV_2026 = new Date("2026-11-30T23:59:59Z");
const options = { now: NOV_2026, staleAfterMonths: 12 };

describe("monthsBetween", () => {
  it("counts calendar months across years, backwards too", () => {
    expect(monthsBetween("2025-11", "2026-11")).toBe(12);
    expect(monthsBetween("2025-12", "2026-01")).toBe(1);
    expect(monthsBetween("2026-11", "2026-11")).toBe(0);
    expect(monthsBetween("2027-02", "2026-11")).toBe(-3);
  });

  it("takes the month in UTC", () => {
    expect(monthOf(new Date("2026-12-01T00:30:00+02:00"))).toBe("2026-11");
  });
});

describe("reviewWarnings", () => {
  it("says nothing about terms reviewed within the window", () => {
    const terms = [
      makeTerm("fresh", { asOf: "linkerd 2.20", reviewed: "2026-11" }),
      makeTerm("eleven-months", { asOf: "linkerd 2.18", reviewed: "2025-12" }),
    ];
    expect(reviewWarnings(terms, options)).toEqual([]);
  });

  it("warns once the term is as many months old as the window, naming what it was checked against", () => {
    const terms = [makeTerm("old", { term: "Old", asOf: "linkerd 2.18", reviewed: "2025-11" })];
    expect(reviewWarnings(terms, options)).toEqual([
      {
        termId: "old",
        field: "reviewed",
        message:
          '"Old" was last reviewed against linkerd 2.18 in 2025-11, 12 months ago; check it against its sources and update asOf and reviewed.',
      },
    ]);
  });

  it("follows the window it is given", () => {
    const terms = [makeTerm("half-year", { asOf: "linkerd 2.20", reviewed: "2026-05" })];
    expect(reviewWarnings(terms, options)).toEqual([]);
    expect(reviewWarnings(terms, { ...options, staleAfterMonths: 6 })).toHaveLength(1);
  });

  it("asks for both fields on a term that was never reviewed, in one warning", () => {
    const warnings = reviewWarnings([makeTerm("imported", { term: "Imported" })], options);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toBe(
      '"Imported" has never been reviewed; check it against its sources, then add asOf (what it was checked against, like "linkerd 2.20") and reviewed (the month, like 2026-11).',
    );
  });

  it("asks for the missing half when only one field is there", () => {
    const terms = [
      makeTerm("no-month", { term: "No month", asOf: "kubernetes 1.37" }),
      makeTerm("no-as-of", { term: "No asOf", reviewed: "2026-10" }),
    ];
    expect(reviewWarnings(terms, options).map((w) => w.message)).toEqual([
      '"No month" has no reviewed month; add reviewed: 2026-11 once it is checked against kubernetes 1.37.',
      '"No asOf" does not say what it was checked against; add asOf, like "linkerd 2.20" or "kubernetes 1.37".',
    ]);
  });

  it("flags a review month in the future as a slip", () => {
    const [warning] = reviewWarnings(
      [makeTerm("ahead", { term: "Ahead", asOf: "linkerd 2.20", reviewed: "2027-01" })],
      options,
    );
    expect(warning?.message).toBe(
      '"Ahead" says it was reviewed in 2027-01, which is after this month (2026-11); fix the month.',
    );
  });
});
