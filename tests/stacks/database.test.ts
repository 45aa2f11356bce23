import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { IPv4CidrRange } from "ip-num";
import { adbPasswordProblems, selectDsn, type ConnectionProfile } from "../../components/database/autonomousDatabase";
import { migrationTriggers, SchemaMigrations } from "../../components/database/schemaMigrations";
import { bundleFunction, MAX_BUNDLE_BYTES } from "../../components/shared/functionBundle";
import { readMigrationFiles, setChecksum } from "../../functions/aws/migrate/contract";
import { parseMigrationSet } from "../../functions/aws/migrate/migrations";
import { accountIdFor, RecordedResource, RunResult, runProgram } from "../../offline/engine";
import { unwrapSecrets } from "../../offline/secrets";
import { loadStackConfig, REPO_ROOT, withConfigValue } from "../../offline/stacks";
import { testContext, testCrossLink } from "../support/context";
import { byId, named, ofType, runStack } from "../support/stacks";

const ADB = "oci:Database/autonomousDatabase:AutonomousDatabase";
const repoFiles = readMigrationFiles(`${REPO_ROOT}/sql`);
/** The file name prefix of the n-th migration after the repo's last (V012 when the repo ends at V011). */
const nextVersion = (n: number) => `V${String(Object.keys(repoFiles).length + n).padStart(3, "0")}`;
const json = (value: unknown) => JSON.parse(String(value)) as Record<string, unknown>;
/** A generated password as the provider returned it: secret, and here unwrapped to compare. */
const generated = (run: RunResult, name: string) => {
  const result = unwrapSecrets(named(run, "random:index/randomPassword:RandomPassword", name).state.result);
  expect(result.secretPaths, `${name} is returned secret`).to.deep.equal([""]);
  return String(result.value);
};

for (const stack of ["dev", "prod"] as const) {
  describe(`database on the offline engine (${stack})`, () => {
    let run: RunResult;
    const prod = stack === "prod";
    before(async () => {
      run = await runStack(stack);
      if (run.error) throw run.error;
    });
    const atp = () => named(run, ADB, "database-atp");
    const dbSubnet = () => named(run, "oci:Core/subnet:Subnet", "oci-network-database");
    const vpc = () => named(run, "aws:ec2/vpc:Vpc", "aws-network-vpc");

    it("runs 26ai ATP on a private endpoint in the database subnet behind its NSG, TLS without a wallet, never public", () => {
      const nsg = named(run, "oci:Core/networkSecurityGroup:NetworkSecurityGroup", "database-nsg");
      expect(atp().inputs).to.deep.include({
        dbVersion: "26ai",
        dbWorkload: "OLTP",
        computeModel: "ECPU",
        computeCount: prod ? 8 : 2,
        dataStorageSizeInGb: prod ? 1024 : 20,
        isAutoScalingEnabled: prod,
        subnetId: dbSubnet().id,
        nsgIds: [nsg.id],
        isMtlsConnectionRequired: false,
        backupRetentionPeriodInDays: prod ? 60 : 7,
        licenseModel: "LICENSE_INCLUDED",
      });
      expect(atp().inputs.whitelistedIps, "no public access list").to.equal(undefined);
      expect(nsg.inputs.vcnId).to.equal(named(run, "oci:Core/vcn:Vcn", "oci-network-vcn").id);
      for (const db of ofType(run, ADB)) expect([db.name, db.protect]).to.deep.equal([db.name, prod]);
    });

    it("admits only 1522/TCP from the AWS private subnets to the database, not the whole VPC", () => {
      const rules = ofType(run, "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule").filter(
        (r) => r.parent?.endsWith("database"),
      );
      const privateCidrs = ofType(run, "aws:ec2/subnet:Subnet")
        .filter((s) => s.name.includes("private"))
        .map((s) => s.inputs.cidrBlock);
      expect(privateCidrs).to.have.length(prod ? 3 : 2);
      expect(
        rules.map((r) => [
          r.inputs.direction,
          r.inputs.protocol,
          r.inputs.source,
          r.inputs.sourceType,
          r.inputs.tcpOptions,
        ]),
      ).to.deep.equal(
        privateCidrs.map((cidr) => [
          "INGRESS",
          "6",
          cidr,
          "CIDR_BLOCK",
          { destinationPortRange: { min: 1522, max: 1522 } },
        ]),
      );
      expect(rules.map((r) => r.inputs.source)).to.not.include(vpc().inputs.cidrBlock);
    });

    it(prod ? "adds a Lakehouse warehouse on the same private terms" : "has no warehouse in dev", () => {
      const warehouses = ofType(run, ADB).filter((db) => db.name === "database-adw");
      if (!prod) {
        expect(warehouses).to.deep.equal([]);
        return;
      }
      expect(warehouses[0].inputs).to.deep.include({
        dbWorkload: "LH",
        dbVersion: "26ai",
        dbName: "mcproddw",
        computeCount: 16,
        subnetId: dbSubnet().id,
        isMtlsConnectionRequired: false,
      });
    });

    it(
      prod
        ? "gives each Autonomous Database its own ADMIN password, the warehouse's in its own secret"
        : "has one ADMIN password, the OLTP instance's",
      () => {
        const passwords = ofType(run, ADB).map((db) => [db.name, db.inputs.adminPassword]);
        expect(passwords).to.deep.equal(
          prod
            ? [
                ["database-adw", generated(run, "database-adw-admin-password")],
                ["database-atp", generated(run, "database-admin-password")],
              ]
            : [["database-atp", generated(run, "database-admin-password")]],
        );
        expect(new Set(passwords.map(([, p]) => p)).size).to.equal(passwords.length);
        const warehouseSecrets = ofType(run, "aws:secretsmanager/secretVersion:SecretVersion").filter(
          (v) => v.name === "database-access-warehouse-admin-value",
        );
        if (!prod) {
          expect(warehouseSecrets).to.deep.equal([]);
          return;
        }
        const value = json(warehouseSecrets[0].inputs.secretString);
        expect(value).to.deep.include({ username: "ADMIN", password: generated(run, "database-adw-admin-password") });
        expect(String(value.dsn)).to.match(/host=mcproddw\.adb\.eu-frankfurt-1\.oraclecloud\.com/);
        expect(JSON.stringify(run.outputs)).to.not.contain(generated(run, "database-adw-admin-password"));
      },
    );

    it("keeps the admin password secret, generated to ADB's rules", () => {
      expect(atp().secretInputPaths).to.include("adminPassword");
      const password = String(atp().inputs.adminPassword);
      expect(adbPasswordProblems(password)).to.deep.equal([]);
      expect(
        named(run, "random:index/randomPassword:RandomPassword", "database-admin-password").inputs,
      ).to.deep.include({ length: 30, special: false });
    });

    it("puts {username, password, dsn, schema} for MC_SVC and ADMIN into CMK-encrypted secrets, secret in every input and absent from outputs", () => {
      const key = named(run, "aws:kms/key:Key", "database-access-key");
      expect(key.inputs.enableKeyRotation).to.equal(true);
      const dsn = (run.outputs.database as Record<string, unknown>).dsn;
      expect(dsn).to.match(
        /^\(description=.*\(protocol=tcps\)\(port=1522\)\(host=mcd?e?v?p?r?o?d?\.adb\.eu-frankfurt-1\.oraclecloud\.com\).*_low\.adb\.oraclecloud\.com.*ssl_server_dn_match=yes/,
      );
      const expected = {
        app: ["MC_SVC", "database-service-password"],
        admin: ["ADMIN", "database-admin-password"],
      } as const;
      for (const [suffix, [username, passwordName]] of Object.entries(expected)) {
        const secret = named(run, "aws:secretsmanager/secret:Secret", `database-access-${suffix}`);
        expect(secret.inputs).to.deep.include({
          name: `multicloud-${stack}/database/${suffix}`,
          kmsKeyId: key.state.arn,
          recoveryWindowInDays: prod ? 30 : 7,
        });
        const version = named(run, "aws:secretsmanager/secretVersion:SecretVersion", `database-access-${suffix}-value`);
        expect(version.secretInputPaths).to.include("secretString");
        expect(version.inputs.secretId).to.equal(secret.id);
        expect(json(version.inputs.secretString)).to.deep.equal({
          username,
          password: generated(run, passwordName),
          dsn,
          schema: "MC_APP",
        });
      }
      const outputs = JSON.stringify(run.outputs);
      for (const name of ["database-service-password", "database-admin-password"])
        expect(outputs).to.not.contain(generated(run, name));
    });

    it("resolves the private endpoint's name inside the VPC to its address in the OCI database subnet", () => {
      const zone = named(run, "aws:route53/zone:Zone", "database-access-zone");
      const host = String(atp().state.privateEndpoint);
      expect(host).to.equal(`mc${prod ? "prod" : "dev"}.adb.eu-frankfurt-1.oraclecloud.com`);
      expect(zone.inputs).to.deep.include({ name: host, vpcs: [{ vpcId: vpc().id }] });
      const record = named(run, "aws:route53/record:Record", "database-access-endpoint");
      expect(record.inputs).to.deep.include({
        zoneId: zone.state.zoneId,
        name: host,
        type: "A",
        records: [atp().state.privateEndpointIp],
      });
      const ip = String(atp().state.privateEndpointIp);
      expect(
        IPv4CidrRange.fromCidr(String(dbSubnet().inputs.cidrBlock)).contains(IPv4CidrRange.fromCidr(`${ip}/32`)),
      ).to.equal(true);
    });

    it("runs the migration function in the private subnets, reaching only the listener and the network's interface endpoints", () => {
      const fn = named(run, "aws:lambda/function:Function", "migrations-handler-function");
      const sg = named(run, "aws:ec2/securityGroup:SecurityGroup", "migrations-function-sg");
      const endpointSg = named(run, "aws:ec2/securityGroup:SecurityGroup", "aws-network-endpoints-sg");
      const privateSubnets = ofType(run, "aws:ec2/subnet:Subnet")
        .filter((s) => s.name.startsWith("aws-network-private"))
        .map((s) => s.id);
      expect(fn.inputs.vpcConfig).to.deep.equal({ subnetIds: privateSubnets, securityGroupIds: [sg.id] });
      expect(fn.inputs).to.deep.include({ timeout: 900, runtime: "nodejs22.x" });
      const egress = ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter(
        (r) => r.inputs.securityGroupId === sg.id,
      );
      expect(
        egress.map((r) => [
          r.inputs.fromPort,
          r.inputs.toPort,
          r.inputs.cidrIpv4 ?? r.inputs.referencedSecurityGroupId,
        ]),
      ).to.have.deep.members([
        [1522, 1522, named(run, "oci:Core/subnet:Subnet", "oci-network-database").inputs.cidrBlock],
        [443, 443, endpointSg.id],
      ]);
      // The endpoints admit 443 from the private subnets (every in-VPC consumer), nothing into the function.
      const privateCidrs = ofType(run, "aws:ec2/subnet:Subnet")
        .filter((s) => s.name.startsWith("aws-network-private"))
        .map((s) => s.inputs.cidrBlock);
      const ingress = ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
        (r) => r.inputs.securityGroupId === sg.id || r.inputs.securityGroupId === endpointSg.id,
      );
      expect(
        ingress.map((r) => [r.inputs.securityGroupId, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]),
      ).to.deep.equal(privateCidrs.map((c) => [endpointSg.id, 443, 443, c]));
      const endpoint = named(run, "aws:ec2/vpcEndpoint:VpcEndpoint", "aws-network-secretsmanager");
      expect(endpoint.inputs).to.deep.include({
        serviceName: "com.amazonaws.eu-west-1.secretsmanager",
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: privateSubnets,
      });
      const statements = (
        json(named(run, "aws:iam/rolePolicy:RolePolicy", "migrations-handler-policy").inputs.policy)
          .Statement as Array<{ Action: string[]; Resource: string[] }>
      ).map((s) => [s.Action.join(","), s.Resource]);
      const arnOf = (type: string, name: string) => String(named(run, type, name).state.arn);
      expect(statements.slice(1, 3)).to.deep.equal([
        [
          "secretsmanager:GetSecretValue",
          [
            arnOf("aws:secretsmanager/secret:Secret", "database-access-admin"),
            arnOf("aws:secretsmanager/secret:Secret", "database-access-app"),
            arnOf("aws:secretsmanager/secret:Secret", "database-access-loader"),
            arnOf("aws:secretsmanager/secret:Secret", "database-access-functions"),
          ],
        ],
        ["kms:Decrypt", [arnOf("aws:kms/key:Key", "database-access-key")]],
      ]);
    });

    it("rotates the services' secret every serviceRotationDays with a function only Secrets Manager invokes; Pulumi leaves the rotated value alone", () => {
      const app = named(run, "aws:secretsmanager/secret:Secret", "database-access-app");
      const schedule = named(
        run,
        "aws:secretsmanager/secretRotation:SecretRotation",
        "service-secret-rotation-schedule",
      );
      const fn = named(run, "aws:lambda/function:Function", "service-secret-rotation-handler-function");
      expect(schedule.inputs).to.deep.equal({
        secretId: app.state.arn,
        rotationLambdaArn: fn.state.arn,
        rotationRules: { automaticallyAfterDays: 30 },
      });
      const permission = ofType(run, "aws:lambda/permission:Permission").find(
        (p) => p.name === "service-secret-rotation-invoke",
      );
      expect(permission?.inputs).to.deep.include({
        principal: "secretsmanager.amazonaws.com",
        sourceAccount: accountIdFor(stack),
        function: fn.state.name ?? fn.inputs.name,
      });
      expect(schedule.dependencies).to.include(permission?.urn);
      // The first rotation needs MC_SVC_B: it waits for the migrations' run (V008).
      expect(schedule.dependencies).to.include(named(run, "aws:lambda/invocation:Invocation", "migrations-run").urn);
      expect(
        named(run, "aws:secretsmanager/secretVersion:SecretVersion", "database-access-app-value").ignoreChanges,
      ).to.deep.equal(["secretString"]);
      expect(
        named(run, "aws:secretsmanager/secretVersion:SecretVersion", "database-access-admin-value").ignoreChanges,
      ).to.deep.equal([]);
      const sg = named(run, "aws:ec2/securityGroup:SecurityGroup", "service-secret-rotation-function-sg");
      expect((fn.inputs.vpcConfig as { securityGroupIds: string[] }).securityGroupIds).to.deep.equal([sg.id]);
      const egress = ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter(
        (r) => r.inputs.securityGroupId === sg.id,
      );
      expect(
        egress.map((r) => [r.inputs.fromPort, r.inputs.cidrIpv4 ?? byId(run, r.inputs.referencedSecurityGroupId).name]),
      ).to.have.deep.members([
        [1522, named(run, "oci:Core/subnet:Subnet", "oci-network-database").inputs.cidrBlock],
        [443, "aws-network-endpoints-sg"],
      ]);
      expect((fn.inputs.environment as { variables: Record<string, string> }).variables).to.deep.equal({
        ADMIN_SECRET_ARN: named(run, "aws:secretsmanager/secret:Secret", "database-access-admin").state.arn,
      });
    });

    it("invokes the function with the migration set's checksum, after the database, its DNS, the endpoint policies and a gate on the link", () => {
      const invocation = named(run, "aws:lambda/invocation:Invocation", "migrations-run");
      const checksum = setChecksum(parseMigrationSet(repoFiles));
      expect(invocation.inputs).to.deep.include({
        functionName: named(run, "aws:lambda/function:Function", "migrations-handler-function").state.name,
        triggers: { migrationSet: checksum },
      });
      expect(json(invocation.inputs.input)).to.deep.equal({ setChecksum: checksum });
      for (const needed of [
        atp(),
        named(run, "aws:route53/record:Record", "database-access-endpoint"),
        named(run, "aws:secretsmanager/secretVersion:SecretVersion", "database-access-app-value"),
      ]) {
        expect(invocation.dependencies, needed.name).to.include(needed.urn);
      }
      // Every endpoint policy but Grafana's API endpoint's, which waits for the workspace — and so for the
      // order services, which wait for these migrations (program/network.ts MONITORING_ENDPOINTS).
      for (const policy of ofType(run, "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy")) {
        if (policy.name.startsWith("endpoint-policies-monitoring-"))
          expect(invocation.dependencies).to.not.include(policy.urn);
        else expect(invocation.dependencies).to.include(policy.urn);
      }
      // The gate: under the migrations, re-polled with the set's checksum, after every VPN connection and swap.
      const gate = named(run, "pulumi-nodejs:dynamic/multicloud:LinkReadiness", "migrations-link-ready");
      expect(invocation.dependencies).to.include(gate.urn);
      expect(gate.inputs.triggers).to.deep.equal({ migrationSet: checksum });
      const paired = (run.outputs.interconnect as { tunnels: { paired: boolean; ociTunnelId: string }[] }).tunnels
        .filter((t) => t.paired)
        .map((t) => t.ociTunnelId);
      expect((gate.inputs.tunnels as { ociTunnelId: string }[]).map((t) => t.ociTunnelId)).to.deep.equal(paired);
      expect(gate.inputs.timeoutSeconds).to.equal(900);
      const links = [
        ...ofType(run, "aws:ec2/vpnConnection:VpnConnection"),
        ...ofType(run, "pulumi-nodejs:dynamic/multicloud:VpnCustomerGatewaySwap"),
      ];
      expect(links.length).to.be.greaterThan(1);
      for (const t of links) expect(gate.dependencies).to.include(t.urn);
      expect((run.outputs.database as Record<string, unknown>).migrationSet).to.equal(checksum);
    });
  });
}

describe("database decisions (pure)", () => {
  const profile = (over: Partial<ConnectionProfile>): ConnectionProfile => ({
    consumerGroup: "LOW",
    protocol: "TCPS",
    tlsAuthentication: "SERVER",
    syntaxFormat: "LONG",
    hostFormat: "FQDN",
    sessionMode: "DIRECT",
    value: "low-tls",
    ...over,
  });

  it("picks the one-way TLS LOW descriptor with the FQDN host, and says why when there is none", () => {
    expect(
      selectDsn([
        profile({ tlsAuthentication: "MUTUAL", value: "mtls" }),
        profile({ consumerGroup: "HIGH", value: "high" }),
        profile({ hostFormat: "IP", value: "ip" }),
        profile({}),
      ]),
    ).to.equal("low-tls");
    expect(() => selectDsn([profile({ tlsAuthentication: "MUTUAL" })])).to.throw(
      "no one-way TLS LOW connection string; is isMtlsConnectionRequired false?",
    );
  });

  it("applies ADB's password rules", () => {
    expect(adbPasswordProblems("Abcdefghijk1")).to.deep.equal([]);
    expect(adbPasswordProblems("short1A")).to.deep.equal(["must be 12 to 30 characters"]);
    expect(adbPasswordProblems("alllowercase123")).to.deep.equal([
      "needs an upper-case letter, a lower-case letter and a digit",
    ]);
    expect(adbPasswordProblems("MyAdminPass123")).to.deep.equal(['must not contain "admin"']);
  });

  it("ships the SQL files next to the migration function's code, within the size limit", async () => {
    const files = Object.fromEntries(Object.entries(repoFiles).map(([f, t]) => [`sql/${f}`, t]));
    const bundle = bundleFunction("functions/aws/migrate/handler.ts", files);
    expect(bundle.sizeBytes).to.be.at.most(MAX_BUNDLE_BYTES);
    expect(Object.keys(await bundle.code.assets).sort()).to.deep.equal(["index.js", ...Object.keys(files)].sort());
    const edited = bundleFunction("functions/aws/migrate/handler.ts", {
      ...files,
      "sql/V002__orders.sql": `${files["sql/V002__orders.sql"]}-- x\n`,
    });
    expect(edited.sha256).to.not.equal(bundle.sha256);
  });
});

describe("migration invocation re-triggers when, and only when, a migration file changes", () => {
  async function invocationOf(files: Record<string, string>, logRetentionDays = 30): Promise<RecordedResource> {
    const run = await runProgram({
      stack: "dev",
      config: { "multicloud:unused": "x" },
      program: async () => {
        new SchemaMigrations("migrations", {
          crossLink: testCrossLink(),
          files,
          network: {
            vpcId: pulumi.output("vpc-0123456789abcdef0"),
            vpcUrn: pulumi.output("urn:pulumi:dev::multicloud::aws:ec2/vpc:Vpc::vpc"),
            privateSubnetIds: [pulumi.output("subnet-0123456789abcdef0")],
            endpointSecurityGroupId: pulumi.output("sg-0123456789abcdef0"),
          },
          databaseCidr: "10.20.0.0/24",
          secrets: {
            adminSecretArn: pulumi.output("arn:aws:secretsmanager:eu-west-1:111122223333:secret:admin-abc123"),
            bindSecretArns: {
              service_password: pulumi.output("arn:aws:secretsmanager:eu-west-1:111122223333:secret:app-abc123"),
            },
            secretsKeyArn: pulumi.output("arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555"),
          },
          logRetentionDays,
          context: testContext(),
          runAfter: [],
        });
      },
    });
    if (run.error) throw run.error;
    return named(run, "aws:lambda/invocation:Invocation", "migrations-run");
  }

  it("same files, other settings changed: same input and triggers (no re-run)", async () => {
    const first = await invocationOf(repoFiles);
    const second = await invocationOf(repoFiles, 90);
    expect([second.inputs.input, second.inputs.triggers]).to.deep.equal([first.inputs.input, first.inputs.triggers]);
  });

  it("an edited or added file: new triggers and input (re-run)", async () => {
    const first = await invocationOf(repoFiles);
    const edited = await invocationOf({
      ...repoFiles,
      "V006__orders_staging.sql": `${repoFiles["V006__orders_staging.sql"]}\n-- a comment is a change too\n`,
    });
    const added = await invocationOf({
      ...repoFiles,
      [`${nextVersion(1)}__invoices.sql`]: "CREATE TABLE IF NOT EXISTS invoices (id NUMBER PRIMARY KEY);\n",
    });
    expect(new Set([first, edited, added].map((i) => JSON.stringify(i.inputs.triggers))).size).to.equal(3);
    expect(added.inputs.triggers).to.deep.equal(
      migrationTriggers({
        ...repoFiles,
        [`${nextVersion(1)}__invoices.sql`]: "CREATE TABLE IF NOT EXISTS invoices (id NUMBER PRIMARY KEY);\n",
      }),
    );
  });

  it("a malformed migration set fails the program before any resource is registered", async () => {
    const run = await runProgram({
      stack: "dev",
      config: { "multicloud:unused": "x" },
      program: async () => {
        migrationTriggers({ ...repoFiles, [`${nextVersion(2)}__gap.sql`]: "SELECT 1 FROM dual;" });
      },
    });
    expect(run.error?.message).to.equal(
      `${nextVersion(2)}__gap.sql: versions must run 1, 2, 3, … without gaps or repeats; expected ${nextVersion(1)}`,
    );
  });
});

describe("rotating the Pulumi-kept logins (multicloud:database.credentialGeneration)", () => {
  it("sets the loader's and the functions' passwords again after the migrations, and a new generation replaces both passwords and re-runs it", async () => {
    const { config, secretKeys } = loadStackConfig("dev");
    const first = await runProgram({ stack: "dev", config, secretKeys });
    if (first.error) throw first.error;
    const reset = named(first, "aws:lambda/invocation:Invocation", "migrations-reset-passwords");
    const run = named(first, "aws:lambda/invocation:Invocation", "migrations-run");
    expect(JSON.parse(String(reset.inputs.input))).to.deep.equal({
      setChecksum: JSON.parse(String(run.inputs.input)).setChecksum,
      resetPasswords: ["loader_password", "functions_password"],
    });
    expect(reset.inputs.triggers).to.deep.equal({ generation: "1" });
    expect(reset.dependencies).to.include(run.urn);
    // Generation 1 has no keeper: passwords generated before generations existed stay.
    expect(
      named(first, "random:index/randomPassword:RandomPassword", "database-functions-password").inputs.keepers,
    ).to.equal(undefined);
    const second = await runProgram({
      stack: "dev",
      config: withConfigValue(config, "multicloud:database.credentialGeneration", 2),
      secretKeys,
    });
    if (second.error) throw second.error;
    for (const login of ["functions", "loader"])
      expect(
        named(second, "random:index/randomPassword:RandomPassword", `database-${login}-password`).inputs.keepers,
      ).to.deep.equal({ generation: "2" });
    // The services' and ADMIN's passwords do not follow it (Secrets Manager rotates the services').
    expect(
      named(second, "random:index/randomPassword:RandomPassword", "database-service-password").inputs.keepers,
    ).to.equal(undefined);
    expect(
      named(second, "aws:lambda/invocation:Invocation", "migrations-reset-passwords").inputs.triggers,
    ).to.deep.equal({ generation: "2" });
  });

  it("rotates the Lakehouse's loader (MC_LAKE) with the same generation, through the Lakehouse's own migration function (prod)", async () => {
    const { config, secretKeys } = loadStackConfig("prod");
    const first = await runProgram({ stack: "prod", config, secretKeys });
    if (first.error) throw first.error;
    const reset = named(first, "aws:lambda/invocation:Invocation", "lakehouse-migrations-reset-passwords");
    const run = named(first, "aws:lambda/invocation:Invocation", "lakehouse-migrations-run");
    expect(reset.inputs.functionName).to.equal(run.inputs.functionName);
    expect(JSON.parse(String(reset.inputs.input))).to.deep.equal({
      setChecksum: JSON.parse(String(run.inputs.input)).setChecksum,
      resetPasswords: ["lakehouse_password"],
    });
    expect(reset.dependencies).to.include(run.urn);
    const second = await runProgram({
      stack: "prod",
      config: withConfigValue(config, "multicloud:database.credentialGeneration", 3),
      secretKeys,
    });
    if (second.error) throw second.error;
    expect(
      named(second, "random:index/randomPassword:RandomPassword", "database-adw-loader-password").inputs.keepers,
    ).to.deep.equal({ generation: "3" });
    expect(
      named(second, "random:index/randomPassword:RandomPassword", "database-adw-admin-password").inputs.keepers,
    ).to.equal(undefined);
    expect(
      named(second, "aws:lambda/invocation:Invocation", "lakehouse-migrations-reset-passwords").inputs.triggers,
    ).to.deep.equal({ generation: "3" });
  });
});
