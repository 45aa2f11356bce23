/** A platform context for tests that build one component on the offline engine. */
import * as aws from "@pulumi/aws";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { CrossLinkReadiness } from "../../components/interconnect/linkReadiness";
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

/** A link one IPSec tunnel wide for a component under test that invokes across it (register inside a program run). */
export function testCrossLink(): CrossLinkReadiness {
  const link = new pulumi.ComponentResource("test:index:Interconnect", "link");
  return {
    gate: {
      awsRegion: "eu-west-1",
      ociRegion: "eu-frankfurt-1",
      expectedAccountIds: ["111122223333"],
      tunnels: [
        {
          name: "pair 0 tunnel 1",
          vpnConnectionId: "vpn-0123456789abcdef0",
          awsOutsideIp: "203.0.113.10",
          ociIpsecId: "ocid1.ipsecconnection.oc1.eu-frankfurt-1.aaaa",
          ociTunnelId: "ocid1.ipsectunnel.oc1.eu-frankfurt-1.aaaa",
        },
      ],
      routeTableIds: ["rtb-0123456789abcdef0"],
      vpnGatewayId: "vgw-0123456789abcdef0",
      ociCidr: "10.20.0.0/16",
      awsCidr: "10.10.0.0/16",
      timeoutSeconds: 900,
      after: link,
    },
    after: [],
  };
}
