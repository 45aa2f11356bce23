/**
 * The multicloud platform program. Exported as a function so that the same process can run it
 * once per stack (the offline engine and plan do); `pulumi up` calls it once.
 * Only wiring lives here: decisions are in components/, config rules in components/config/.
 */
import { loadPlatformConfig } from "./components/config/load";
import { AwsNetwork } from "./components/network/awsNetwork";
import { OciNetwork } from "./components/network/ociNetwork";
import { createProviders } from "./components/shared/providers";
import { ociFreeformTags } from "./components/shared/tags";

export = async () => {
  const cfg = loadPlatformConfig();
  const namePrefix = `${cfg.project}-${cfg.environment}`;
  const providers = createProviders(cfg);

  const awsNetwork = new AwsNetwork("aws-network", { plan: cfg.aws, namePrefix }, { providers: [providers.aws] });
  const ociNetwork = new OciNetwork(
    "oci-network",
    { plan: cfg.oci, awsCidr: cfg.aws.vpcCidr, freeformTags: ociFreeformTags(cfg.tags), namePrefix },
    { providers: [providers.oci] },
  );

  return {
    environment: cfg.environment,
    interconnectMode: cfg.interconnect.mode,
    aws: {
      region: cfg.aws.region,
      vpcId: awsNetwork.vpcId,
      vpcCidr: awsNetwork.vpcCidr,
      availabilityZones: awsNetwork.availabilityZones,
      privateSubnetIds: awsNetwork.privateSubnetIds,
      publicSubnetIds: awsNetwork.publicSubnetIds,
      privateRouteTableIds: awsNetwork.privateRouteTableIds,
      flowLogGroupName: awsNetwork.flowLogGroupName,
    },
    oci: {
      region: cfg.oci.region,
      vcnId: ociNetwork.vcnId,
      vcnCidr: ociNetwork.vcnCidr,
      drgId: ociNetwork.drgId,
      subnetIds: ociNetwork.subnetIds,
    },
  };
};
