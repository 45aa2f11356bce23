/**
 * The environments a stack can be, and which get production rules. Shared by the config (defaults
 * and checks), the offline tooling and the policy pack (enforcement levels): production is decided
 * by the environment a stack file names, never by the stack's name.
 */

/** The environment of the stack that owns tenancy- and account-wide resources. */
export const ORG_ENVIRONMENT = "org";

/** The environments that run the platform (every stack but the org stack). */
export const PLATFORM_ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export const ENVIRONMENTS = [...PLATFORM_ENVIRONMENTS, ORG_ENVIRONMENT] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * Whether an environment gets production rules: stricter defaults, `protect`, mandatory policies.
 * The org stack's resources are shared by every environment, so they are held to production rules too.
 */
export function isProductionEnvironment(environment: string | undefined): boolean {
  return environment === "prod" || environment === ORG_ENVIRONMENT;
}

/**
 * What production keeps: the resource types whose loss loses data, keys or a physical circuit.
 * In production they are protected, keys and log groups also retained on delete
 * (components/shared/protection.ts `kept`); the policy `prod-state-protected` checks the same list.
 */
export interface Keeping {
  /** Also leave the cloud resource in place when it leaves the program. */
  readonly retainOnDelete: boolean;
}

export const KEPT_IN_PRODUCTION = {
  "aws:kms/key:Key": { retainOnDelete: true },
  "aws:cloudwatch/logGroup:LogGroup": { retainOnDelete: true },
  "oci:Logging/logGroup:LogGroup": { retainOnDelete: true },
  "aws:secretsmanager/secret:Secret": { retainOnDelete: false },
  "aws:kinesis/stream:Stream": { retainOnDelete: false },
  "aws:sqs/queue:Queue": { retainOnDelete: false },
  "aws:dynamodb/table:Table": { retainOnDelete: false },
  "aws:amp/workspace:Workspace": { retainOnDelete: false },
  // The Grafana workspace: its users, their own dashboards and preferences live only there.
  "aws:grafana/workspace:Workspace": { retainOnDelete: false },
  "aws:route53/zone:Zone": { retainOnDelete: false },
  "aws:ec2/vpnGateway:VpnGateway": { retainOnDelete: false },
  "aws:directconnect/gateway:Gateway": { retainOnDelete: false },
  "aws:directconnect/connection:Connection": { retainOnDelete: false },
  "aws:directconnect/connectionConfirmation:ConnectionConfirmation": { retainOnDelete: false },
  "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface": { retainOnDelete: false },
  "oci:Core/drg:Drg": { retainOnDelete: false },
  "oci:Core/virtualCircuit:VirtualCircuit": { retainOnDelete: false },
  "oci:Database/autonomousDatabase:AutonomousDatabase": { retainOnDelete: false },
  // The cluster (its etcd holds the workloads' state) and the image repository the pods pull from.
  "aws:eks/cluster:Cluster": { retainOnDelete: false },
  "aws:ecr/repository:Repository": { retainOnDelete: false },
  // The order event log (messages not yet synced to OCI live only here), and its topics: deleting
  // `orders` or `orders.dlq` deletes accepted-but-unsynced orders and the refused ones with it.
  "aws:msk/cluster:Cluster": { retainOnDelete: false },
  "aws:msk/topic:Topic": { retainOnDelete: false },
  // The batch exports and the cost reports (the day's file between export and load; the cost history).
  "aws:s3/bucket:Bucket": { retainOnDelete: false },
  // The alarm and report topics: their subscriptions (confirmed by each address) go with them.
  "aws:sns/topic:Topic": { retainOnDelete: false },
  // The batch copy's OCI bucket (the day's file the load reads).
  "oci:ObjectStorage/bucket:Bucket": { retainOnDelete: false },
  // The OCI stream pool (events not yet consumed live only here) and the Vault key that encrypts it.
  "oci:Streaming/streamPool:StreamPool": { retainOnDelete: false },
  "oci:Streaming/stream:Stream": { retainOnDelete: false },
  // Vault secrets (the functions' database credential): deleting one schedules its deletion with its versions.
  "oci:Vault/secret:Secret": { retainOnDelete: false },
  "oci:Kms/vault:Vault": { retainOnDelete: true },
  "oci:Kms/key:Key": { retainOnDelete: true },
  // Not used by the platform today; listed so a database added later is held to the same rule.
  "aws:rds/instance:Instance": { retainOnDelete: false },
  "aws:rds/cluster:Cluster": { retainOnDelete: false },
} as const satisfies Record<string, Keeping>;
