/**
 * Every parser of outside input, fuzzed (issue 28, fast-check): any input gives a value within its
 * contract or a refusal naming what is wrong — an Error of the parser's own making, never a
 * TypeError, RangeError or other escaped exception. Bounded here; FUZZ_RUNS raises the count (the
 * weekly mutation workflow runs it with more).
 */
import { expect } from "chai";
import fc from "fast-check";
import { checkIdpMetadata } from "../../components/config/samlMetadata";
import { awsCostPageRows, CostRow, ociUsageRow, usagePageItems } from "../../functions/aws/costs/collect";
import { resourceUsageItem } from "../../functions/aws/costs/resourceCost";
import { parseRecord } from "../../functions/aws/features/features";
import {
  GrafanaApiError,
  grafanaAnswer,
  parseOciKeySecret,
  parseProvisionRequest,
} from "../../functions/aws/grafana/provision";
import { decodeConnectorBatch } from "../../functions/oci/common/connectorHub";
import { parseFunctionDbCredential } from "../../functions/oci/common/vaultCredential";
import { parseCatalogItems, parseRecommendationQuery } from "../../functions/oci/recommend/api";
import { RECOMMEND_LIMITS } from "../../functions/oci/recommend/contract";
import { parseScorerResponse } from "../../functions/oci/recommend/scorer";
import { parseServedList } from "../../functions/oci/recommend/store";
import { parseSecretJson } from "../../functions/aws/common/secretJson";
import { AuthError, bearerToken, callerOf } from "../../functions/aws/orders/auth";
import { parseOrderEvent } from "../../functions/aws/orders/event";
import { parseCredentials } from "../../functions/aws/orders/secret";

const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
/** Anything JSON can carry, its text, and text that is not JSON. */
const anyValue = fc.oneof(fc.jsonValue(), fc.anything(), fc.string());
const anyText = fc.oneof(fc.string(), fc.json(), fc.base64String(), fc.string({ unit: "grapheme" }));

/** Runs `f`; a throw must be the parser's own refusal: a plain Error (or a subclass named for it) with a message. */
function refusesCleanly<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (err) {
    expect(err, String(err)).to.be.instanceOf(Error);
    const name = (err as Error).constructor.name;
    expect(
      ["TypeError", "RangeError", "SyntaxError", "ReferenceError"],
      `${name}: ${(err as Error).message}`,
    ).to.not.include(name);
    expect((err as Error).message).to.not.equal("");
    return undefined;
  }
}

describe("parsers of outside input, fuzzed", () => {
  it("Connector Hub batches: messages with stream, partition, offset and a value, or the payload refused whole", () => {
    const message = fc.record(
      {
        stream: fc.oneof(fc.string(), fc.integer()),
        partition: fc.oneof(fc.string(), fc.constant(null)),
        offset: fc.oneof(fc.integer(), fc.string()),
        value: fc.oneof(fc.base64String(), fc.integer()),
        key: fc.option(fc.base64String()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(anyValue, fc.array(fc.oneof(message, anyValue), { maxLength: 5 })), (body) => {
        const messages = refusesCleanly(() => decodeConnectorBatch(body, 3));
        for (const m of messages ?? []) {
          expect(m.stream).to.be.a("string");
          expect(m.partition).to.be.a("string");
          expect(m.offset).to.be.a("number");
          expect(m.value).to.be.a("string");
        }
        if (messages) expect(messages.length).to.be.at.most(3);
      }),
      { numRuns: RUNS },
    );
  });

  it("recommendation requests: a limit within 1–50, or a 400 naming the parameter", () => {
    const query = fc.oneof(
      fc.string(),
      fc
        .array(fc.tuple(fc.constantFrom("limit", "user", "x"), fc.oneof(fc.string(), fc.integer().map(String))), {
          maxLength: 3,
        })
        .map((pairs) => new URLSearchParams(pairs).toString()),
    );
    fc.assert(
      fc.property(query, (text) => {
        const parsed = parseRecommendationQuery(new URLSearchParams(text));
        if (parsed.ok) expect(parsed.limit).to.be.within(1, RECOMMEND_LIMITS.maxItems);
        else {
          expect(parsed.response.status).to.equal(400);
          expect((parsed.response.body as { field: string }).field)
            .to.be.a("string")
            .and.not.equal("");
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("catalogue bodies: items with an id and a title, or a 400 naming the item and field", () => {
    const item = fc.record(
      {
        itemId: fc.oneof(fc.string(), fc.integer()),
        title: fc.oneof(fc.string(), fc.constant(null)),
        active: fc.oneof(fc.boolean(), fc.string()),
        extra: fc.string(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          fc.array(fc.oneof(item, anyValue), { maxLength: 4 }).map((a) => JSON.stringify(a)),
        ),
        (body) => {
          const parsed = refusesCleanly(() => parseCatalogItems(body));
          if (!parsed) return;
          if (parsed.ok)
            for (const it of parsed.items) {
              expect(it.itemId).to.be.a("string");
              expect(it.title).to.be.a("string");
            }
          else expect(parsed.response.status).to.equal(400);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("scorer answers and the database's served lists: finite scores one per item, a list of items, or an error", () => {
    fc.assert(
      fc.property(
        fc.oneof(anyValue, fc.record({ scores: fc.array(fc.oneof(fc.double(), fc.string()), { maxLength: 4 }) })),
        fc.integer({ min: 0, max: 4 }),
        (answer, count) => {
          const scores = refusesCleanly(() => parseScorerResponse(answer, count));
          if (scores) expect(scores.every(Number.isFinite) && scores.length === count).to.equal(true);
        },
      ),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(anyValue, (text) => {
        const served = refusesCleanly(() => parseServedList(typeof text === "string" ? text : JSON.stringify(text)));
        if (served) expect(["personal", "popular"]).to.include(served.strategy);
      }),
      { numRuns: RUNS },
    );
  });

  it("Grafana provisioning requests and the OCI key secret: every field checked, or refused naming it", () => {
    fc.assert(
      fc.property(anyValue, (input) => {
        const request = refusesCleanly(() => parseProvisionRequest(input));
        if (request) expect(request.workspaceId).to.match(/^g-[0-9a-f]{10}$/);
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(anyText, (text) => void refusesCleanly(() => parseOciKeySecret(text))),
      { numRuns: RUNS },
    );
    // Grafana's answers: a JSON object or list, nothing for an allowed 404, or an error naming the call.
    const status = fc.oneof(fc.constantFrom(200, 204, 404, 409, 500, 502), fc.integer({ min: 100, max: 599 }));
    const body = fc.oneof(
      anyText,
      fc.json(),
      fc.constantFrom("", "null", '{"message":"Data source not found"}', "<html/>"),
    );
    fc.assert(
      fc.property(status, body, fc.boolean(), (code, raw, missingOk) => {
        try {
          const answer = grafanaAnswer(code, raw, "GET", "/api/x", missingOk);
          if (answer === undefined) expect([code, missingOk]).to.deep.equal([404, true]);
          else {
            expect(code).to.be.within(200, 299);
            expect(answer).to.be.an(Array.isArray(answer) ? "array" : "object");
          }
        } catch (err) {
          expect(err).to.be.instanceOf(GrafanaApiError);
          expect((err as Error).message.startsWith(`Grafana GET /api/x answered ${code}: `)).to.equal(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("the functions' database credential and the feature records: a value or a refusal", () => {
    fc.assert(
      fc.property(
        fc.option(anyText, { nil: undefined }),
        (text) => void refusesCleanly(() => parseFunctionDbCredential(text)),
      ),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const parsed = refusesCleanly(() => parseRecord(Buffer.from(text).toString("base64"), "1"));
        if (parsed && !parsed.ok) expect(parsed.reason).to.be.a("string").and.not.equal("");
      }),
      { numRuns: RUNS },
    );
  });

  it("secrets' JSON: an object, or a refusal that never quotes the secret's text", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.constant(undefined)), (text) => {
        try {
          const value = parseSecretJson(text, "the secret", "{...}");
          expect(value).to.be.an("object").and.not.be.an("array");
        } catch (err) {
          const message = (err as Error).message;
          expect(message).to.match(/^the secret is not (JSON|a JSON object); expected \{\.\.\.\}$/);
        }
        refusesCleanly(() => parseCredentials(text));
      }),
      { numRuns: RUNS },
    );
  });

  it("Authorization headers and token claims: a caller, or a 401 naming what is wrong", () => {
    const settings = {
      issuer: "https://login.example.com/",
      audience: "orders",
      jwksUri: "https://login.example.com/keys",
      scopes: { read: "orders:read", write: "orders:write", admin: "orders:admin" },
      customerClaim: "customer_id",
      clientClaim: "sub",
    };
    const claims = fc.record(
      {
        sub: fc.oneof(fc.string(), anyValue),
        customer_id: fc.oneof(fc.constantFrom("C-1", "A/B", ""), fc.string(), anyValue),
        scope: fc.oneof(fc.constantFrom("orders:read orders:admin", ""), fc.string(), anyValue),
        scp: fc.oneof(fc.array(fc.oneof(fc.string(), anyValue), { maxLength: 4 }), anyValue),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constant(undefined)), claims, (header, payload) => {
        for (const call of [() => bearerToken(header), () => callerOf(payload as never, settings)]) {
          try {
            call();
          } catch (err) {
            expect(err).to.be.instanceOf(AuthError);
            expect((err as AuthError).status).to.equal(401);
          }
        }
        const caller = refusesCleanly(() => callerOf(payload as never, settings));
        if (caller) {
          expect(caller.client).to.be.a("string").and.not.equal("").and.not.equal("-");
          expect(Buffer.byteLength(caller.client)).to.be.at.most(255);
          for (const scope of caller.scopes) expect(scope).to.be.a("string").and.not.equal("");
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("order events: a valid event (a created one's client within its column), or a reason", () => {
    const event = fc.record(
      {
        schemaVersion: fc.oneof(fc.constant(1), anyValue),
        kind: fc.oneof(fc.constantFrom("created", "updated"), anyValue),
        orderId: fc.oneof(fc.constant("O-1"), fc.string()),
        customerId: fc.oneof(fc.constant("C-1"), fc.string()),
        amount: fc.oneof(fc.constantFrom("10.00", "1e3"), fc.string()),
        currency: fc.oneof(fc.constant("EUR"), fc.string()),
        status: fc.oneof(fc.constant("pending"), fc.string()),
        orderDate: fc.oneof(fc.constant("2026-11-02"), fc.string()),
        updatedAt: fc.oneof(fc.constant("2026-11-30T12:00:00Z"), fc.string()),
        idempotencyKey: fc.oneof(fc.constant("key-00000001"), fc.string()),
        requestHash: fc.oneof(fc.constant("a".repeat(64)), fc.string()),
        clientId: fc.oneof(fc.constantFrom("client-1", "", "x\u0000y", "é".repeat(200)), fc.string(), anyValue),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(event, anyValue), fc.oneof(fc.constant("O-1"), fc.string()), (value, key) => {
        const parsed = refusesCleanly(() => parseOrderEvent(key, JSON.stringify(value)));
        expect(parsed, "the parser never throws").to.not.equal(undefined);
        if (parsed?.ok && parsed.event.clientId !== undefined)
          expect(Buffer.byteLength(parsed.event.clientId)).to.be.within(1, 255);
        if (parsed && !parsed.ok) expect(parsed.reason).to.be.a("string").and.not.equal("");
      }),
      { numRuns: RUNS },
    );
  });

  it("SAML metadata: any text gives a check with named problems, never an exception", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          fc.constantFrom(
            "<x/>",
            "<EntityDescriptor/>",
            '<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>',
          ),
        ),
        (xml) => {
          const check = refusesCleanly(() => checkIdpMetadata(xml, new Date("2026-12-07T00:00:00Z"), 30));
          expect(check, "the metadata check never throws").to.not.equal(undefined);
          if (check && !check.ok) expect(check.problems.length).to.be.greaterThan(0);
        },
      ),
      { numRuns: Math.min(RUNS, 300) },
    );
  });

  describe("Cost Explorer and Usage API pages: rows within the contract, or a refusal naming the day and field", () => {
    const days = new Set(["2026-11-01", "2026-11-02"]);
    const range = "2026-11-01 … 2026-11-03";
    const day = fc.oneof(fc.constantFrom("2026-11-01", "2026-11-02", "2026-10-31", ""), fc.string(), fc.integer());
    const amount = fc.oneof(
      fc.double(),
      fc.constantFrom("12.5", " ", "", "1e400", "-0", "NaN", "0x10"),
      fc.string(),
      fc.constant(null),
      fc.bigInt(),
    );
    const currency = fc.oneof(
      fc.constantFrom("USD", "EUR", "usd", "US", ""),
      fc.string(),
      fc.integer(),
      fc.constant(null),
    );
    const text = fc.oneof(fc.constantFrom("Amazon S3", "Database", ""), fc.string(), fc.integer(), fc.constant(null));
    /** A row as the collectors promise it: what the report and the detectors rely on. */
    const withinContract = (row: CostRow, cloud: string) => {
      expect(days.has(row.date), row.date).to.equal(true);
      expect(row.cloud).to.equal(cloud);
      expect(row.service).to.be.a("string").and.not.equal("");
      expect(row.costCenter).to.be.a("string").and.not.equal("");
      expect(Number.isFinite(row.amount), String(row.amount)).to.equal(true);
      expect(row.currency).to.match(/^[A-Z]{3}$/);
    };

    it("Cost Explorer GetCostAndUsage pages", () => {
      const group = fc.record(
        {
          Keys: fc.oneof(fc.tuple(text, fc.oneof(fc.constantFrom("cost_center$", "cost_center$CC-1"), text)), anyValue),
          Metrics: fc.oneof(
            fc.record({ UnblendedCost: fc.record({ Amount: amount, Unit: currency }, { requiredKeys: [] }) }),
            anyValue,
          ),
        },
        { requiredKeys: [] },
      );
      const period = fc.record(
        {
          TimePeriod: fc.oneof(fc.record({ Start: day }, { requiredKeys: [] }), anyValue),
          Groups: fc.oneof(fc.array(fc.oneof(group, anyValue), { maxLength: 4 }), anyValue),
        },
        { requiredKeys: [] },
      );
      const page = fc.oneof(
        anyValue,
        fc.record(
          {
            ResultsByTime: fc.oneof(fc.array(fc.oneof(period, anyValue), { maxLength: 3 }), anyValue),
            NextPageToken: fc.oneof(fc.string(), anyValue),
          },
          { requiredKeys: [] },
        ),
      );
      fc.assert(
        fc.property(page, (p) => {
          const parsed = refusesCleanly(() => awsCostPageRows(p, days, range));
          for (const row of parsed?.rows ?? []) withinContract(row, "aws");
          if (parsed?.nextPageToken !== undefined) expect(parsed.nextPageToken).to.be.a("string").and.not.equal("");
        }),
        { numRuns: RUNS },
      );
    });

    it("Usage API answers and their items (by service and tag, and by resource)", () => {
      const item = fc.record(
        {
          timeUsageStarted: fc.oneof(
            day.map((d) => (typeof d === "string" ? `${d}T00:00:00.000Z` : d)),
            anyValue,
          ),
          service: text,
          resourceId: fc.oneof(fc.constantFrom("ocid1.autonomousdatabase.oc1..a", ""), text),
          computedAmount: amount,
          currency,
          tags: fc.oneof(
            fc.array(
              fc.record(
                {
                  namespace: fc.constantFrom("multicloud", "other"),
                  key: fc.constantFrom("cost_center", "x"),
                  value: text,
                },
                { requiredKeys: [] },
              ),
              { maxLength: 3 },
            ),
            anyValue,
          ),
        },
        { requiredKeys: [] },
      );
      fc.assert(
        fc.property(
          fc.oneof(
            anyText,
            fc.json(),
            item.map((i) => JSON.stringify({ items: [i] }, (_, v: unknown) => (typeof v === "bigint" ? String(v) : v))),
          ),
          (body) => {
            const items = refusesCleanly(() => usagePageItems(body, ""));
            if (items) expect(items).to.be.an("array");
          },
        ),
        { numRuns: RUNS },
      );
      fc.assert(
        fc.property(fc.oneof(item, anyValue), (i) => {
          const row = refusesCleanly(() => ociUsageRow(i, days, range, "multicloud"));
          if (row) withinContract(row, "oci");
          const byResource = refusesCleanly(() => resourceUsageItem(i, days, range));
          if (byResource) {
            expect(byResource.resourceId).to.be.a("string").and.not.equal("");
            expect(Number.isFinite(byResource.amount)).to.equal(true);
            expect(byResource.currency).to.match(/^[A-Z]{3}$/);
          }
        }),
        { numRuns: RUNS },
      );
    });
  });
});
