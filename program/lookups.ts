import * as oci from "@pulumi/oci";
import { PlatformLookups } from "../components/config/resolve";

/** The resolve step's look-ups, made with the stack's OCI provider. */
export function ociLookups(provider: oci.Provider): PlatformLookups {
  return {
    async fastConnectServices(compartmentId) {
      const listed = await oci.core.getFastConnectProviderServices({ compartmentId }, { provider });
      return listed.fastConnectProviderServices.map((s) => ({
        id: s.id,
        providerName: s.providerName,
        providerServiceName: s.providerServiceName,
        supportedVirtualCircuitTypes: s.supportedVirtualCircuitTypes,
      }));
    },
    async bandwidthShapes(providerServiceId) {
      const shapes = await oci.core.getVirtualCircuitBandwidthShapes({ providerServiceId }, { provider });
      return shapes.virtualCircuitBandwidthShapes.map((s) => s.name);
    },
  };
}
