/** The OCI statement parser and condition reader take any text: they answer, never throw (fast-check). */
import { expect } from "chai";
import fc from "fast-check";
import { ociGrant, parseStatement, statementProblems, whereHolds } from "../../policy/accessOci";

const C = "ocid1.compartment.oc1..aaaa";
/** Statements near the grammar: real words in random order and spacing, plus arbitrary text. */
const nearStatement = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc
    .array(
      fc.constantFrom(
        "Allow",
        "group",
        "g",
        "dynamic-group",
        "any-user",
        "service",
        "to",
        "use",
        "read",
        "{STREAM_READ}",
        "objects",
        "in",
        "tenancy",
        "compartment",
        "id",
        C,
        "where",
        "all",
        "{",
        "}",
        "target.bucket.name",
        "=",
        "'b'",
        ",",
      ),
      { maxLength: 16 },
    )
    .map((words) => words.join(" ")),
);

describe("OCI statement parsing on arbitrary input (policy/accessOci.ts)", () => {
  it("parses or names the problem, and a parse always names its parts", () => {
    fc.assert(
      fc.property(nearStatement, (text) => {
        const parsed = parseStatement(text);
        if (typeof parsed === "string") expect(parsed).to.have.length.greaterThan(0);
        else {
          expect(parsed.subject).to.match(/^(group|dynamic-group|service) \S+$|^any-user$/);
          expect(parsed.location).to.match(/^(tenancy|compartment\s)/);
          expect(parsed.permissions.length > 0).to.equal(parsed.verb.startsWith("{"));
        }
        expect(statementProblems(text)).to.be.an("array");
      }),
    );
  });

  it("reads any where clause without throwing, and grants nothing from text that is not a statement", () => {
    fc.assert(
      fc.property(nearStatement, fc.string({ maxLength: 80 }), (text, where) => {
        expect(whereHolds(where, { "target.bucket.name": "b" })).to.be.a("boolean");
        const grant = ociGrant(
          { caller: "group g", operation: "objectstorage:GetObject", compartmentId: C, context: {} },
          [text],
        );
        if (typeof parseStatement(text) === "string") expect(grant.granted).to.equal(false);
      }),
    );
  });
});
