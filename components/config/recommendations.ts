/**
 * The `multicloud:recommendations` key: the OCI recommendation engine (issue 14) — its two
 * functions, the API Gateway in front of the API (private unless a public subnet is given), the
 * token the gateway checks, the refresh job and the item embedding model.
 */
import { z } from "zod";
import { cidrProblem, isPrivateCidr } from "../shared/cidr";
import { ConfigIssue } from "./errors";
import { allowed, configKey, integer } from "./fields";
import { functionMemorySchema } from "./streaming";

/** The most user events the consumer takes at once (its contract's RECOMMEND_MAX_BATCH; a test keeps them equal). */
export const RECOMMEND_MAX_BATCH = 500;

/** An Object Storage object URI of an .onnx model (the migration contract's OBJECT_STORAGE_URI; a test keeps them equal). */
export const MODEL_URI =
  /^https:\/\/objectstorage\.[a-z]+-[a-z]+-\d\.oraclecloud\.com\/n\/[a-z0-9]+\/b\/[A-Za-z0-9._-]{1,256}\/o\/[A-Za-z0-9._/-]+\.onnx$/;

const MODEL_DEPLOYMENT_OCID = /^ocid1\.datasciencemodeldeployment\.oc[0-9]+\.[a-z0-9-]+\.[a-z0-9]+$/;
const SUBNET_OCID = /^ocid1\.subnet\.oc[0-9]+\.[a-z0-9-]+\.[a-z0-9]+$/;
const HTTPS_URL = /^https:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[^\s]*)?$/;
const SCOPE = /^[A-Za-z0-9][A-Za-z0-9:._/-]{0,127}$/;

const gatewaySchema = z.strictObject(
  {
    access: z.enum(
      ["private", "public"],
      allowed(
        '"private" (in the functions subnet, reached over the interconnect) or "public" (with publicSubnetId and allowedCidrs)',
      ),
    ),
    publicSubnetId: z
      .string(allowed("the OCID of a public regional subnet, ocid1.subnet.oc1.<region>.<id>"))
      .regex(SUBNET_OCID, allowed("the OCID of a public regional subnet, ocid1.subnet.oc1.<region>.<id>"))
      .optional(),
    allowedCidrs: z
      .array(z.string(allowed("a CIDR block")), allowed("a list of the public CIDR blocks that may call the gateway"))
      .min(1, allowed("at least one CIDR block"))
      .max(20, allowed("at most 20 CIDR blocks"))
      .optional(),
  },
  allowed("a map with access and, for a public gateway, publicSubnetId and allowedCidrs"),
);

export const recommendationsSchema = z.strictObject(
  {
    consumer: z.strictObject(
      {
        memoryMb: functionMemorySchema,
        timeoutSeconds: integer(5, 300, "seconds one batch of interactions may take"),
        batchSize: integer(1, RECOMMEND_MAX_BATCH, "user events Connector Hub hands the consumer at once"),
        batchSeconds: integer(1, 60, "seconds Connector Hub waits to fill a batch"),
      },
      allowed("a map with memoryMb, timeoutSeconds, batchSize and batchSeconds"),
    ),
    api: z.strictObject(
      {
        memoryMb: functionMemorySchema,
        timeoutSeconds: integer(5, 60, "seconds a request may take in the function (API Gateway waits at most 60)"),
        deadlineMs: integer(100, 10_000, "milliseconds the database has before the cached popular list answers"),
      },
      allowed("a map with memoryMb, timeoutSeconds and deadlineMs"),
    ),
    gateway: gatewaySchema,
    auth: z.strictObject(
      {
        issuer: z
          .string(allowed("the token issuer, an https URL"))
          .regex(HTTPS_URL, allowed("the token issuer, an https URL")),
        audiences: z
          .array(
            z.string(allowed("an audience")).min(1, allowed("a non-empty audience")),
            allowed("a list of accepted audiences"),
          )
          .min(1, allowed("at least one audience"))
          .max(10, allowed("at most 10 audiences")),
        jwksUri: z
          .string(allowed("the issuer's JWKS URL, https"))
          .regex(HTTPS_URL, allowed("the issuer's JWKS URL, https")),
        readScope: z
          .string(allowed("a scope, e.g. recommendations:read"))
          .regex(SCOPE, allowed("a scope, e.g. recommendations:read"))
          .optional(),
        catalogScope: z
          .string(allowed("a scope, e.g. catalog:write"))
          .regex(SCOPE, allowed("a scope, e.g. catalog:write")),
      },
      allowed("a map with issuer, audiences, jwksUri, catalogScope and optional readScope"),
    ),
    scorer: z.strictObject(
      {
        kind: z.enum(
          ["sql", "dataScience"],
          allowed(
            '"sql" (rec_serve\'s own score) or "dataScience" (an OCI Data Science model deployment orders the candidates)',
          ),
        ),
        modelDeploymentId: z
          .string(allowed("the model deployment's OCID, ocid1.datasciencemodeldeployment.oc1.<region>.<id>"))
          .regex(
            MODEL_DEPLOYMENT_OCID,
            allowed("the model deployment's OCID, ocid1.datasciencemodeldeployment.oc1.<region>.<id>"),
          )
          .optional(),
      },
      allowed("a map with kind and, for dataScience, modelDeploymentId"),
    ),
    historyDays: integer(1, 365, "days of interactions the refresh job learns from"),
    refreshMinutes: integer(1, 1440, "minutes between refreshes of co-occurrence, profiles and popularity"),
    embeddingModelUri: z
      .string(
        allowed(
          "the ONNX embedding model's Object Storage URI, https://objectstorage.<region>.oraclecloud.com/n/<namespace>/b/<bucket>/o/<name>.onnx",
        ),
      )
      .regex(
        MODEL_URI,
        allowed(
          "the ONNX embedding model's Object Storage URI, https://objectstorage.<region>.oraclecloud.com/n/<namespace>/b/<bucket>/o/<name>.onnx",
        ),
      ),
  },
  allowed("a map with consumer, api, gateway, auth, scorer, historyDays, refreshMinutes and embeddingModelUri"),
);

export type RecommendationsSettings = z.infer<typeof recommendationsSchema>;

/** The model's bucket (the database's resource principal may read that bucket's objects, and no other's). */
export function embeddingModelBucket(uri: string): string {
  return /\/b\/([^/]+)\/o\//.exec(uri)![1];
}

export function checkRecommendations(
  project: string,
  raw: RecommendationsSettings,
  isProduction: boolean,
  issues: ConfigIssue[],
): void {
  const k = (...path: PropertyKey[]) => configKey(project, ["recommendations", ...path]);
  if (raw.api.deadlineMs >= raw.api.timeoutSeconds * 1000) {
    issues.push({
      key: k("api", "deadlineMs"),
      message: `${raw.api.deadlineMs} ms is not below the function's timeout (${raw.api.timeoutSeconds} s); the fallback must answer before the platform cuts the call`,
    });
  }
  if (raw.scorer.kind === "dataScience" && raw.scorer.modelDeploymentId === undefined)
    issues.push({
      key: k("scorer", "modelDeploymentId"),
      message: "is required when kind is dataScience; the OCID of the model deployment that scores the candidates",
    });
  if (raw.scorer.kind === "sql" && raw.scorer.modelDeploymentId !== undefined)
    issues.push({
      key: k("scorer", "modelDeploymentId"),
      message: "is set, but kind is sql; remove it, or set kind: dataScience",
    });
  const gateway = raw.gateway;
  if (gateway.access === "private") {
    for (const field of ["publicSubnetId", "allowedCidrs"] as const) {
      if (gateway[field] !== undefined)
        issues.push({
          key: k("gateway", field),
          message:
            "is set, but access is private; a private gateway runs in the functions subnet and admits the AWS private subnets (remove it, or set access: public)",
        });
    }
    return;
  }
  if (gateway.publicSubnetId === undefined)
    issues.push({
      key: k("gateway", "publicSubnetId"),
      message:
        "is required when access is public; the OCID of a public regional subnet, ocid1.subnet.oc1.<region>.<id>",
    });
  if (gateway.allowedCidrs === undefined)
    issues.push({
      key: k("gateway", "allowedCidrs"),
      message: "is required when access is public; the public CIDR blocks that may call the gateway",
    });
  (gateway.allowedCidrs ?? []).forEach((block, i) => {
    const problem = cidrProblem(block);
    if (problem)
      issues.push({
        key: k("gateway", "allowedCidrs", i),
        message: `${problem}; give a public CIDR block such as 203.0.113.0/24`,
      });
    else if (block.endsWith("/0"))
      issues.push({
        key: k("gateway", "allowedCidrs", i),
        message: `${block} admits the whole internet; list the callers' ranges`,
      });
    else if (isPrivateCidr(block))
      issues.push({
        key: k("gateway", "allowedCidrs", i),
        message: `${block} is private address space; a public gateway is called from public addresses (private callers use access: private)`,
      });
  });
  if (isProduction)
    issues.push({
      key: k("gateway", "access"),
      message:
        "is public in production; production serves recommendations on the private gateway only (callers reach it over the interconnect)",
    });
}
