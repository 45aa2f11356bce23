import * as aws from "@pulumi/aws";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { expect } from "chai";
import { runProgram } from "../../offline/engine";
import { loadStackConfig } from "../../offline/stacks";
import { named, runWithConfigChange } from "../support/stacks";

const PROVIDER_CONFIG = { "multicloud:unused": "x" };

describe("offline engine", () => {
  it("gives the same values on every run of the same stack (deterministic ids)", async () => {
    const { config } = loadStackConfig("dev");
    const first = await runProgram({ stack: "dev", config });
    const second = await runProgram({ stack: "dev", config });
    expect(first.error).to.equal(undefined);
    expect(second.resources.map((r) => [r.urn, r.id, r.inputs])).to.deep.equal(
      first.resources.map((r) => [r.urn, r.id, r.inputs]),
    );
  });

  it("gives every resource a unique id in its cloud's format", async () => {
    const { config } = loadStackConfig("prod");
    const run = await runProgram({ stack: "prod", config });
    // Cloud resources only: random's resources all have the id "none", as the real provider gives them;
    // a topic policy's id is its topic's ARN, an endpoint policy's its endpoint's id and a rotation's its secret's ARN, as the real provider gives them.
    // An ECR lifecycle policy's id is its repository's name, and an S3 bucket's settings' ids are its bucket's name.
    const sharesItsTargetsId = new Set([
      "aws:sns/topicPolicy:TopicPolicy",
      "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy",
      "aws:secretsmanager/secretRotation:SecretRotation",
      "aws:ecr/lifecyclePolicy:LifecyclePolicy",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
      "aws:s3/bucketVersioning:BucketVersioning",
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "aws:s3/bucketPolicy:BucketPolicy",
      // A Grafana workspace's SAML configuration is known by its workspace's id.
      "aws:grafana/workspaceSamlConfiguration:WorkspaceSamlConfiguration",
    ]);
    const ids = run.resources
      .filter((r) => /^(aws|oci):/.test(r.type) && !sharesItsTargetsId.has(r.type))
      .map((r) => r.id);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(named(run, "aws:ec2/vpc:Vpc", "aws-network-vpc").id).to.match(/^vpc-[0-9a-f]{17}$/);
    expect(named(run, "oci:Core/vcn:Vcn", "oci-network-vcn").id).to.match(/^ocid1\.vcn\.oc1\.fra\.[a-z2-7]{60}$/);
    expect(named(run, "aws:kms/key:Key", "aws-network-flow-logs").state.arn).to.match(
      /^arn:aws:kms:eu-west-1:[0-9]{12}:key\/[0-9a-f-]{36}$/,
    );
  });

  it("refuses a resource type it has no model for, naming the type", async () => {
    const run = await runProgram({
      stack: "dev",
      config: PROVIDER_CONFIG,
      program: async () => {
        const provider = new aws.Provider("aws", { region: "eu-west-1" });
        new aws.gamelift.Alias("a", { routingStrategy: { type: "TERMINAL", message: "closed" } }, { provider });
      },
    });
    expect(run.error?.message).to.contain("no model for resource type aws:gamelift/alias:Alias");
  });

  it("answers OCI namespace, availability domains and AWS caller identity per stack", async () => {
    const compartmentId = "ocid1.compartment.oc1..aaaaaaaafixturefixturefixturefixture";
    const program = async () => {
      const awsProvider = new aws.Provider("aws", { region: "eu-west-1" });
      const ociProvider = new oci.Provider("oci", { region: "eu-frankfurt-1" });
      return {
        namespace: oci.objectstorage.getNamespaceOutput({}, { provider: ociProvider }).namespace,
        ads: oci.identity
          .getAvailabilityDomainsOutput({ compartmentId }, { provider: ociProvider })
          .availabilityDomains.apply((list) => list.map((ad) => ad.name)),
        account: aws.getCallerIdentityOutput({}, { provider: awsProvider }).accountId,
      };
    };
    const dev = await runProgram({ stack: "dev", config: PROVIDER_CONFIG, program });
    const prod = await runProgram({ stack: "prod", config: PROVIDER_CONFIG, program });
    expect(dev.error).to.equal(undefined);
    expect(dev.outputs.ads).to.deep.equal([
      "Uocm:EU-FRANKFURT-1-AD-1",
      "Uocm:EU-FRANKFURT-1-AD-2",
      "Uocm:EU-FRANKFURT-1-AD-3",
    ]);
    expect(dev.outputs.namespace).to.match(/^ns[0-9a-f]{10}$/);
    expect(dev.outputs.account).to.match(/^[0-9]{12}$/);
    expect(prod.outputs.account).to.not.equal(dev.outputs.account);
    expect(prod.outputs.namespace).to.not.equal(dev.outputs.namespace);
  });

  it("refuses an invoke it has no model for, naming the token", async () => {
    const run = await runProgram({
      stack: "dev",
      config: PROVIDER_CONFIG,
      program: async () => {
        const provider = new aws.Provider("aws", { region: "eu-west-1" });
        return { account: aws.getBillingServiceAccountOutput({}, { provider }).id };
      },
    });
    expect(run.error?.message).to.contain(
      "no model for invoke aws:index/getBillingServiceAccount:getBillingServiceAccount",
    );
  });

  it("fails the run when an apply throws (the region has fewer AZs than azCount)", async () => {
    const run = await runWithConfigChange("dev", "multicloud:aws", ["azCount"], 4);
    expect(run.error?.message).to.contain(
      "multicloud:aws.azCount is 4 but eu-west-1 offers 3 zones (eu-west-1a, eu-west-1b, eu-west-1c); lower azCount",
    );
  });

  it("refuses a cloud resource without an explicit provider", async () => {
    const run = await runProgram({
      stack: "dev",
      config: PROVIDER_CONFIG,
      program: async () => {
        new aws.ec2.Vpc("implicit", { cidrBlock: "10.0.0.0/16" });
      },
    });
    expect(run.error?.message).to.contain('aws:ec2/vpc:Vpc "implicit" has no explicit aws provider');
  });

  it("refuses two resources of one type with the same name (mocks would not)", async () => {
    const run = await runProgram({
      stack: "dev",
      config: PROVIDER_CONFIG,
      program: async () => {
        const provider = new aws.Provider("aws", { region: "eu-west-1" });
        new aws.ec2.Vpc("twin", { cidrBlock: "10.0.0.0/16" }, { provider });
        new aws.ec2.Vpc("twin", { cidrBlock: "10.1.0.0/16" }, { provider });
      },
    });
    expect(run.error?.message).to.contain('two resources of type aws:ec2/vpc:Vpc are named "twin"');
  });

  it("records secrets in inputs and outputs, and options sent by the SDK", async () => {
    const run = await runProgram({
      stack: "dev",
      config: PROVIDER_CONFIG,
      program: async () => {
        const provider = new aws.Provider("aws", { region: "eu-west-1" });
        const vpc = new aws.ec2.Vpc(
          "protected",
          { cidrBlock: "10.0.0.0/16", tags: { Name: pulumi.secret("hidden") } },
          { provider, protect: true, ignoreChanges: ["tags"] },
        );
        const subnet = new aws.ec2.Subnet(
          "after",
          { vpcId: "vpc-static", cidrBlock: "10.0.1.0/24" },
          { provider, dependsOn: [vpc] },
        );
        return { token: pulumi.secret("s3cr3t"), subnet: subnet.id };
      },
    });
    expect(run.error).to.equal(undefined);
    const vpc = named(run, "aws:ec2/vpc:Vpc", "protected");
    expect(vpc.protect).to.equal(true);
    expect(vpc.ignoreChanges).to.deep.equal(["tags"]);
    // The SDK marks the whole property secret when any part of it is.
    expect(vpc.secretInputPaths).to.deep.equal(["tags"]);
    expect(vpc.inputs.tags).to.deep.equal({ Name: "hidden" });
    expect(named(run, "aws:ec2/subnet:Subnet", "after").dependencies).to.include(vpc.urn);
    expect(run.secretOutputPaths).to.deep.equal(["token"]);
    expect(run.outputs.token).to.equal("s3cr3t");
  });

  it("models what random generates only through its own provider type", async () => {
    const run = await runProgram({
      stack: "dev",
      config: PROVIDER_CONFIG,
      program: async () => {
        new random.RandomPet("pet");
      },
    });
    expect(run.error?.message).to.contain("no model for resource type random:index/randomPet:RandomPet");
  });
});

describe("offline engine: aliases", () => {
  it("records an alias by name as the URN the engine would compute, with no root stack in the type chain", async () => {
    const run = await runProgram({
      stack: "dev",
      config: PROVIDER_CONFIG,
      stackOutputs: {},
      program: async () => {
        const parent = new pulumi.ComponentResource("multicloud:test:Holder", "holder");
        new aws.sqs.Queue(
          "renamed",
          {},
          { parent, aliases: [{ name: "old-name" }], provider: new aws.Provider("aws", { region: "eu-west-1" }) },
        );
      },
    });
    if (run.error) throw run.error;
    expect(named(run, "aws:sqs/queue:Queue", "renamed").aliases).to.deep.equal([
      "urn:pulumi:dev::multicloud::multicloud:test:Holder$aws:sqs/queue:Queue::old-name",
    ]);
  });
});
