/**
 * Values within what the database stores, checked at the edge (issue 28): Oracle's DATE and
 * TIMESTAMP WITH TIME ZONE ranges and node-oracledb's NUMBER range (oracleTime.ts), and the event
 * parsers that use them — any input gives an event within those limits or a refusal naming the
 * field, never an exception (fast-check).
 */
import { expect } from "chai";
import fc from "fast-check";
import { parseOrderEvent, serializeOrderEvent } from "../../functions/aws/orders/event";
import { isOracleDate, isOracleInstant, isOracleNumber } from "../../functions/aws/orders/oracleTime";
import { parseAnomalyEvent } from "../../functions/oci/anomaly/event";
import { parseUserEvent } from "../../functions/oci/recommend/event";

/** npm test's bound; the weekly workflow raises it (FUZZ_RUNS). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const pad = (n: number, width: number) => String(n).padStart(width, "0");
/** An independent model of a real calendar day: JavaScript's own calendar, years 1–9999. */
const realDay = (y: number, m: number, d: number) => {
  const date = new Date(Date.UTC(2000, m - 1, d));
  date.setUTCFullYear(y);
  return y >= 1 && y <= 9999 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

describe("what Oracle stores (oracleTime.ts)", () => {
  it("leap years as the Gregorian calendar has them, anchored patterns, zones to the minute (from the mutation run)", () => {
    expect(["2000-02-29", "2024-02-29", "1600-02-29"].map(isOracleDate)).to.deep.equal([true, true, true]);
    expect(["1900-02-29", "2100-02-29", "2023-02-29"].map(isOracleDate)).to.deep.equal([false, false, false]);
    expect(["x2026-01-01", "2026-01-01x", "2026-01-01 "].map(isOracleDate)).to.deep.equal([false, false, false]);
    expect(
      ["+13:59", "+14:00", "-14:00", "+14:01", "+05:60", "+00:59"].map((z) =>
        isOracleInstant(`2026-11-30T10:00:00${z}`),
      ),
    ).to.deep.equal([true, true, true, false, false, true]);
  });

  it("a DATE: years 1–9999, real days only — year 0, Feb 30, month 13 refused", () => {
    expect(["2026-02-28", "2024-02-29", "0001-01-01", "9999-12-31"].map(isOracleDate)).to.deep.equal([
      true,
      true,
      true,
      true,
    ]);
    expect(
      ["0000-01-01", "2026-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-1-01", "2100-02-29"].map(
        isOracleDate,
      ),
    ).to.deep.equal([false, false, false, false, false, false, false]);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10000 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const text = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
          expect(isOracleDate(text), text).to.equal(y <= 9999 && realDay(y, m, d));
        },
      ),
      { numRuns: 2000 * Math.max(1, RUNS / 2000) },
    );
  });

  it("an instant: a real date and time with a zone within ±14:00; 24:00, a missing zone, too many fraction digits refused", () => {
    const good = ["2026-11-30T10:00:00Z", "2026-11-30T23:59:59.123456789+14:00", "2026-11-30T00:00:00-12:00"];
    const bad = [
      "2026-11-30T24:00:00Z",
      "2026-11-30T10:00:00",
      "2026-11-30T10:60:00Z",
      "2026-11-30T10:00:60Z",
      "2026-02-30T10:00:00Z",
      "0000-11-30T10:00:00Z",
      "2026-11-30T10:00:00+15:00",
      "2026-11-30T10:00:00.1234567890Z",
      "2026-11-30 10:00:00Z",
    ];
    expect(good.map((t) => isOracleInstant(t))).to.deep.equal(good.map(() => true));
    expect(bad.map((t) => isOracleInstant(t))).to.deep.equal(bad.map(() => false));
    expect(isOracleInstant("2026-11-30T10:00:00.1234567Z", 6)).to.equal(false);
    fc.assert(
      fc.property(
        fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }),
        (d) => {
          expect(isOracleInstant(d.toISOString()), d.toISOString()).to.equal(true);
        },
      ),
      { numRuns: 500 * Math.max(1, RUNS / 2000) },
    );
  });

  it("a NUMBER node-oracledb can bind: zero or 1e-130 ≤ |x| < 1e126, finite", () => {
    expect([0, -0, 1, -1.5, 1e-130, 9.99e125, Number.MAX_SAFE_INTEGER].map(isOracleNumber)).to.deep.equal(
      Array(7).fill(true),
    );
    expect([1e-200, 5e-324, 1e130, 1e126, NaN, Infinity, -Infinity].map(isOracleNumber)).to.deep.equal(
      Array(7).fill(false),
    );
    fc.assert(
      fc.property(fc.double(), (x) => {
        const m = Math.abs(x);
        expect(isOracleNumber(x)).to.equal(Number.isFinite(x) && (m === 0 || (m >= 1e-130 && m < 1e126)));
      }),
      { numRuns: 2000 * Math.max(1, RUNS / 2000) },
    );
  });
});

/** Anything a producer could put in a message: JSON of any shape, or not JSON at all. */
const anyText = fc.oneof(
  fc.string(),
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
);

describe("event parsers take anything and give a storable event or a named refusal (fast-check)", () => {
  it("order events: an accepted event's dates and times are ones Oracle stores", () => {
    const fields = fc.record(
      {
        schemaVersion: fc.constantFrom(1, 2, "1"),
        kind: fc.constantFrom("created", "updated", "deleted"),
        orderId: fc.constantFrom("O-1", "", "x".repeat(65)),
        customerId: fc.constantFrom("C-1", "C 1"),
        amount: fc.oneof(fc.constantFrom("10.00", "1234567890123.00", "1.001", "-1"), fc.double().map(String)),
        currency: fc.constantFrom("EUR", "eur", "EURO"),
        status: fc.constantFrom("pending", "paid", "lost"),
        orderDate: fc.oneof(fc.constantFrom("0000-01-01", "2026-02-30", "2026-11-02"), fc.string()),
        updatedAt: fc.oneof(
          fc.constantFrom(
            "2026-11-30T24:00:00Z",
            "2026-11-30T10:00:00",
            "0000-01-01T00:00:00Z",
            "2026-11-30T10:00:00Z",
          ),
          fc.string(),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          fields.map((f) => JSON.stringify(f)),
        ),
        (text) => {
          const parsed = parseOrderEvent("O-1", text);
          if (parsed.ok) {
            expect(isOracleDate(parsed.event.orderDate)).to.equal(true);
            expect(isOracleInstant(parsed.event.updatedAt)).to.equal(true);
          } else expect(parsed.reason).to.match(/^(invalid |value is not|schemaVersion|key )/);
        },
      ),
      { numRuns: 3000 * Math.max(1, RUNS / 2000) },
    );
    // The planted cases the review found, each refused naming its field.
    const base = {
      kind: "updated",
      orderId: "O-1",
      customerId: "C-1",
      amount: "1.00",
      currency: "EUR",
      status: "paid",
    };
    for (const [orderDate, updatedAt, field] of [
      ["0000-01-01", "2026-11-30T10:00:00Z", "orderDate"],
      ["2026-02-30", "2026-11-30T10:00:00Z", "orderDate"],
      ["2026-11-02", "2026-11-30T24:00:00Z", "updatedAt"],
      ["2026-11-02", "2026-11-30T10:00:00", "updatedAt"],
    ])
      expect(parseOrderEvent("O-1", serializeOrderEvent({ ...base, orderDate, updatedAt } as never))).to.deep.equal({
        ok: false,
        reason: `invalid ${field}`,
      });
  });

  it("anomaly events: an accepted value binds as a NUMBER and its time is one Oracle stores", () => {
    const events = fc.record(
      {
        eventId: fc.constantFrom("e-1", ""),
        seriesKey: fc.constantFrom("s/1", "?"),
        value: fc.oneof(fc.double(), fc.constantFrom(1e-200, 5e-324, 1e130, 42)),
        eventTime: fc.oneof(
          fc.constantFrom("2026-02-30T00:00:00Z", "2026-11-30T24:00:00Z", "2026-11-30T10:00:00.123456Z"),
          fc.string(),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          events.map((e) => JSON.stringify(e)),
        ),
        (text) => {
          const parsed = parseAnomalyEvent(text);
          if (parsed.ok) {
            expect(isOracleNumber(parsed.event.value)).to.equal(true);
            expect(isOracleInstant(parsed.event.eventTime, 6)).to.equal(true);
          } else expect(parsed.reason).to.be.a("string").and.not.equal("");
        },
      ),
      { numRuns: 3000 * Math.max(1, RUNS / 2000) },
    );
    for (const value of [1e-200, 5e-324, 1e130])
      expect(
        parseAnomalyEvent(JSON.stringify({ eventId: "e-1", seriesKey: "s", value, eventTime: "2026-11-30T10:00:00Z" })),
      ).to.deep.equal({
        ok: false,
        reason: "invalid value",
      });
  });

  it("user events: an accepted time is one Oracle stores", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          fc
            .record({
              eventId: fc.constant("e-1"),
              userId: fc.constant("u-1"),
              itemId: fc.constant("i-1"),
              kind: fc.constantFrom("view", "rec_click"),
              occurredAt: fc.oneof(
                fc.constantFrom("2026-11-30T24:00:00Z", "0000-01-01T00:00:00Z", "2026-11-30T10:00:00Z"),
                fc.string(),
              ),
            })
            .map((e) => JSON.stringify(e)),
        ),
        (text) => {
          const parsed = parseUserEvent(text);
          if (parsed.ok) expect(isOracleInstant(parsed.event.occurredAt, 6)).to.equal(true);
        },
      ),
      { numRuns: 2000 * Math.max(1, RUNS / 2000) },
    );
  });
});
