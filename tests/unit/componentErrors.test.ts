import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { SchemaMigrations } from "../../components/database/schemaMigrations";
import { failAs } from "../../components/shared/context";
import { runProgram } from "../../offline/engine";
import { testContext, testCrossLink } from "../support/context";

describe("errors raised by a component are ResourceErrors tied to it", () => {
  it("failAs turns a decision's failure into a ResourceError naming the component, and passes values through", () => {
    const component = {} as pulumi.Resource;
    expect(failAs(component, () => 42)).to.equal(42);
    let caught: unknown;
    try {
      failAs(component, () => {
        throw new Error("no one-way TLS LOW connection string");
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(pulumi.ResourceError);
    expect((caught as Error).message).to.equal("no one-way TLS LOW connection string");
  });

  it("SchemaMigrations refuses a misnamed migration file with a ResourceError, before its children register", async () => {
    const run = await runProgram({
      stack: "dev",
      config: {},
      stackOutputs: {},
      program: async () => {
        new SchemaMigrations("migrations", {
          crossLink: testCrossLink(),
          files: { "V001__ok.sql": "select 1 from dual;", "2_bad.sql": "select 1 from dual;" },
          network: {
            vpcId: pulumi.output("vpc-0123456789abcdef0"),
            vpcUrn: pulumi.output("urn:pulumi:dev::multicloud::aws:ec2/vpc:Vpc::vpc"),
            privateSubnetIds: [pulumi.output("subnet-0123456789abcdef0")],
            endpointSecurityGroupId: pulumi.output("sg-0123456789abcdef0"),
          },
          databaseCidr: "10.20.0.0/24",
          secrets: {
            adminSecretArn: pulumi.output("arn:a"),
            bindSecretArns: { service_password: pulumi.output("arn:b") },
            secretsKeyArn: pulumi.output("arn:c"),
          },
          logRetentionDays: 30,
          context: testContext(),
          runAfter: [],
        });
      },
    });
    expect(run.error).to.be.instanceOf(pulumi.ResourceError);
    expect(run.error?.message).to.contain("2_bad.sql: migration files are named V<3 digits>__<lower_snake_name>.sql");
    expect(run.resources.filter((r) => r.type.startsWith("aws:"))).to.deep.equal([]);
  });
});
