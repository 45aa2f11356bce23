/**
 * Every parser of outside input, fuzzed (issue 28, fast-check): any input gives a value within its
 * contract or a refusal naming what is wrong — an Error of the parser's own making, never a
 * TypeError, RangeError or other escaped exception. Bounded here; FUZZ_RUNS raises the count (the
 * weekly mutation workflow runs it with more).
 */
import { expect } from "chai";
import fc from "fast-check";
import { checkIdpMetadata } from "../../components/config/samlMetadata";
import { parseRecord } from "../../functions/aws/features/features";
import { parseOciKeySecret, parseProvisionRequest } from "../../functions/aws/grafana/provision";
import { decodeConnectorBatch } from "../../functions/oci/common/connectorHub";
import { parseFunctionDbCredential } from "../../functions/oci/common/vaultCredential";
import { parseCatalogItems, parseRecommendationQuery } from "../../functions/oci/recommend/api";
import { RECOMMEND_LIMITS } from "../../functions/oci/recommend/contract";
import { parseScorerResponse } from "../../functions/oci/recommend/scorer";
import { parseServedList } from "../../functions/oci/recommend/store";

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
});
