/** The OCI side of the access check in detail: its tables, conditions, targets, and the stack-level evaluation. */
import { expect } from "chai";
import {
  evaluateOciCalls,
  FAMILIES,
  GENERAL_VARIABLES,
  OCI_OPERATIONS,
  ociGrant,
  parseStatement,
  RESOURCE_TYPES,
  statementProblems,
  targetContext,
  unusedOciStatements,
  whereHolds,
} from "../../policy/accessOci";

const C = "ocid1.compartment.oc1..aaaa";
const urn = (type: string, name: string) => `urn:pulumi:dev::multicloud::${type}::${name}`;
const res = (type: string, name: string, props: Record<string, unknown>) => ({
  urn: urn(type, name),
  type,
  name,
  props,
});

describe("OCI tables (policy/accessOci.ts)", () => {
  it("cites an Oracle documentation page for every resource type and operation", () => {
    for (const [type, row] of Object.entries(RESOURCE_TYPES))
      expect(row.source, type).to.match(/^https:\/\/docs\.oracle\.com\/en-us\/iaas\/.+\.htm$/);
    for (const [op, row] of Object.entries(OCI_OPERATIONS))
      expect(row.source, op).to.match(/^https:\/\/docs\.oracle\.com\/en-us\/iaas\/.+\.htm$/);
  });

  it("holds the permissions, type and least verb of each operation as the services document them", () => {
    const compact = Object.fromEntries(
      Object.entries(OCI_OPERATIONS).map(([op, r]) => [op, `${r.verb} ${r.type} ${r.permissions.join(",")}`]),
    );
    expect(compact).to.deep.equal({
      "ons:PublishMessage": "use ons-topics ONS_TOPIC_PUBLISH",
      "secrets:GetSecretBundle": "read secret-bundles SECRET_BUNDLE_READ",
      "objectstorage:GetObject": "read objects OBJECT_READ",
      "objectstorage:ListObjects": "inspect objects OBJECT_INSPECT",
      "objectstorage:PutObject": "manage objects OBJECT_CREATE,OBJECT_OVERWRITE",
      "objectstorage:DeleteObject": "manage objects OBJECT_DELETE",
      "streaming:GetMessages": "use stream-pull STREAM_READ",
      "streaming:ConsumeGroup": "use stream-pull STREAM_CONSUME",
      "functions:InvokeFunction": "use fn-invocation FN_INVOCATION",
      "functions:UseAsConnectorTarget": "use fn-function ",
      "kms:EncryptDecrypt": "use keys KEY_ENCRYPT,KEY_DECRYPT",
      "usage:RequestSummarizedUsages": "read usage-report ",
      "monitoring:SummarizeMetricsData": "read metrics METRIC_READ",
      "identity:ListCompartments": "inspect compartments COMPARTMENT_INSPECT",
      "database:StopAutonomousDatabase": "use autonomous-databases ",
      "datascience:PredictModelDeployment": "use data-science-model-deployments DATA_SCIENCE_MODEL_DEPLOYMENT_PREDICT",
      "artifacts:PushImage": "manage repos ",
      "artifacts:PullImage": "read repos ",
      "network:AttachFunctionVnic": "use virtual-network-family ",
    });
  });

  it("holds the service variables each type documents, and the families' members", () => {
    const withVariables = Object.fromEntries(
      Object.entries(RESOURCE_TYPES)
        .filter(([, r]) => r.variables.length)
        .map(([t, r]) => [t, r.variables.join(",")]),
    );
    expect(withVariables).to.deep.equal({
      metrics: "target.metrics.namespace",
      repos: "target.repo.name",
      "secret-bundles": "target.secret.id,target.secret.name,target.vault.id",
      keys: "target.key.id,target.vault.id",
      objects: "target.bucket.name",
      "object-family": "target.bucket.name",
      buckets: "target.bucket.name",
      "{stream}": "target.stream.id,target.streampool.id",
    });
    expect(FAMILIES["object-family"]).to.include("objects");
    expect(FAMILIES["stream-family"]).to.include("stream-pull");
    expect(FAMILIES["functions-family"]).to.include.members(["fn-function", "fn-invocation"]);
    expect(FAMILIES["autonomous-database-family"]).to.include("autonomous-databases");
  });

  it("accepts every general variable and the defined-tag forms on any documented type", () => {
    for (const v of GENERAL_VARIABLES)
      expect(
        statementProblems(`Allow group g to read alarms in compartment id ${C} where ${v} = 'x'`),
        v,
      ).to.deep.equal([]);
    for (const v of [
      "request.resource.tag.ns.key",
      "target.resource.tag.ns.key",
      "request.principal.group.tag.ns.key",
      "target.resource.compartment.tag.ns.key",
    ])
      expect(statementProblems(`Allow group g to read alarms in tenancy where ${v} = 'x'`), v).to.deep.equal([]);
    expect(
      statementProblems(`Allow group g to read alarms in tenancy where target.resource.tag.ns = 'x'`),
    ).to.have.length(1);
    expect(
      statementProblems(`Allow group g to read alarms in tenancy where other.resource.tag.ns.key = 'x'`),
    ).to.have.length(1);
  });
});

describe("OCI statement parsing and conditions", () => {
  it("parses a compartment given by name, != comparisons, and permission lists other than streams", () => {
    expect(
      parseStatement("Allow service faas to read repos in compartment Apps where target.repo.name != 'x'"),
    ).to.deep.equal({
      subject: "service faas",
      verb: "read",
      resourceType: "repos",
      location: "compartment Apps",
      permissions: [],
      where: "target.repo.name != 'x'",
      variables: ["target.repo.name"],
    });
    expect(
      parseStatement(`Allow group g to {DATA_SCIENCE_MODEL_DEPLOYMENT_PREDICT} in compartment id ${C}`),
    ).to.include({
      resourceType: "{permissions}",
    });
    expect(parseStatement(`Allow group g to {STREAM_READ} objects in tenancy`)).to.match(
      /names a verb and a resource type, or a \{PERMISSION\} list/,
    );
    expect(parseStatement(`Allow group g to read objects in tenancy where nothing`)).to.match(
      /^a where clause without a variable comparison/,
    );
  });

  it("evaluates one condition, all {…} and any {…}, case-insensitively; unknown variables and malformed conditions fail", () => {
    const ctx = { "target.bucket.name": "Orders", "request.principal.type": "serviceconnector" };
    expect(whereHolds(undefined, ctx)).to.equal(true);
    expect(whereHolds("target.bucket.name = 'orders'", ctx)).to.equal(true);
    expect(whereHolds("target.bucket.name != 'orders'", ctx)).to.equal(false);
    expect(whereHolds("target.bucket.name != 'other'", ctx)).to.equal(true);
    expect(
      whereHolds("ALL {target.bucket.name = 'orders', request.principal.type = 'serviceconnector'}", ctx),
    ).to.equal(true);
    expect(whereHolds("all {target.bucket.name = 'orders', request.principal.type = 'ApiGateway'}", ctx)).to.equal(
      false,
    );
    expect(whereHolds("Any {target.bucket.name = 'other', request.principal.type = 'serviceconnector'}", ctx)).to.equal(
      true,
    );
    expect(whereHolds("any {target.bucket.name = 'a', request.principal.type = 'b'}", ctx)).to.equal(false);
    expect(whereHolds("target.stream.id = 'x'", ctx)).to.equal(false);
    expect(whereHolds("target.bucket.name = orders", ctx)).to.equal(false);
  });

  it("grants in the tenancy or the target's compartment only; a compartment named, not given by id, grants nothing here", () => {
    const request = { caller: "group g", operation: "monitoring:SummarizeMetricsData", compartmentId: C, context: {} };
    expect(ociGrant(request, ["Allow group g to read metrics in tenancy"]).granted).to.equal(true);
    expect(ociGrant(request, ["Allow group g to read metrics in compartment Apps"]).granted).to.equal(false);
    expect(
      ociGrant({ ...request, compartmentId: undefined }, [`Allow group g to read metrics in compartment id ${C}`])
        .granted,
    ).to.equal(false);
    expect(ociGrant(request, ["Allow group g to inspect metrics in tenancy"]).granted).to.equal(false);
    expect(
      ociGrant(request, ["Allow service g to read metrics in tenancy", "Allow group 'g' to read metrics in tenancy"]),
    ).to.deep.equal({
      granted: true,
      by: "Allow group 'g' to read metrics in tenancy",
    });
    expect(ociGrant(request, ["not a statement", "Allow group g to read metrics in tenancy"]).granted).to.equal(true);
  });

  it("needs every permission an operation needs, each under the conditions; by-verb operations cannot be scoped by request.permission", () => {
    const put = { caller: "group copy", operation: "objectstorage:PutObject", compartmentId: C, context: {} };
    expect(ociGrant(put, [`Allow group copy to {OBJECT_CREATE} in compartment id ${C}`]).granted).to.equal(false);
    expect(
      ociGrant(put, [`Allow group copy to {OBJECT_CREATE, OBJECT_OVERWRITE} in compartment id ${C}`]).granted,
    ).to.equal(true);
    expect(
      ociGrant(put, [
        `Allow group copy to manage objects in compartment id ${C} where request.permission = 'OBJECT_CREATE'`,
      ]).granted,
    ).to.equal(false);
    const stop = { caller: "group cost", operation: "database:StopAutonomousDatabase", compartmentId: C, context: {} };
    expect(
      ociGrant(stop, [`Allow group cost to use autonomous-database-family in compartment id ${C}`]).granted,
    ).to.equal(true);
    expect(
      ociGrant(stop, [
        `Allow group cost to use autonomous-databases in compartment id ${C} where request.permission = 'X'`,
      ]).granted,
    ).to.equal(false);
    expect(
      ociGrant(stop, [`Allow group cost to {AUTONOMOUS_DATABASE_UPDATE} in compartment id ${C}`]).granted,
    ).to.equal(false);
    expect(ociGrant(stop, []).granted ? "" : (ociGrant(stop, []) as { reason: string }).reason).to.contain("(by verb)");
  });
});

describe("OCI declared calls against a stack (evaluateOciCalls, targetContext, unusedOciStatements)", () => {
  const bucket = res("oci:ObjectStorage/bucket:Bucket", "orders", {
    compartmentId: C,
    name: "orders-batch",
    definedTags: { "ns.team": "data" },
  });
  const pool = res("oci:Streaming/streamPool:StreamPool", "pool", { id: "ocid1.streampool.oc1..p", compartmentId: C });
  const stream = res("oci:Streaming/stream:Stream", "events", {
    id: "ocid1.stream.oc1..s",
    streamPoolId: "ocid1.streampool.oc1..p",
  });
  const app = res("oci:Functions/application:Application", "app", { id: "ocid1.fnapp.oc1..a", compartmentId: C });
  const fn = res("oci:Functions/function:Function", "fn", {
    id: "ocid1.fnfunc.oc1..f",
    applicationId: "ocid1.fnapp.oc1..a",
  });
  const secret = res("oci:Vault/secret:Secret", "db", {
    id: "ocid1.vaultsecret.oc1..v",
    secretName: "db",
    vaultId: "ocid1.vault.oc1..w",
    compartmentId: C,
  });
  const key = res("oci:Kms/key:Key", "key", { id: "ocid1.key.oc1..k", compartmentId: C });
  const repo = res("oci:Artifacts/containerRepository:ContainerRepository", "repo", {
    displayName: "x/anomaly",
    compartmentId: C,
  });
  const policy = (name: string, statements: unknown) => res("oci:Identity/policy:Policy", name, { statements });

  it("gives each target type its documented variables and its defined tags", () => {
    expect(targetContext(bucket)).to.deep.equal({
      "target.compartment.id": C,
      "target.bucket.name": "orders-batch",
      "target.resource.tag.ns.team": "data",
    });
    expect(targetContext(stream)).to.deep.equal({
      "target.compartment.id": undefined,
      "target.stream.id": "ocid1.stream.oc1..s",
      "target.streampool.id": "ocid1.streampool.oc1..p",
    });
    expect(targetContext(secret)).to.include({
      "target.secret.id": "ocid1.vaultsecret.oc1..v",
      "target.secret.name": "db",
      "target.vault.id": "ocid1.vault.oc1..w",
    });
    expect(targetContext(key)).to.include({ "target.key.id": "ocid1.key.oc1..k" });
    expect(targetContext(repo)).to.include({ "target.repo.name": "x/anomaly" });
    expect(targetContext(res("oci:Ons/notificationTopic:NotificationTopic", "t", { compartmentId: 7 }))).to.deep.equal({
      "target.compartment.id": undefined,
    });
  });

  it("decides each call: allowed with the statement, denied with the reason, undecidable when a value is unknown", () => {
    const connector = { oci: "any-user", principalType: "serviceconnector", principalCompartmentId: C };
    const statements = [
      `Allow any-user to {STREAM_READ} in compartment id ${C} where all {request.principal.type = 'serviceconnector', target.stream.id = 'ocid1.stream.oc1..s'}`,
      `Allow any-user to use fn-invocation in compartment id ${C} where request.principal.compartment.id = '${C}'`,
      `Allow group copy to read objects in compartment id ${C} where target.bucket.name = 'orders-batch'`,
      "Allow group cost to read usage-report in tenancy",
      `Allow dynamic-group db to read objects in compartment id ${C} where target.bucket.name = 'models'`,
    ];
    const resources = [bucket, pool, stream, app, fn, policy("p", statements)];
    const call = (by: string, caller: { oci: string }, action: string, target: string) => ({
      by,
      caller,
      action,
      target,
    });
    const found = evaluateOciCalls(resources, [
      call("connector", connector, "streaming:GetMessages", stream.urn),
      call("connector", connector, "streaming:ConsumeGroup", stream.urn),
      call("connector", connector, "functions:InvokeFunction", fn.urn),
      call("copy", { oci: "group copy" }, "objectstorage:GetObject", bucket.urn),
      call("cost", { oci: "group cost" }, "usage:RequestSummarizedUsages", "*"),
      call("db", { oci: "dynamic-group db" }, "objectstorage:GetObject", `${C}#target.bucket.name=models`),
      call("db", { oci: "dynamic-group db" }, "objectstorage:GetObject", `${C}#target.bucket.name=other;x.y=z`),
      call("gone", { oci: "group copy" }, "objectstorage:GetObject", urn("oci:ObjectStorage/bucket:Bucket", "gone")),
    ]);
    expect(found.map((f) => `${f.by} ${f.operation} ${f.target} ${f.verdict}`)).to.deep.equal([
      "connector streaming:GetMessages events allowed",
      "connector streaming:ConsumeGroup events denied",
      "connector functions:InvokeFunction fn allowed",
      "copy objectstorage:GetObject orders allowed",
      "cost usage:RequestSummarizedUsages * allowed",
      `db objectstorage:GetObject ${C}#target.bucket.name=models allowed`,
      `db objectstorage:GetObject ${C}#target.bucket.name=other;x.y=z denied`,
      `gone objectstorage:GetObject ${urn("oci:ObjectStorage/bucket:Bucket", "gone")} undecidable`,
    ]);
    expect(found[0].detail).to.equal(statements[0]);
    expect(found[0].request?.context).to.include({
      "target.compartment.id": C,
      "request.principal.type": "serviceconnector",
    });
    expect(found[1].detail).to.match(/^no statement lets any-user use stream-pull \(STREAM_CONSUME\) in ocid1/);
    expect(found[7].detail).to.equal(`the target ${urn("oci:ObjectStorage/bucket:Bucket", "gone")} is not known yet`);
  });

  it("is undecidable, not denied, while a policy's statements or a target's compartment are unknown", () => {
    const call = { by: "copy", caller: { oci: "group copy" }, action: "objectstorage:GetObject", target: bucket.urn };
    const [unknownStatements] = evaluateOciCalls([bucket, policy("p", undefined)], [call]);
    expect(unknownStatements.verdict).to.equal("undecidable");
    expect(unknownStatements.detail).to.match(/the statements of p are not known yet$/);
    const [partlyUnknown] = evaluateOciCalls([bucket, policy("p", ["x", 1])], [call]);
    expect(partlyUnknown.verdict).to.equal("undecidable");
    const orphan = res("oci:Streaming/stream:Stream", "orphan", { id: "s2", streamPoolId: "missing" });
    const [noCompartment] = evaluateOciCalls(
      [orphan],
      [{ ...call, action: "streaming:GetMessages", target: orphan.urn }],
    );
    expect(noCompartment).to.include({ verdict: "undecidable", detail: "the compartment of orphan is not known yet" });
  });

  it("lists the statements no declared call uses, skipping exempt policies and non-text statements", () => {
    const used = `Allow group copy to read objects in compartment id ${C}`;
    const unused = `Allow group copy to manage keys in compartment id ${C}`;
    const resources = [
      bucket,
      policy("p", [used, unused, 3]),
      policy("people", ["Allow group admins to manage all-resources in tenancy"]),
    ];
    const findings = evaluateOciCalls(resources, [
      { by: "copy", caller: { oci: "group copy" }, action: "objectstorage:GetObject", target: bucket.urn },
    ]);
    expect(
      unusedOciStatements(resources, findings, new Set([urn("oci:Identity/policy:Policy", "people")])),
    ).to.deep.equal([{ policy: "p", statement: unused }]);
    expect(unusedOciStatements(resources, [], new Set())).to.have.length(3);
  });
});
