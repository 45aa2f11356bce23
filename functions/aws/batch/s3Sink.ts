/** The export's ObjectSink on S3: one PutObject with the body's SHA-256 in the metadata (the bucket's default key encrypts it). */
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { ObjectSink } from "./exportDay";

export function s3Sink(client: S3Client, bucket: string): ObjectSink {
  return {
    async put(key, body, sha256) {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: "text/csv", Metadata: { sha256 } }),
      );
    },
  };
}
