/**
 * The batch path's copy: the day's object from the S3 bucket to the OCI bucket through Object
 * Storage's S3-compatible API, streamed (multipart, a few parts in flight), its SHA-256 carried in
 * the metadata. OCI refuses what the AWS SDK does by default — flexible checksums and
 * aws-chunked uploads — so its client asks for checksums only where the API requires them.
 */
import { GetObjectCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { Readable } from "node:stream";

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
  const upload = new Upload({
    client: target,
    params: {
      Bucket: targetBucket,
      Key: key,
      Body: object.Body as Readable,
      ContentType: "text/csv",
      Metadata: { sha256 },
    },
    partSize: COPY_PART_BYTES,
    queueSize: COPY_PARTS_IN_FLIGHT,
    leavePartsOnError: false,
  });
  await upload.done();
  const copied = await target.send(new HeadObjectCommand({ Bucket: targetBucket, Key: key }));
  if (copied.ContentLength !== object.ContentLength || copied.Metadata?.sha256 !== sha256) {
    throw new Error(
      `the copy of ${key} is ${copied.ContentLength} bytes (sha256 ${copied.Metadata?.sha256}), the source ${object.ContentLength} (sha256 ${sha256})`,
    );
  }
  return { key, bytes: Number(object.ContentLength ?? 0), sha256 };
}
