/**
 * What mutation testing covers: the project's pure decision code, one area at a time, each with the
 * fast suites that test it. Running an area against its own tests keeps module-level ("static")
 * mutants, which must run every test of the run, to seconds each. The file lists are fixed here so
 * the score means the same thing from run to run.
 */
export interface MutationArea {
  readonly name: string;
  /** Files mutated. */
  readonly mutate: readonly string[];
  /** Test files run against each mutant (only the tests that cover it, per test coverage). */
  readonly spec: readonly string[];
  /** The lowest score this area may have (the bar: 90 % for config and CIDR code, 85 % otherwise). */
  readonly minimumScore: number;
}

export const MUTATION_AREAS: readonly MutationArea[] = [
  {
    name: "config-cidr",
    mutate: [
      "components/shared/cidr.ts",
      "components/config/aws.ts",
      "components/config/oci.ts",
      "components/config/interconnect.ts",
      "components/config/database.ts",
      "components/config/ml.ts",
      "components/config/eks.ts",
      "components/config/orders.ts",
      "components/config/sync.ts",
      "components/config/budget.ts",
      "components/config/org.ts",
      "components/config/platform.ts",
      "components/config/fields.ts",
      "components/config/resolve.ts",
    ],
    spec: ["tests/unit/cidr.test.ts", "tests/unit/cidr.property.test.ts", "tests/unit/configRules.test.ts"],
    minimumScore: 90,
  },
  {
    name: "planners",
    mutate: ["components/interconnect/tunnels.ts", "components/network/ociRules.ts"],
    spec: ["tests/unit/tunnels.test.ts", "tests/unit/ociRules.test.ts"],
    minimumScore: 85,
  },
  {
    name: "features",
    mutate: [
      "functions/aws/features/features.ts",
      "functions/aws/features/store.ts",
      "functions/aws/features/batch.ts",
    ],
    spec: [
      "tests/functions/featureFold.property.test.ts",
      "tests/functions/features.test.ts",
      "tests/functions/featureStore.test.ts",
    ],
    minimumScore: 85,
  },
  {
    name: "migrations",
    mutate: [
      "functions/aws/migrate/sqlText.ts",
      "functions/aws/migrate/runner.ts",
      "functions/aws/migrate/contract.ts",
    ],
    spec: [
      "tests/functions/sqlText.test.ts",
      "tests/functions/migrationRunner.test.ts",
      "tests/functions/migrate.test.ts",
    ],
    minimumScore: 85,
  },
  {
    name: "inference",
    mutate: ["functions/aws/inference/inference.ts"],
    spec: ["tests/functions/inference.test.ts"],
    minimumScore: 85,
  },
  {
    name: "hardening",
    mutate: [
      "functions/aws/rotate/rotation.ts",
      "components/network/endpoints.ts",
      "components/network/awsNacls.ts",
      "policy/iamDocuments.ts",
    ],
    spec: [
      "tests/functions/rotation.test.ts",
      "tests/unit/endpoints.test.ts",
      "tests/unit/awsNacls.test.ts",
      "tests/policy/iamDocuments.test.ts",
    ],
    minimumScore: 85,
  },
  {
    name: "orders",
    mutate: [
      "functions/aws/orders/orders.ts",
      "functions/aws/orders/oracleStore.ts",
      "functions/aws/orders/secret.ts",
      "functions/aws/orders/app.ts",
      "functions/aws/orders/settings.ts",
    ],
    spec: [
      "tests/functions/orders.test.ts",
      "tests/functions/orderStore.test.ts",
      "tests/functions/orderSecret.test.ts",
    ],
    minimumScore: 85,
  },
  {
    name: "sync",
    mutate: [
      "functions/aws/orders/event.ts",
      "functions/aws/orders/syncBatch.ts",
      "functions/aws/orders/stagingWriter.ts",
      "functions/aws/orders/kafka.ts",
      "functions/aws/orders/syncMetrics.ts",
      "functions/aws/orders/syncConsumer.ts",
      "functions/aws/orders/intake.ts",
    ],
    spec: [
      "tests/functions/orderSync.test.ts",
      "tests/functions/syncConsumer.test.ts",
      "tests/functions/orderIntake.test.ts",
    ],
    minimumScore: 85,
  },
  {
    name: "costs",
    mutate: [
      "functions/aws/costs/anomaly.ts",
      "functions/aws/costs/forecast.ts",
      "functions/aws/costs/idle.ts",
      "functions/aws/costs/resourceCost.ts",
      "functions/aws/costs/collect.ts",
      "functions/aws/costs/remediate.ts",
    ],
    spec: [
      "tests/functions/costMaths.test.ts",
      "tests/functions/costEdges.test.ts",
      "tests/functions/costJob.test.ts",
      "tests/functions/resourceCost.test.ts",
    ],
    minimumScore: 85,
  },
  {
    // The cost job's own code (settings, what a run collects, the run): its end-to-end tests are
    // slow per mutant, so it is an area of its own and the costs area stays under 20 minutes.
    name: "costs-job",
    mutate: ["functions/aws/costs/job.ts"],
    spec: ["tests/functions/costJob.test.ts"],
    minimumScore: 85,
  },
  {
    name: "policy",
    mutate: ["policy/framework.ts", "policy/both.ts", "policy/aws.ts", "policy/kubernetes.ts", "policy/oci.ts"],
    spec: ["tests/policy/policies.test.ts", "tests/policy/policyChecks.test.ts"],
    minimumScore: 85,
  },
  {
    name: "access",
    mutate: ["policy/iamEvaluate.ts", "policy/accessOci.ts"],
    spec: [
      "tests/unit/iamEvaluate.test.ts",
      "tests/unit/iamEvaluateEdges.test.ts",
      "tests/unit/iamEvaluate.property.test.ts",
      "tests/unit/accessOci.test.ts",
      "tests/unit/accessOciCalls.test.ts",
      "tests/unit/accessOci.property.test.ts",
    ],
    minimumScore: 85,
  },
  {
    // Bad data (issue 28): what the database refuses, checked at the edge and classified when it happens.
    name: "bad-data",
    mutate: [
      "functions/aws/orders/oracleErrors.ts",
      "functions/aws/orders/oracleTime.ts",
      "functions/aws/orders/tableContracts.ts",
      "functions/aws/migrate/schemaFold.ts",
      "functions/oci/common/batchWrite.ts",
    ],
    spec: [
      "tests/functions/orderSync.test.ts",
      "tests/functions/oracleValues.property.test.ts",
      "tests/functions/tableContracts.test.ts",
      "tests/functions/anomaly.test.ts",
      "tests/functions/recommend.test.ts",
    ],
    minimumScore: 85,
  },
  {
    // The batch sync's export, copy and load (issue 28: verified bytes, reject limits).
    name: "batch",
    mutate: [
      "functions/aws/batch/contract.ts",
      "functions/aws/batch/copy.ts",
      "functions/aws/batch/csv.ts",
      "functions/aws/batch/day.ts",
      "functions/aws/batch/exportDay.ts",
      "functions/aws/batch/kafkaSource.ts",
      "functions/aws/batch/load.ts",
      "functions/aws/batch/steps.ts",
    ],
    spec: ["tests/functions/batch.test.ts", "tests/functions/batchEdges.test.ts"],
    minimumScore: 85,
  },
  {
    name: "grafana",
    mutate: ["functions/aws/grafana/contract.ts", "functions/aws/grafana/provision.ts"],
    spec: ["tests/functions/grafanaProvision.test.ts"],
    minimumScore: 85,
  },
  {
    name: "probe",
    mutate: ["functions/aws/probe/probe.ts"],
    spec: ["tests/functions/probe.test.ts"],
    minimumScore: 85,
  },
  {
    // The OCI anomaly function and what the OCI functions share (Connector Hub batches, pool, rejects, credential).
    name: "oci-anomaly",
    mutate: [
      "functions/oci/anomaly/batch.ts",
      "functions/oci/anomaly/event.ts",
      "functions/oci/anomaly/features.ts",
      "functions/oci/anomaly/store.ts",
      "functions/oci/common/connectorHub.ts",
      "functions/oci/common/pool.ts",
      "functions/oci/common/rejects.ts",
      "functions/oci/common/streamEvents.ts",
      "functions/oci/common/vaultCredential.ts",
    ],
    spec: ["tests/functions/anomaly.test.ts", "tests/functions/ociPool.test.ts", "tests/functions/ociEdges.test.ts"],
    minimumScore: 85,
  },
  {
    // The OCI recommendation functions: the API, the interactions consumer, the scorer and the store.
    name: "oci-recommend",
    mutate: [
      "functions/oci/recommend/api.ts",
      "functions/oci/recommend/event.ts",
      "functions/oci/recommend/gateway.ts",
      "functions/oci/recommend/interactions.ts",
      "functions/oci/recommend/predict.ts",
      "functions/oci/recommend/scorer.ts",
      "functions/oci/recommend/settings.ts",
      "functions/oci/recommend/store.ts",
    ],
    spec: ["tests/functions/recommend.test.ts", "tests/functions/recommendEdges.test.ts"],
    minimumScore: 85,
  },
  {
    // Who may call the order API and what a create may be: token checks, the currency allowlist,
    // the admin port (issue 29).
    name: "order-identity",
    mutate: ["functions/aws/orders/auth.ts", "functions/aws/orders/currencies.ts", "functions/aws/orders/admin.ts"],
    spec: [
      "tests/functions/orderAuth.test.ts",
      "tests/functions/orderRules.test.ts",
      "tests/functions/orderIdempotency.test.ts",
      "tests/functions/orders.test.ts",
    ],
    minimumScore: 85,
  },
];
