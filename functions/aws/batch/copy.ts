/**
 * The batch path's copy: the day's object from the S3 bucket to the OCI bucket through Object
 * Storage's S3-compatible API, streamed (multipart, a few parts in flight), its SHA-256 carried in
 * the metadata. OCI refuses what the AWS SDK does by default — flexible checksums and
 * aws-chunked uploads — so its client asks for checksums only where the API requires them.
 *
 * Verified means the bytes: the copy hashes the bytes it streams to the destination (they must be
 * the export's: its SHA-256 over the bytes it wrote, carried in the metadata), then reads the
 * destination's object back and hashes what is stored. Any difference in length or hash fails the
 * step; the destination's metadata alone proves nothing (the copy wrote it).
 */
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { createHash } from "node:crypto";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

/** A pass-through that hashes and counts what flows through it. */
function hashing(): { stream: Transform; digest(): { sha256: string; bytes: number } } {
  const hash = createHash("sha256");
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, digest: () => ({ sha256: hash.digest("hex"), bytes }) };
}

/** SHA-256 and length of a stream's bytes. */
async function digestOf(body: Readable): Promise<{ sha256: string; bytes: number }> {
  const h = hashing();
  await pipeline(body, h.stream, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) void chunk;
  });
  return h.digest();
}

export interface OciObjectStorage {
  /** The tenancy's Object Storage namespace. */
  readonly namespace: string;
  /** An OCI region identifier, e.g. eu-frankfurt-1. */
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Tests point it at a local S3 server; otherwise the region's compatibility endpoint. */
  readonly endpoint?: string;
}

/** The S3-compatibility endpoint of a namespace in a region. */
export function ociS3Endpoint(namespace: string, region: string): string {
  return `https://${namespace}.compat.objectstorage.${region}.oraclecloud.com`;
}

/** An S3 client that OCI's compatibility API accepts: path-style, checksums only when required. */
export function ociS3Client(target: OciObjectStorage): S3Client {
  return new S3Client({
    region: target.region,
    endpoint: target.endpoint ?? ociS3Endpoint(target.namespace, target.region),
    forcePathStyle: true,
    credentials: { ...target.credentials },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/** 8 MiB parts, four in flight: a Lambda's memory holds at most 32 MiB of the file at once. */
export const COPY_PART_BYTES = 8 * 1024 * 1024;
export const COPY_PARTS_IN_FLIGHT = 4;

export interface CopyResult {
  readonly key: string;
  readonly bytes: number;
  readonly sha256: string;
}

export async function copyObject(
  source: S3Client,
  sourceBucket: string,
  target: S3Client,
  targetBucket: string,
  key: string,
): Promise<CopyResult> {
  const object = await source.send(new GetObjectCommand({ Bucket: sourceBucket, Key: key }));
  const sha256 = object.Metadata?.sha256;
  if (!sha256) throw new Error(`s3://${sourceBucket}/${key} has no sha256 metadata: it was not written by the export`);
  // What is streamed is hashed on its way: the upload reads from the hashing pass-through.
  const streamed = hashing();
  (object.Body as Readable).on("error", (err) => streamed.stream.destroy(err)).pipe(streamed.stream);
  const upload = new Upload({
    client: target,
    params: {
      Bucket: targetBucket,
      Key: key,
      Body: streamed.stream,
      ContentType: "text/csv",
      Metadata: { sha256 },
    },
    partSize: COPY_PART_BYTES,
    queueSize: COPY_PARTS_IN_FLIGHT,
    leavePartsOnError: false,
  });
  await upload.done();
  const sent = streamed.digest();
  if (sent.sha256 !== sha256 || sent.bytes !== Number(object.ContentLength ?? -1))
    throw new Error(
      `the bytes streamed from s3://${sourceBucket}/${key} (${sent.bytes} bytes, sha256 ${sent.sha256}) are not what the export wrote (${object.ContentLength} bytes, sha256 ${sha256})`,
    );
  const copied = await target.send(new GetObjectCommand({ Bucket: targetBucket, Key: key }));
  const stored = await digestOf(copied.Body as Readable);
  if (stored.sha256 !== sent.sha256 || stored.bytes !== sent.bytes)
    throw new Error(
      `the copy of ${key} stores ${stored.bytes} bytes (sha256 ${stored.sha256}); ${sent.bytes} bytes were sent (sha256 ${sent.sha256})`,
    );
  return { key, bytes: sent.bytes, sha256 };
}
