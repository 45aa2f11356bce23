import { expect } from "chai";
import { parseStatement, statementProblems } from "../../policy/accessOci";

describe("OCI policy statements (policy/accessOci.ts)", () => {
  const C = "ocid1.compartment.oc1..aaaa";
  it("parses subject, verb, resource type, location and the where variables", () => {
    expect(
      parseStatement(
        `Allow any-user to {STREAM_READ, STREAM_CONSUME} in compartment id ${C} where all {request.principal.type = 'serviceconnector', target.stream.id = 'x'}`,
      ),
    ).to.deep.equal({
      subject: "any-user",
      verb: "{STREAM_READ, STREAM_CONSUME}",
      resourceType: "{stream}",
      location: `compartment id ${C}`,
      variables: ["request.principal.type", "target.stream.id"],
    });
  });

  it("refuses target.topic.id on ons-topics (Notifications documents no such variable), naming the sources", () => {
    const [problem] = statementProblems(
      `Allow dynamic-group g to use ons-topics in compartment id ${C} where target.topic.id = 'ocid1.onstopic.oc1..x'`,
    );
    expect(problem).to.match(
      /^target\.topic\.id is not a variable OCI documents for ons-topics \(https:\/\/docs\.oracle\.com\/.*notificationpolicyreference/,
    );
    expect(problem).to.contain("would silently grant nothing");
  });

  it("accepts the documented variables: general, tag, and the service's own", () => {
    for (const s of [
      `Allow dynamic-group g to use ons-topics in compartment id ${C} where request.permission = 'ONS_TOPIC_PUBLISH'`,
      `Allow group a to manage objects in compartment id ${C} where target.bucket.name = 'b'`,
      `Allow dynamic-group f to read secret-bundles in compartment id ${C} where target.secret.id = 's'`,
      `Allow service streaming to use keys in compartment id ${C} where target.key.id = 'k'`,
      `Allow group 'Default'/'admins' to manage virtual-network-family in compartment id ${C} where any {request.resource.tag.multicloud.cost_center = 'X', target.resource.tag.multicloud.cost_center = 'X'}`,
      "Allow group r to read usage-report in tenancy",
    ])
      expect(statementProblems(s), s).to.deep.equal([]);
  });

  it("refuses what is not a statement, an unknown resource type, and a bucket variable on keys", () => {
    expect(statementProblems("Permit group a to read objects in tenancy")[0]).to.match(/^not an Allow statement/);
    expect(statementProblems("Allow group a to read widgets in tenancy")[0]).to.match(
      /^resource type widgets is not in the table/,
    );
    expect(
      statementProblems(`Allow group a to use keys in compartment id ${C} where target.bucket.name = 'b'`),
    ).to.have.length(1);
    expect(statementProblems("Allow group a to read in tenancy")[0]).to.match(
      /^not an Allow statement|a statement names/,
    );
  });
});
