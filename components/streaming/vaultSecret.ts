import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { PlatformContext, platformOptions } from "../shared/context";
import { kept } from "../shared/protection";

export interface VaultSecretArgs {
  /** The secret's name in the vault. */
  readonly secretName: string;
  readonly description: string;
  /** The vault and the key that encrypts the secret. */
  readonly vaultId: pulumi.Input<string>;
  readonly keyId: pulumi.Input<string>;
  /** The secret's text (a credential document); kept secret end to end. */
  readonly content: pulumi.Output<string>;
  readonly context: PlatformContext;
}

export interface VaultSecretOutputs {
  /** What the reader's configuration names (ANOMALY_DB_SECRET_OCID and the like). */
  readonly secretId: pulumi.Output<string>;
}

/**
 * A secret in OCI Vault holding a credential Pulumi generated: its content base64 as Vault stores
 * it, secret in every input, never an output; encrypted with the vault's key. A change of the
 * content (a rotated password) becomes the secret's new current version.
 */
export class VaultSecret extends pulumi.ComponentResource {
  readonly outputs: VaultSecretOutputs;

  constructor(name: string, args: VaultSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:streaming:VaultSecret", name, {}, platformOptions(args.context, opts));
    const secret = new oci.vault.Secret(
      `${name}-secret`,
      {
        compartmentId: args.context.compartmentId,
        vaultId: args.vaultId,
        keyId: args.keyId,
        secretName: args.secretName,
        description: args.description,
        secretContent: {
          contentType: "BASE64",
          content: pulumi.secret(args.content.apply((text) => Buffer.from(text, "utf8").toString("base64"))),
        },
        freeformTags: { ...args.context.ociFreeformTags },
      },
      kept(this, args.context, "oci:Vault/secret:Secret"),
    );
    this.outputs = { secretId: secret.id };
    this.registerOutputs({ secretId: secret.id });
  }
}
