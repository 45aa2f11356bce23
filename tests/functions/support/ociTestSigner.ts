import { ociRequestSigner } from "../../../functions/aws/costs/ociSign";
import { checkedSigner } from "../../support/sdkCalls";

/** The cost job's signer over a test key pair, refusing requests the job's contract does not declare. */
export function ociTestSigner(privateKeyPem: string) {
  return checkedSigner(
    ociRequestSigner({
      tenancyOcid: "ocid1.tenancy.oc1..t",
      userOcid: "ocid1.user.oc1..u",
      fingerprint: "aa:bb",
      privateKeyPem,
    }),
  );
}
