/** Secrets Manager behind the rotation's SecretStore interface. */
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { CURRENT, PENDING, SecretStore } from "./rotation";

type Sender = Pick<SecretsManagerClient, "send">;

export function secretsManagerStore(client: Sender): SecretStore {
  return {
    describe: async (secretId) => {
      const out = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
      return { rotationEnabled: out.RotationEnabled === true, versions: out.VersionIdsToStages ?? {} };
    },
    getValue: async (secretId, by) => {
      try {
        const out = await client.send(
          new GetSecretValueCommand({ SecretId: secretId, VersionId: by.versionId, VersionStage: by.stage }),
        );
        return out.SecretString;
      } catch (err) {
        if ((err as { name?: string }).name === "ResourceNotFoundException") return undefined;
        throw err;
      }
    },
    putPending: async (secretId, versionId, value) => {
      await client.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          ClientRequestToken: versionId,
          SecretString: value,
          VersionStages: [PENDING],
        }),
      );
    },
    moveCurrent: async (secretId, toVersionId, fromVersionId) => {
      await client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: secretId,
          VersionStage: CURRENT,
          MoveToVersionId: toVersionId,
          RemoveFromVersionId: fromVersionId,
        }),
      );
    },
  };
}
