import { expect } from "chai";
import { OCI_OPERATIONS, ociGrant, parseStatement, statementProblems } from "../../policy/accessOci";

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
      permissions: ["STREAM_READ", "STREAM_CONSUME"],
      where: "all {request.principal.type = 'serviceconnector', target.stream.id = 'x'}",
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

describe("OCI grants for declared operations (policy/accessOci.ts ociGrant)", () => {
  const C = "ocid1.compartment.oc1..aaaa";
  const topicRequest = (caller = "dynamic-group db") => ({
    caller,
    operation: "ons:PublishMessage",
    compartmentId: C,
    context: { "target.compartment.id": C },
  });

  it("a statement with an inapplicable variable grants nothing (the old anomaly topic statement)", () => {
    const grant = ociGrant(topicRequest(), [
      `Allow dynamic-group db to use ons-topics in compartment id ${C} where target.topic.id = 'ocid1.onstopic.oc1..x'`,
    ]);
    expect(grant.granted).to.equal(false);
  });

  it("the compartment plus request.permission grants publishing, and only publishing", () => {
    const statement = `Allow dynamic-group db to use ons-topics in compartment id ${C} where request.permission = 'ONS_TOPIC_PUBLISH'`;
    expect(ociGrant(topicRequest(), [statement])).to.deep.equal({ granted: true, by: statement });
    // Another operation on ons-topics under the same statement: its permission is not ONS_TOPIC_PUBLISH.
    expect(
      ociGrant({ ...topicRequest(), operation: "secrets:GetSecretBundle" }, [
        statement.replace("ons-topics", "secret-bundles"),
      ]).granted,
    ).to.equal(false);
  });

  it("needs the subject, a verb that includes the operation, and the target's compartment", () => {
    const ok = `Allow dynamic-group db to use ons-topics in compartment id ${C}`;
    expect(ociGrant(topicRequest("dynamic-group other"), [ok]).granted).to.equal(false);
    expect(ociGrant(topicRequest(), [ok.replace("use", "read")]).granted).to.equal(false);
    expect(ociGrant(topicRequest(), [ok.replace(C, "ocid1.compartment.oc1..other")]).granted).to.equal(false);
    expect(ociGrant(topicRequest(), [ok.replace("use", "manage")]).granted).to.equal(true);
    expect(ociGrant(topicRequest(), [`Allow dynamic-group db to use all-resources in tenancy`]).granted).to.equal(true);
  });

  it("families cover their members; permission lists grant exactly what they list; any-user is narrowed by its conditions", () => {
    const invoke = {
      caller: "any-user",
      operation: "functions:InvokeFunction",
      compartmentId: C,
      context: { "request.principal.type": "ApiGateway", "request.resource.compartment.id": C },
    };
    const gateway = `Allow any-user to use functions-family in compartment id ${C} where all {request.principal.type = 'ApiGateway', request.resource.compartment.id = '${C}'}`;
    expect(ociGrant(invoke, [gateway]).granted).to.equal(true);
    expect(
      ociGrant({ ...invoke, context: { ...invoke.context, "request.principal.type": "serviceconnector" } }, [gateway])
        .granted,
    ).to.equal(false);
    const read = { caller: "any-user", operation: "streaming:GetMessages", compartmentId: C, context: {} };
    expect(ociGrant(read, [`Allow any-user to {STREAM_READ, STREAM_CONSUME} in compartment id ${C}`]).granted).to.equal(
      true,
    );
    expect(ociGrant(read, [`Allow any-user to {STREAM_CONSUME} in compartment id ${C}`]).granted).to.equal(false);
  });

  it("matches quoted identity-domain group names and condition values case-insensitively", () => {
    const request = {
      caller: "group admins",
      operation: "monitoring:SummarizeMetricsData",
      compartmentId: C,
      context: {},
    };
    expect(
      ociGrant(request, [`Allow group 'Default'/'admins' to read metrics in compartment id ${C}`]).granted,
    ).to.equal(true);
    const bucket = {
      caller: "group copy",
      operation: "objectstorage:GetObject",
      compartmentId: C,
      context: { "target.bucket.name": "Orders" },
    };
    expect(
      ociGrant(bucket, [`Allow group copy to read objects in compartment id ${C} where target.bucket.name = 'orders'`])
        .granted,
    ).to.equal(true);
    expect(
      ociGrant(bucket, [`Allow group copy to read objects in compartment id ${C} where target.bucket.name != 'orders'`])
        .granted,
    ).to.equal(false);
  });

  it("names the operation's source when nothing grants it, and refuses an operation it does not know", () => {
    const denied = ociGrant(topicRequest(), []);
    expect(denied).to.deep.equal({
      granted: false,
      reason: `no statement lets dynamic-group db use ons-topics (ONS_TOPIC_PUBLISH) in ${C} with the request's variables (${OCI_OPERATIONS["ons:PublishMessage"].source})`,
    });
    expect(ociGrant({ ...topicRequest(), operation: "ons:Nope" }, [])).to.deep.equal({
      granted: false,
      reason: "ons:Nope is not in OCI_OPERATIONS (policy/accessOci.ts)",
    });
  });
});
