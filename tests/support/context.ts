/** A platform context for tests that build one component on the offline engine. */
import * as aws from "@pulumi/aws";
import * as oci from "@pulumi/oci";
import { PlatformContext } from "../../components/shared/context";

/** Registers the two providers (inside a program run) and returns a dev-like context. */
export function testContext(overrides: Partial<Omit<PlatformContext, "providers">> = {}): PlatformContext {
  const tags = {
    environment: "dev",
    cost_center: "CC-4410-PLATFORM",
    project: "multicloud",
    owner: "platform-team@example.com",
  };
  return {
    namePrefix: "multicloud-dev",
    isProduction: false,
    tags,
    ociFreeformTags: { ...tags },
    compartmentId: "ocid1.compartment.oc1..aaaaaaaa4vqtm6rjz2xkbzyvmdevplatform3qhn7cwd5pl2yb5xq",
    awsRegion: "eu-west-1",
    ...overrides,
    keyAdministratorArns: overrides.keyAdministratorArns ?? ["arn:aws:iam::111122223333:role/platform-key-admin"],
    providers: {
      aws: new aws.Provider("aws", { region: overrides.awsRegion ?? "eu-west-1" }),
      oci: new oci.Provider("oci", { region: "eu-frankfurt-1" }),
    },
  };
}
