/**
 * The `multicloud:federation` key of the org stack: one identity for both clouds. The company
 * IdP's SAML metadata (a file in the repository, or a URL read at `up`), how soon before a signing
 * certificate's end to warn, and which IdP group gets which role on each cloud. The metadata is
 * read and checked in the resolve step (resolveFederation), before any resource.
 */
import { z } from "zod";
import { ConfigError, ConfigIssue } from "./errors";
import { allowed, configKey, integer } from "./fields";
import { checkIdpMetadata, IdpMetadata } from "./samlMetadata";

/** The AWS roles a group can get: the whole account, or reading it (no writes, no secret values, no decryption). */
export const AWS_FEDERATED_ROLES = ["admin", "readOnly"] as const;
export type AwsFederatedRole = (typeof AWS_FEDERATED_ROLES)[number];

/** The OCI groups a group can map to, each with its compartment policy in every environment. */
export const OCI_FEDERATED_GROUPS = ["administrators", "networkAdmins", "databaseAdmins", "readers"] as const;
export type OciFederatedGroup = (typeof OCI_FEDERATED_GROUPS)[number];

/**
 * The Grafana roles a group can get in every environment's Managed Grafana workspace. Anyone the
 * IdP lets sign in to the Grafana application and not mapped here is a Viewer (Managed Grafana's rule).
 */
export const GRAFANA_FEDERATED_ROLES = ["admin", "editor"] as const;
export type GrafanaFederatedRole = (typeof GRAFANA_FEDERATED_ROLES)[number];

/** An IdP group: a name (letters, digits, space, _ . -) or an object id (Entra ID passes group GUIDs). */
const IDP_GROUP = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,127}$/;
const DOMAIN_URL = /^https:\/\/idcs-[0-9a-f]{32}\.identity\.oraclecloud\.com$/;
const DOMAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const REPO_FILE = /^(?!\/)(?!.*\.\.)[A-Za-z0-9_./-]+\.xml$/;

export const federationSchema = z.strictObject(
  {
    idpMetadata: z.strictObject(
      {
        file: z
          .string(allowed("a path in the repository, e.g. federation/idp-metadata.xml"))
          .regex(REPO_FILE, allowed("a relative .xml path inside the repository, e.g. federation/idp-metadata.xml"))
          .optional(),
        url: z
          .string(allowed("the IdP's https metadata URL"))
          .regex(/^https:\/\/\S+$/, allowed("the IdP's https metadata URL"))
          .optional(),
      },
      allowed("a map with exactly one of file or url"),
    ),
    certificateWarningDays: integer(1, 365, "days before a signing certificate's end that a deployment warns"),
    /** The SAML attribute the IdP puts the user's groups in (OCI maps its values to domain groups). */
    groupAttribute: z
      .string(allowed("the SAML attribute name carrying the user's groups"))
      .min(1, allowed("the SAML attribute name carrying the user's groups"))
      .max(256, allowed("at most 256 characters")),
    aws: z.strictObject(
      { maxSessionHours: integer(1, 12, "hours a federated AWS session lasts (IAM allows 1 to 12)") },
      allowed("a map with maxSessionHours"),
    ),
    oci: z.strictObject(
      {
        identityDomainUrl: z
          .string(allowed("the identity domain's URL, https://idcs-<32 hex>.identity.oraclecloud.com"))
          .regex(DOMAIN_URL, allowed("the identity domain's URL, https://idcs-<32 hex>.identity.oraclecloud.com")),
        identityDomainName: z
          .string(allowed("the identity domain's name as policies write it, e.g. Default"))
          .regex(DOMAIN_NAME, allowed("the identity domain's name as policies write it, e.g. Default")),
      },
      allowed("a map with identityDomainUrl and identityDomainName"),
    ),
    mappings: z
      .array(
        z.strictObject(
          {
            group: z
              .string(allowed("the IdP group's name or object id"))
              .regex(IDP_GROUP, allowed("the IdP group's name or object id")),
            aws: z.enum(AWS_FEDERATED_ROLES, allowed(`one of ${AWS_FEDERATED_ROLES.join(", ")}`)).optional(),
            oci: z.enum(OCI_FEDERATED_GROUPS, allowed(`one of ${OCI_FEDERATED_GROUPS.join(", ")}`)).optional(),
            grafana: z
              .enum(GRAFANA_FEDERATED_ROLES, allowed(`one of ${GRAFANA_FEDERATED_ROLES.join(", ")}`))
              .optional(),
          },
          allowed("a map with group and at least one of aws, oci, grafana"),
        ),
        allowed("a list of {group, aws, oci, grafana} mappings"),
      )
      .min(1, allowed("at least one mapping"))
      .max(50, allowed("at most 50 mappings")),
  },
  allowed("a map with idpMetadata, certificateWarningDays, groupAttribute, aws, oci and mappings"),
);

export type FederationSettings = z.infer<typeof federationSchema>;

export function checkFederation(project: string, raw: FederationSettings, issues: ConfigIssue[]): void {
  const k = (...path: PropertyKey[]) => configKey(project, ["federation", ...path]);
  const sources = [raw.idpMetadata.file, raw.idpMetadata.url].filter((s) => s !== undefined).length;
  if (sources !== 1)
    issues.push({
      key: k("idpMetadata"),
      message: `names ${sources === 0 ? "neither" : "both"} file and url; give exactly one`,
    });
  const seen = new Set<string>();
  raw.mappings.forEach((m, i) => {
    if (m.aws === undefined && m.oci === undefined && m.grafana === undefined)
      issues.push({
        key: k("mappings", i),
        message: `maps group ${m.group} to no role; give aws, oci, grafana or several`,
      });
    if (seen.has(m.group.toLowerCase()))
      issues.push({
        key: k("mappings", i, "group"),
        message: `${m.group} is mapped twice; give each group one mapping`,
      });
    seen.add(m.group.toLowerCase());
  });
  // Someone must be able to administer the Grafana workspaces: their dashboards are provisioned, their users are not.
  if (!raw.mappings.some((m) => m.grafana === "admin"))
    issues.push({
      key: k("mappings"),
      message: "maps no group to grafana: admin; give the platform administrators' group `grafana: admin`",
    });
}

/** What every environment's Grafana workspace takes from the federation (the org stack exports it). */
export interface GrafanaSaml {
  /** The IdP metadata document, as checked by the org stack. */
  readonly idpMetadataXml: string;
  /** The SAML attribute carrying the user's groups (Grafana's role assertion). */
  readonly groupAttribute: string;
  readonly adminGroups: readonly string[];
  readonly editorGroups: readonly string[];
}

export function grafanaSaml(federation: ResolvedFederation): GrafanaSaml {
  const groups = (role: GrafanaFederatedRole) =>
    federation.mappings.filter((m) => m.grafana === role).map((m) => m.group);
  return {
    idpMetadataXml: federation.metadataXml,
    groupAttribute: federation.groupAttribute,
    adminGroups: groups("admin"),
    editorGroups: groups("editor"),
  };
}

/** The federation as deployed: config with the metadata read and checked. */
export interface ResolvedFederation extends FederationSettings {
  /** The metadata document as read (what AWS and OCI are given). */
  readonly metadataXml: string;
  readonly metadata: IdpMetadata;
  /** Signing certificates near their end, or an expired one beside a valid one (a rollover). */
  readonly warnings: readonly string[];
}

/** How the metadata is read: a repository file or a URL (injected, so tests read fixtures). */
export interface MetadataReader {
  readFile(path: string): Promise<string>;
  fetchUrl(url: string): Promise<string>;
}

/** Reads the metadata named by config and checks it at `now`; a problem is a ConfigError naming the key. */
export async function resolveFederation(
  project: string,
  stack: string,
  raw: FederationSettings,
  read: MetadataReader,
  now: Date,
): Promise<ResolvedFederation> {
  const key = configKey(project, ["federation", "idpMetadata", raw.idpMetadata.file !== undefined ? "file" : "url"]);
  let xml: string;
  try {
    xml =
      raw.idpMetadata.file !== undefined
        ? await read.readFile(raw.idpMetadata.file)
        : await read.fetchUrl(raw.idpMetadata.url!);
  } catch (err) {
    throw new ConfigError(stack, [
      {
        key,
        message: `cannot be read (${(err as Error).message}); download the IdP's federation metadata and commit it, or give a reachable URL`,
      },
    ]);
  }
  const check = checkIdpMetadata(xml, now, raw.certificateWarningDays);
  if (!check.ok)
    throw new ConfigError(
      stack,
      check.problems.map((problem) => ({ key, message: `the IdP metadata ${problem}` })),
    );
  return { ...raw, metadataXml: xml, metadata: check.metadata, warnings: check.warnings };
}
