/** s3rver on loopback with the buckets a test names, and clients for it. */
import { S3Client } from "@aws-sdk/client-s3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import S3rver from "s3rver";

export interface LocalS3 {
  readonly endpoint: string;
  /** A client as the functions build one for AWS S3 (path-style: s3rver has no virtual hosts). */
  client(): S3Client;
  stop(): Promise<void>;
}

/** s3rver accepts these fixed credentials. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

export async function startLocalS3(buckets: readonly string[]): Promise<LocalS3> {
  const directory = mkdtempSync(path.join(tmpdir(), "s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    client: () =>
      new S3Client({ region: "eu-west-1", endpoint, forcePathStyle: true, credentials: LOCAL_S3_CREDENTIALS }),
    stop: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
